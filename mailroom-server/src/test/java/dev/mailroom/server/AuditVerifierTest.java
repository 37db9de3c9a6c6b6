package dev.mailroom.server;

import static dev.mailroom.server.AuditChainTest.T0;
import static dev.mailroom.server.AuditChainTest.copy;
import static dev.mailroom.server.AuditChainTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.server.AuditVerifier.Break;
import dev.mailroom.server.AuditVerifier.ChainReport;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditVerifierTest {
  private static final Duration RETENTION = Duration.ofDays(90);

  private final MutableClock clock = MutableClock.of(T0.plus(Duration.ofHours(1)));
  private final ListAuditStore store = new ListAuditStore();
  private final AuditVerifier verifier = new AuditVerifier(store, clock, RETENTION);

  /** Stores {@code n} linked records of a new chain and returns them. */
  private List<AuditRecord> write(String name, int n) {
    AuditChain chain = new AuditChain(name);
    List<AuditRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(chain.link(entry(i)));
    }
    store.append(records);
    return records;
  }

  private ChainReport only(AuditVerifier.Report report) {
    assertThat(report.chains()).hasSize(1);
    return report.chains().getFirst();
  }

  @Test
  void intactChainsVerify() {
    List<AuditRecord> own = write("own", 2500);
    write("other", 3);

    AuditVerifier.Report report = verifier.verify(Optional.of(own.getLast()));

    assertThat(report.ok()).isTrue();
    assertThat(report.chains())
        .containsExactly(
            new ChainReport("other", 3, Optional.of(0L), Optional.of(2L), Optional.empty()),
            new ChainReport("own", 2500, Optional.of(0L), Optional.of(2499L), Optional.empty()));
  }

  @Test
  void anEditedFieldBreaksTheChainAtThatRecord() {
    write("a", 10);
    store.edit("a", 4, r -> copy(r, r.chain(), r.index(), r.at(), "mallory", r.resource(), 201));

    ChainReport report = only(verifier.verify(Optional.empty()));

    assertThat(report.ok()).isFalse();
    assertThat(report.problem())
        .contains(new Break(4, "the hash does not match the record's fields"));
    assertThat(report.records()).isEqualTo(10);
  }

  @Test
  void anEditedRecordWithARecomputedHashBreaksTheLinkToTheNext() {
    write("a", 10);
    store.edit("a", 4, r -> rehashed(copy(r, "a", 4, r.at(), "mallory", r.resource(), 201)));

    ChainReport report = only(verifier.verify(Optional.empty()));

    assertThat(report.problem())
        .contains(new Break(5, "prev_hash does not match the hash of record 4"));
  }

  @Test
  void aDeletedMiddleRecordIsAGap() {
    write("a", 10);
    store.remove("a", 3, 5);

    ChainReport report = only(verifier.verify(Optional.empty()));

    assertThat(report.problem()).contains(new Break(3, "records 3 to 4 are missing"));
    assertThat(report.records()).isEqualTo(8);
  }

  @Test
  void reorderedRecordsBreakTheChain() {
    List<AuditRecord> records = write("a", 10);
    AuditRecord third = records.get(3);
    AuditRecord fourth = records.get(4);
    store.edit("a", 3, r -> withIndex(fourth, 3));
    store.edit("a", 4, r -> withIndex(third, 4));

    ChainReport report = only(verifier.verify(Optional.empty()));

    assertThat(report.problem())
        .contains(new Break(3, "the hash does not match the record's fields"));
  }

  @Test
  void deletingTheNewestRecordsOfTheOwnChainIsDetected() {
    List<AuditRecord> own = write("own", 10);
    store.remove("own", 8, 10);

    ChainReport report = only(verifier.verify(Optional.of(own.getLast())));

    assertThat(report.problem())
        .contains(new Break(8, "the newest records are missing; this node wrote up to 9"));
  }

  @Test
  void deletingEveryRecordOfTheOwnChainIsDetected() {
    List<AuditRecord> own = write("own", 10);
    store.remove("own", 0, 10);

    ChainReport report = only(verifier.verify(Optional.of(own.getLast())));

    assertThat(report)
        .isEqualTo(
            new ChainReport(
                "own",
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.of(new Break(9, "every record is missing; this node wrote up to 9"))));
  }

  @Test
  void rewritingTheOwnNewestRecordConsistentlyIsDetectedAgainstTheHeadInMemory() {
    List<AuditRecord> own = write("own", 10);
    store.edit("own", 9, r -> rehashed(copy(r, "own", 9, r.at(), "mallory", r.resource(), 201)));

    ChainReport report = only(verifier.verify(Optional.of(own.getLast())));

    assertThat(report.problem()).contains(new Break(9, "differs from the record this node wrote"));
  }

  @Test
  void deletingTheNewestRecordsOfAnotherChainCannotBeTold() {
    write("other", 10);
    store.remove("other", 8, 10);

    assertThat(verifier.verify(Optional.empty()).ok()).isTrue();
  }

  @Test
  void aChainWhoseOldestRecordsRetentionRemovedVerifiesFromItsFirstRemainingRecord() {
    List<AuditRecord> own = write("own", 10);
    store.purgeBefore(T0.plusMillis(4), 100);

    ChainReport report = only(verifier.verify(Optional.of(own.getLast())));

    assertThat(report)
        .isEqualTo(new ChainReport("own", 6, Optional.of(4L), Optional.of(9L), Optional.empty()));
  }

  @Test
  void anOwnChainThatRetentionRemovedWhollyVerifies() {
    List<AuditRecord> own = write("own", 10);
    clock.advance(RETENTION);
    store.purgeBefore(clock.instant().minus(RETENTION), 100);

    AuditVerifier.Report report = verifier.verify(Optional.of(own.getLast()));

    assertThat(report.ok()).isTrue();
    assertThat(only(report).records()).isZero();
  }

  @Test
  void aFirstRecordThatDoesNotStartFromGenesisIsReported() {
    write("a", 3);
    store.edit("a", 0, r -> rehashed(withPrevHash(r, "f".repeat(64))));

    ChainReport report = only(verifier.verify(Optional.empty()));

    assertThat(report.problem())
        .contains(new Break(0, "the first record's prev_hash is not the genesis hash"));
  }

  private static AuditRecord withIndex(AuditRecord r, long index) {
    return copy(r, r.chain(), index, r.at(), r.actor(), r.resource(), r.status());
  }

  private static AuditRecord withPrevHash(AuditRecord r, String prevHash) {
    return with(r, prevHash, r.hash());
  }

  /** The record with the hash its fields call for: what an attacker who knows the rule writes. */
  private static AuditRecord rehashed(AuditRecord r) {
    return with(r, r.prevHash(), AuditChain.hashOf(r));
  }

  private static AuditRecord with(AuditRecord r, String prevHash, String hash) {
    return new AuditRecord(
        r.chain(),
        r.index(),
        r.at(),
        r.requestId(),
        r.actor(),
        r.action(),
        r.resource(),
        r.status(),
        r.outcome(),
        r.detail(),
        prevHash,
        hash);
  }
}
