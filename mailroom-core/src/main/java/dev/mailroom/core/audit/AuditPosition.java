package dev.mailroom.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Objects;

/** A record's place in the audit log: by time, then chain, then index. */
public record AuditPosition(Instant at, String chain, long index)
    implements Comparable<AuditPosition> {
  private static final Comparator<AuditPosition> ORDER =
      Comparator.comparing(AuditPosition::at)
          .thenComparing(AuditPosition::chain)
          .thenComparingLong(AuditPosition::index);

  public AuditPosition {
    at = at.truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(chain, "chain");
  }

  @Override
  public int compareTo(AuditPosition other) {
    return ORDER.compare(this, other);
  }
}
