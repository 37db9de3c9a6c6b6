package dev.mailroom.core.audit;

import dev.mailroom.core.Order;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit records to list. Every present filter must hold (exact matches); {@code since} is
 * inclusive and {@code until} exclusive. Records are listed by {@link AuditPosition}, ascending or
 * descending, starting after {@code after} (in the listing's order).
 */
public record AuditQuery(
    Optional<String> actor,
    Optional<String> action,
    Optional<String> resource,
    Optional<AuditOutcome> outcome,
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<AuditPosition> after,
    int limit,
    Order order) {
  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(after, "after");
    Objects.requireNonNull(order, "order");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }

  /** Every record, oldest first, {@code limit} at a time. */
  public static AuditQuery all(int limit) {
    return new AuditQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        limit,
        Order.ASC);
  }

  public AuditQuery withAfter(AuditPosition position) {
    return new AuditQuery(
        actor, action, resource, outcome, since, until, Optional.of(position), limit, order);
  }

  /** Whether a record passes the filters (not the position). */
  public boolean matches(AuditRecord r) {
    return actor.map(r.actor()::equals).orElse(true)
        && action.map(r.action()::equals).orElse(true)
        && resource.map(r.resource()::equals).orElse(true)
        && outcome.map(o -> o == r.outcome()).orElse(true)
        && since.map(s -> !r.at().isBefore(s)).orElse(true)
        && until.map(u -> r.at().isBefore(u)).orElse(true);
  }
}
