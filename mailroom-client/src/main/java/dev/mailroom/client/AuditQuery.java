package dev.mailroom.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The filters and paging of {@code GET /v1/audit}; every part is optional, and the text filters are
 * exact matches. Immutable and thread-safe; the builder is not.
 *
 * <pre>{@code
 * AuditQuery q = AuditQuery.builder().outcome("denied").since(yesterday).limit(100).build();
 * }</pre>
 */
public final class AuditQuery {
  private static final AuditQuery ALL = builder().build();

  private final QueryString parameters;

  private AuditQuery(QueryString parameters) {
    this.parameters = parameters;
  }

  /** No filters, the server's default page size, oldest first. */
  public static AuditQuery all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This query from the page after the one that answered {@code nextCursor}. */
  public AuditQuery withCursor(String nextCursor) {
    return new AuditQuery(parameters.with("cursor", nextCursor));
  }

  /** The query parameters, in the order they were set. */
  List<Map.Entry<String, String>> parameters() {
    return parameters.entries();
  }

  @Override
  public String toString() {
    return "AuditQuery" + parameters.entries();
  }

  /** Sets the parts of an {@link AuditQuery}; setting one again replaces it. Not thread-safe. */
  public static final class Builder {
    private QueryString p = QueryString.EMPTY;

    private Builder() {}

    private Builder set(String name, Object value) {
      p = p.with(name, value.toString());
      return this;
    }

    /** The authenticated agent ({@code -} for requests without a valid token). */
    public Builder actor(String value) {
      return set("actor", value);
    }

    /** The method and route template, e.g. {@code POST /v1/messages}. */
    public Builder action(String value) {
      return set("action", value);
    }

    /** What the operation acted on, e.g. a topic name or message id. */
    public Builder resource(String value) {
      return set("resource", value);
    }

    /** {@code ok}, {@code denied}, {@code invalid} or {@code failed}. */
    public Builder outcome(String value) {
      return set("outcome", value);
    }

    /** At or after this instant. */
    public Builder since(Instant value) {
      return set("since", value);
    }

    /** Before this instant. */
    public Builder until(Instant value) {
      return set("until", value);
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

    public AuditQuery build() {
      return new AuditQuery(p);
    }
  }
}
