package dev.mailroom.server;

import static dev.mailroom.server.AuditChainTest.T0;
import static dev.mailroom.server.AuditChainTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditRetentionTest {
  private static final Duration RETENTION = Duration.ofDays(90);

  @Test
  void aRunRemovesInBatchesEveryRecordOlderThanTheRetentionAndNothingYounger() {
    List<Integer> batches = new ArrayList<>();
    ListAuditStore store =
        new ListAuditStore() {
          @Override
          public int purgeBefore(Instant cutoff, int max) {
            int n = super.purgeBefore(cutoff, max);
            batches.add(n);
            return n;
          }
        };
    AuditChain chain = new AuditChain("a");
    List<AuditRecord> records = new ArrayList<>();
    for (int i = 0; i < AuditRetention.BATCH + 10; i++) {
      records.add(chain.link(entry(i)));
    }
    store.append(records);
    MutableClock clock = MutableClock.of(T0.plus(RETENTION).plusMillis(AuditRetention.BATCH + 5));

    try (AuditRetention retention =
        AuditRetention.start(store, RETENTION, clock, Duration.ofHours(1))) {
      assertThat(retention.runOnce()).isEqualTo(AuditRetention.BATCH + 5);
    }

    assertThat(batches).containsExactly(AuditRetention.BATCH, 5);
    assertThat(store.all())
        .extracting(AuditRecord::index)
        .first()
        .isEqualTo((long) AuditRetention.BATCH + 5);
  }
}
