package dev.mailroom.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

  private final Optional<Instant> since;
  private final Optional<Instant> until;
  private final Optional<String> afterId;
  private final Optional<String> beforeId;
  private final Optional<String> sender;
  private final Optional<Priority> minPriority;
  private final Optional<String> contentType;
  private final Set<String> tags;
  private final Optional<Boolean> unread;
  private final Optional<Duration> maxAge;
  private final Optional<Integer> limit;
  private final Optional<Order> order;
  private final Optional<String> cursor;

  private ListQuery(Builder b) {
    since = b.since;
    until = b.until;
    afterId = b.afterId;
    beforeId = b.beforeId;
    sender = b.sender;
    minPriority = b.minPriority;
    contentType = b.contentType;
    tags = Set.copyOf(b.tags);
    unread = b.unread;
    maxAge = b.maxAge;
    limit = b.limit;
    order = b.order;
    cursor = b.cursor;
  }

  /** No filters, the server's default page size, oldest first. */
  public static ListQuery all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this query's parts. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.since = since;
    b.until = until;
    b.afterId = afterId;
    b.beforeId = beforeId;
    b.sender = sender;
    b.minPriority = minPriority;
    b.contentType = contentType;
    b.tags.addAll(tags);
    b.unread = unread;
    b.maxAge = maxAge;
    b.limit = limit;
    b.order = order;
    b.cursor = cursor;
    return b;
  }

  /** This query from the page after the one that answered {@code nextCursor}. */
  public ListQuery withCursor(String nextCursor) {
    return toBuilder().cursor(nextCursor).build();
  }

  public Optional<String> cursor() {
    return cursor;
  }

  /** The query parameters, in a stable order. */
  List<Map.Entry<String, String>> parameters() {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    since.ifPresent(v -> p.add(Map.entry("since", v.toString())));
    until.ifPresent(v -> p.add(Map.entry("until", v.toString())));
    afterId.ifPresent(v -> p.add(Map.entry("after_id", v)));
    beforeId.ifPresent(v -> p.add(Map.entry("before_id", v)));
    sender.ifPresent(v -> p.add(Map.entry("sender", v)));
    minPriority.ifPresent(v -> p.add(Map.entry("min_priority", v.wireName())));
    contentType.ifPresent(v -> p.add(Map.entry("content_type", v)));
    tags.stream().sorted().forEach(t -> p.add(Map.entry("tag", t)));
    unread.ifPresent(v -> p.add(Map.entry("unread", v.toString())));
    maxAge.ifPresent(v -> p.add(Map.entry("max_age_seconds", Long.toString(v.toSeconds()))));
    limit.ifPresent(v -> p.add(Map.entry("limit", v.toString())));
    order.ifPresent(v -> p.add(Map.entry("order", v.wireName())));
    cursor.ifPresent(v -> p.add(Map.entry("cursor", v)));
    return p;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ListQuery q && parameters().equals(q.parameters());
  }

  @Override
  public int hashCode() {
    return parameters().hashCode();
  }

  @Override
  public String toString() {
    return "ListQuery" + parameters();
  }

  /** Sets the parts of a {@link ListQuery}. Not thread-safe. */
  public static final class Builder {
    private Optional<Instant> since = Optional.empty();
    private Optional<Instant> until = Optional.empty();
    private Optional<String> afterId = Optional.empty();
    private Optional<String> beforeId = Optional.empty();
    private Optional<String> sender = Optional.empty();
    private Optional<Priority> minPriority = Optional.empty();
    private Optional<String> contentType = Optional.empty();
    private final Set<String> tags = new LinkedHashSet<>();
    private Optional<Boolean> unread = Optional.empty();
    private Optional<Duration> maxAge = Optional.empty();
    private Optional<Integer> limit = Optional.empty();
    private Optional<Order> order = Optional.empty();
    private Optional<String> cursor = Optional.empty();

    private Builder() {}

    /** Created at or after this instant. */
    public Builder since(Instant value) {
      since = Optional.of(value);
      return this;
    }

    /** Created at or before this instant. */
    public Builder until(Instant value) {
      until = Optional.of(value);
      return this;
    }

    /** With an id greater than this message id. */
    public Builder afterId(String messageId) {
      afterId = Optional.of(messageId);
      return this;
    }

    /** With an id less than this message id. */
    public Builder beforeId(String messageId) {
      beforeId = Optional.of(messageId);
      return this;
    }

    /** Sent by this agent. */
    public Builder sender(String agentId) {
      sender = Optional.of(agentId);
      return this;
    }

    /** Of at least this priority. */
    public Builder minPriority(Priority value) {
      minPriority = Optional.of(value);
      return this;
    }

    /** Of this content type ({@code text/plain}, {@code application/json}, ...). */
    public Builder contentType(String value) {
      contentType = Optional.of(value);
      return this;
    }

    /** Carrying this tag; repeat for several (a message must carry every one). */
    public Builder tag(String value) {
      tags.add(Objects.requireNonNull(value, "tag"));
      return this;
    }

    /** Not yet read ({@code true}) or already read ({@code false}) by the caller. */
    public Builder unread(boolean value) {
      unread = Optional.of(value);
      return this;
    }

    /** Created within this long before now (whole seconds). */
    public Builder maxAge(Duration value) {
      maxAge = Optional.of(value);
      return this;
    }

    /** At most this many per page (1 to 1000; the server's default is 50). */
    public Builder limit(int value) {
      limit = Optional.of(value);
      return this;
    }

    public Builder order(Order value) {
      order = Optional.of(value);
      return this;
    }

    /** The {@code next_cursor} of the previous page (with the same filters and order). */
    public Builder cursor(String value) {
      cursor = Optional.of(value);
      return this;
    }

    public ListQuery build() {
      return new ListQuery(this);
    }
  }
}
