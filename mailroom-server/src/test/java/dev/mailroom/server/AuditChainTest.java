package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditRecord;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static AuditLog.Entry entry(int n) {
    return new AuditLog.Entry(
        T0.plusMillis(n), "req-" + n, "alice", "POST /v1/messages", "bob", 201, "");
  }

  @Test
  void linksStartAtGenesisAndEachCarriesThePreviousHash() {
    AuditChain chain = new AuditChain("node-a");

    AuditRecord first = chain.link(entry(0));
    AuditRecord second = chain.link(entry(1));

    assertThat(first.index()).isZero();
    assertThat(first.prevHash()).isEqualTo(AuditRecord.GENESIS);
    assertThat(second.index()).isOne();
    assertThat(second.prevHash()).isEqualTo(first.hash());
    assertThat(first.hash()).matches("[0-9a-f]{64}").isEqualTo(AuditChain.hashOf(first));
    assertThat(second.outcome()).isEqualTo(AuditOutcome.OK);
  }

  @Test
  void theHashCoversEveryField() {
    AuditRecord r = new AuditChain("node-a").link(entry(0));
    List<UnaryOperator<AuditRecord>> edits =
        List.of(
            x -> copy(x, "node-b", x.index(), x.at(), x.actor(), x.resource(), x.status()),
            x -> copy(x, x.chain(), 7, x.at(), x.actor(), x.resource(), x.status()),
            x -> copy(x, x.chain(), x.index(), x.at().plusMillis(1), x.actor(), x.resource(), 201),
            x -> copy(x, x.chain(), x.index(), x.at(), "mallory", x.resource(), x.status()),
            x -> copy(x, x.chain(), x.index(), x.at(), x.actor(), "carol", x.status()),
            x -> copy(x, x.chain(), x.index(), x.at(), x.actor(), x.resource(), 200));
    Set<String> hashes = new HashSet<>(List.of(AuditChain.hashOf(r)));
    for (UnaryOperator<AuditRecord> edit : edits) {
      hashes.add(AuditChain.hashOf(edit.apply(r)));
    }

    assertThat(hashes).hasSize(edits.size() + 1);
  }

  @Test
  void textsAreLengthPrefixedSoMovingCharactersBetweenFieldsChangesTheHash() {
    AuditRecord r = new AuditChain("node-a").link(entry(0));

    AuditRecord shifted = copy(r, r.chain(), r.index(), r.at(), "alicebo", "b", r.status());
    AuditRecord unshifted = copy(r, r.chain(), r.index(), r.at(), "alice", "bob", r.status());

    assertThat(AuditChain.hashOf(shifted)).isNotEqualTo(AuditChain.hashOf(unshifted));
    assertThat(AuditChain.hashOf(unshifted)).isEqualTo(r.hash());
  }

  @Test
  void chainNamesAreRandomPerStart() {
    assertThat(AuditChain.create().name())
        .matches("[0-9a-f]{16}")
        .isNotEqualTo(AuditChain.create().name());
  }

  /** The record with some fields changed and its hash kept. */
  static AuditRecord copy(
      AuditRecord r,
      String chain,
      long index,
      Instant at,
      String actor,
      String resource,
      int status) {
    return new AuditRecord(
        chain,
        index,
        at,
        r.requestId(),
        actor,
        r.action(),
        resource,
        status,
        AuditOutcome.of(status),
        r.detail(),
        r.prevHash(),
        r.hash());
  }
}
