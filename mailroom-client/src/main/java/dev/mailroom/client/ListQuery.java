package dev.mailroom.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The filters and paging of a message listing ({@code GET /v1/inbox}, {@code GET
 * /v1/mailboxes/{name}/messages}); every part is optional and a message must pass every part given.
 * The server checks the values (a {@code limit} of 5000 is refused there, as {@link
 * MailroomClientException.Kind#BAD_REQUEST}).
 *
 * <pre>{@code
 * ListQuery q = ListQuery.builder().unread(true).minPriority(Priority.HIGH).tag("review").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class ListQuery {
  private static final ListQuery ALL = builder().build();

  private final QueryString parameters;

  private ListQuery(QueryString parameters) {
    this.parameters = parameters;
  }

  /** No filters, the server's default page size, oldest first. */
  public static ListQuery all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder(QueryString.EMPTY);
  }

  /** A builder holding this query's parts. */
  public Builder toBuilder() {
    return new Builder(parameters);
  }

  /** This query from the page after the one that answered {@code nextCursor}. */
  public ListQuery withCursor(String nextCursor) {
    return new ListQuery(parameters.with("cursor", nextCursor));
  }

  public Optional<String> cursor() {
    return parameters.get("cursor");
  }

  /** The query parameters, in the order they were set. */
  List<Map.Entry<String, String>> parameters() {
    return parameters.entries();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ListQuery q && parameters.equals(q.parameters);
  }

  @Override
  public int hashCode() {
    return parameters.hashCode();
  }

  @Override
  public String toString() {
    return "ListQuery" + parameters.entries();
  }

  /** Sets the parts of a {@link ListQuery}; setting one again replaces it. Not thread-safe. */
  public static final class Builder {
    private QueryString p;

    private Builder(QueryString p) {
      this.p = p;
    }

    private Builder set(String name, Object value) {
      p = p.with(name, value.toString());
      return this;
    }

    /** Created at or after this instant. */
    public Builder since(Instant value) {
      return set("since", value);
    }

    /** Created at or before this instant. */
    public Builder until(Instant value) {
      return set("until", value);
    }

    /** With an id greater than this message id. */
    public Builder afterId(String messageId) {
      return set("after_id", messageId);
    }

    /** With an id less than this message id. */
    public Builder beforeId(String messageId) {
      return set("before_id", messageId);
    }

    /** Sent by this agent. */
    public Builder sender(String agentId) {
      return set("sender", agentId);
    }

    /** Of at least this priority. */
    public Builder minPriority(Priority value) {
      return set("min_priority", value.wireName());
    }

    /** Of this content type ({@code text/plain}, {@code application/json}, ...). */
    public Builder contentType(String value) {
      return set("content_type", value);
    }

    /** Carrying this tag; repeat for several (a message must carry every one). */
    public Builder tag(String value) {
      p = p.plus("tag", value);
      return this;
    }

    /** Not yet read ({@code true}) or already read ({@code false}) by the caller. */
    public Builder unread(boolean value) {
      return set("unread", value);
    }

    /**
     * In this thread: messages naming it, and its first message when the thread is named after one.
     */
    public Builder threadId(String value) {
      return set("thread_id", value);
    }

    /** Created within this long before now (whole seconds). */
    public Builder maxAge(Duration value) {
      return set("max_age_seconds", value.toSeconds());
    }

    /** At most this many per page (1 to 1000; the server's default is 50). */
    public Builder limit(int value) {
      return set("limit", value);
    }

    public Builder order(Order value) {
      return set("order", value.wireName());
    }

    /** The {@code next_cursor} of the previous page (with the same filters and order). */
    public Builder cursor(String value) {
      return set("cursor", value);
    }

    public ListQuery build() {
      return new ListQuery(p);
    }
  }
}
