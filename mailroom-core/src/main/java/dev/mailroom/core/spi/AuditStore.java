package dev.mailroom.core.spi;

import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import java.time.Instant;
import java.util.List;

/**
 * The audit log: append-only chains of {@link AuditRecord}s, kept as given (the server computes
 * their hashes; the store never changes a stored record). Implementations are thread-safe.
 */
public interface AuditStore {

  /**
   * Stores records, durably on return. Records of one chain arrive in index order, each chain's
   * first index following the last one stored.
   */
  void append(List<AuditRecord> records);

  /** A page of records matching the query, in its order. */
  AuditPage query(AuditQuery query);

  /** Up to {@code limit} stored records of one chain with index ≥ {@code fromIndex}, by index. */
  List<AuditRecord> chain(String chain, long fromIndex, int limit);

  /** The names of every chain with a stored record, sorted. */
  List<String> chains();

  /**
   * Removes up to {@code max} of the oldest records dated before {@code cutoff} (retention).
   *
   * @return how many were removed
   */
  int purgeBefore(Instant cutoff, int max);
}
