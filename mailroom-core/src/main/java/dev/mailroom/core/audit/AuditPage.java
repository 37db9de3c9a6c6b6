package dev.mailroom.core.audit;

import java.util.List;
import java.util.Optional;

/**
 * One page of audit records.
 *
 * @param next where the next page starts (pass it as {@link AuditQuery#after}); empty when this is
 *     the last page
 */
public record AuditPage(List<AuditRecord> records, Optional<AuditPosition> next) {
  public AuditPage {
    records = List.copyOf(records);
  }
}
