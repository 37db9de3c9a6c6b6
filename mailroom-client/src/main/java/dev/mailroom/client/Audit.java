package dev.mailroom.client;

import dev.mailroom.protocol.AuditRecordList;
import dev.mailroom.protocol.AuditRecordView;
import dev.mailroom.protocol.AuditVerification;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The audit log ({@code /v1/audit}, admins only): one record per {@code /v1} request and per stream
 * opened, in hash chains. Records are written within milliseconds after the answer, so the latest
 * request may be missing for a moment. Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class Audit {
  private final Rest rest;

  Audit(Rest rest) {
    this.rest = rest;
  }

  /** One page of records. */
  public AuditRecordList list(AuditQuery query) {
    return rest.get("v1", "audit").query(query.parameters()).fetch(AuditRecordList.class);
  }

  /** Every page from {@code query}'s position, fetched as iterated. */
  public Iterator<AuditRecordList> pages(AuditQuery query) {
    return new Pager<>(
        cursor -> list(cursor.map(query::withCursor).orElse(query)), AuditRecordList::nextCursor);
  }

  /** Every record that passes {@code query}, fetched page by page. */
  public Stream<AuditRecordView> all(AuditQuery query) {
    return Pager.items(pages(query), AuditRecordList::records);
  }

  /**
   * Checks every hash chain; a broken one names the first index where it breaks. Reads the whole
   * log, so it takes as long as the log is large (pass a longer request timeout for a large one).
   */
  public AuditVerification verify() {
    return rest.get("v1", "audit", "verify").fetch(AuditVerification.class);
  }
}
