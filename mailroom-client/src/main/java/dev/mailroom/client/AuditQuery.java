package dev.mailroom.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  private final Optional<String> actor;
  private final Optional<String> action;
  private final Optional<String> resource;
  private final Optional<String> outcome;
  private final Optional<Instant> since;
  private final Optional<Instant> until;
  private final Optional<Integer> limit;
  private final Optional<Order> order;
  private final Optional<String> cursor;

  private AuditQuery(Builder b) {
    actor = b.actor;
    action = b.action;
    resource = b.resource;
    outcome = b.outcome;
    since = b.since;
    until = b.until;
    limit = b.limit;
    order = b.order;
    cursor = b.cursor;
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
    Builder b = new Builder();
    b.actor = actor;
    b.action = action;
    b.resource = resource;
    b.outcome = outcome;
    b.since = since;
    b.until = until;
    b.limit = limit;
    b.order = order;
    b.cursor = Optional.of(nextCursor);
    return b.build();
  }

  /** The query parameters, in a stable order. */
  List<Map.Entry<String, String>> parameters() {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    actor.ifPresent(v -> p.add(Map.entry("actor", v)));
    action.ifPresent(v -> p.add(Map.entry("action", v)));
    resource.ifPresent(v -> p.add(Map.entry("resource", v)));
    outcome.ifPresent(v -> p.add(Map.entry("outcome", v)));
    since.ifPresent(v -> p.add(Map.entry("since", v.toString())));
    until.ifPresent(v -> p.add(Map.entry("until", v.toString())));
    limit.ifPresent(v -> p.add(Map.entry("limit", v.toString())));
    order.ifPresent(v -> p.add(Map.entry("order", v.wireName())));
    cursor.ifPresent(v -> p.add(Map.entry("cursor", v)));
    return p;
  }

  @Override
  public String toString() {
    return "AuditQuery" + parameters();
  }

  /** Sets the parts of an {@link AuditQuery}. Not thread-safe. */
  public static final class Builder {
    private Optional<String> actor = Optional.empty();
    private Optional<String> action = Optional.empty();
    private Optional<String> resource = Optional.empty();
    private Optional<String> outcome = Optional.empty();
    private Optional<Instant> since = Optional.empty();
    private Optional<Instant> until = Optional.empty();
    private Optional<Integer> limit = Optional.empty();
    private Optional<Order> order = Optional.empty();
    private Optional<String> cursor = Optional.empty();

    private Builder() {}

    /** The authenticated agent ({@code -} for requests without a valid token). */
    public Builder actor(String value) {
      actor = Optional.of(value);
      return this;
    }

    /** The method and route template, e.g. {@code POST /v1/messages}. */
    public Builder action(String value) {
      action = Optional.of(value);
      return this;
    }

    /** What the operation acted on, e.g. a topic name or message id. */
    public Builder resource(String value) {
      resource = Optional.of(value);
      return this;
    }

    /** {@code ok}, {@code denied}, {@code invalid} or {@code failed}. */
    public Builder outcome(String value) {
      outcome = Optional.of(value);
      return this;
    }

    /** At or after this instant. */
    public Builder since(Instant value) {
      since = Optional.of(value);
      return this;
    }

    /** Before this instant. */
    public Builder until(Instant value) {
      until = Optional.of(value);
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

    public AuditQuery build() {
      return new AuditQuery(this);
    }
  }
}
