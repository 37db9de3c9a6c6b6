package dev.mailroom.server;

import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks the audit log's hash chains as stored: every record's hash against its fields, every index
 * following the one before, every {@code prevHash} against the previous record's hash, and for this
 * node's own chain that the newest record it wrote is still there, unchanged.
 *
 * <p>Retention removes a chain's oldest records, so a chain is checked from its first remaining
 * record on; removing records from the head of a chain therefore looks like retention and is not
 * reported. Removing the newest records is reported for this node's own chain only (against the
 * head it keeps in memory); for other chains (earlier runs, other nodes) it cannot be told apart
 * from a chain that simply ended. Thread-safe; each call reads the store in pages.
 */
final class AuditVerifier {
  static final int PAGE = 1000;

  private final AuditStore store;
  private final InstantSource clock;
  private final Duration retention;

  AuditVerifier(AuditStore store, InstantSource clock, Duration retention) {
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  /** The first thing wrong with a chain: the index where it shows, and why. */
  record Break(long index, String reason) {}

  /**
   * What was found on one chain.
   *
   * @param records how many records are stored
   * @param firstIndex the first stored index; empty when none is stored
   * @param lastIndex the last stored index; empty when none is stored
   * @param problem the first break found; empty when the chain verifies
   */
  record ChainReport(
      String chain,
      long records,
      Optional<Long> firstIndex,
      Optional<Long> lastIndex,
      Optional<Break> problem) {
    boolean ok() {
      return problem.isEmpty();
    }
  }

  /** Every chain's report, by chain name. */
  record Report(List<ChainReport> chains) {
    boolean ok() {
      return chains.stream().allMatch(ChainReport::ok);
    }
  }

  /**
   * Verifies every chain in the store.
   *
   * @param ownHead the newest record this node stored, if any: its chain is also checked for
   *     missing or changed newest records
   */
  Report verify(Optional<AuditRecord> ownHead) {
    // The head is read before the store, so the store must hold it (unless retention took it).
    TreeSet<String> names = new TreeSet<>(store.chains());
    ownHead.ifPresent(h -> names.add(h.chain()));
    Instant cutoff = clock.instant().minus(retention);
    List<ChainReport> reports = new ArrayList<>(names.size());
    for (String name : names) {
      reports.add(verifyChain(name, ownHead.filter(h -> h.chain().equals(name)), cutoff));
    }
    return new Report(reports);
  }

  private ChainReport verifyChain(String name, Optional<AuditRecord> head, Instant cutoff) {
    long count = 0;
    @Nullable Long first = null;
    @Nullable AuditRecord prev = null;
    @Nullable Break problem = null;
    long from = 0;
    while (true) {
      List<AuditRecord> page = store.chain(name, from, PAGE);
      for (AuditRecord r : page) {
        if (problem == null) {
          problem = check(prev, r, head);
        }
        if (first == null) {
          first = r.index();
        }
        prev = r;
        count++;
      }
      if (page.size() < PAGE) {
        break;
      }
      from = page.getLast().index() + 1;
    }
    if (problem == null && head.isPresent()) {
      problem = checkTail(prev, head.get(), cutoff);
    }
    return new ChainReport(
        name,
        count,
        Optional.ofNullable(first),
        Optional.ofNullable(prev).map(AuditRecord::index),
        Optional.ofNullable(problem));
  }

  private static @Nullable Break check(
      @Nullable AuditRecord prev, AuditRecord r, Optional<AuditRecord> head) {
    if (!AuditChain.hashOf(r).equals(r.hash())) {
      return new Break(r.index(), "the hash does not match the record's fields");
    }
    if (head.isPresent()
        && head.get().index() == r.index()
        && !head.get().hash().equals(r.hash())) {
      return new Break(r.index(), "differs from the record this node wrote");
    }
    if (prev == null) {
      // The first remaining record: its predecessors went with retention, unless it is the first.
      return r.index() == 0 && !r.prevHash().equals(AuditRecord.GENESIS)
          ? new Break(0, "the first record's prev_hash is not the genesis hash")
          : null;
    }
    if (r.index() != prev.index() + 1) {
      return new Break(
          prev.index() + 1,
          "records " + (prev.index() + 1) + " to " + (r.index() - 1) + " are missing");
    }
    if (!r.prevHash().equals(prev.hash())) {
      return new Break(r.index(), "prev_hash does not match the hash of record " + prev.index());
    }
    return null;
  }

  /** This node wrote up to {@code head}: the store must reach it, unless retention took all. */
  private static @Nullable Break checkTail(
      @Nullable AuditRecord last, AuditRecord head, Instant cutoff) {
    if (last == null) {
      return head.at().isBefore(cutoff)
          ? null
          : new Break(
              head.index(), "every record is missing; this node wrote up to " + head.index());
    }
    return last.index() < head.index()
        ? new Break(
            last.index() + 1,
            "the newest records are missing; this node wrote up to " + head.index())
        : null;
  }
}
