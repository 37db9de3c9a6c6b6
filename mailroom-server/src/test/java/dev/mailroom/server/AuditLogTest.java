package dev.mailroom.server;

import static dev.mailroom.server.AuditChainTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.audit.AuditRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AuditLogTest {
  private final ListAuditStore store = new ListAuditStore();

  @Test
  void closingWritesEveryQueuedEntryAsOneValidChainInOrder() {
    AuditLog log = AuditLog.start(store, 10_000);
    for (int i = 0; i < 2500; i++) {
      log.record(entry(i));
    }

    log.close();

    List<AuditRecord> stored = store.all();
    assertThat(stored).extracting(AuditRecord::index).containsExactlyElementsOf(indexes(2500));
    assertThat(stored).extracting(AuditRecord::requestId).startsWith("req-0", "req-1");
    assertThat(stored).allMatch(r -> r.chain().equals(log.chain()));
    assertThat(log.head()).contains(stored.getLast());
    assertThat(log.written()).isEqualTo(2500);
    AuditVerifier verifier = new AuditVerifier(store, () -> AuditChainTest.T0, Duration.ofDays(1));
    assertThat(verifier.verify(log.head()).ok()).isTrue();
  }

  @Test
  void aFullQueueMakesTheProducerWaitAndLosesNothing() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ListAuditStore blocking = blockingUntil(entered, release);
    AuditLog log = AuditLog.start(blocking, 1);
    log.record(entry(0)); // taken by the writer, which then waits in append
    entered.await();
    log.record(entry(1)); // fills the queue

    Thread producer = Thread.ofPlatform().start(() -> log.record(entry(2)));
    await().until(() -> producer.getState() == Thread.State.TIMED_WAITING);

    assertThat(producer.isAlive()).isTrue();
    assertThat(log.queueDepth()).isEqualTo(1);
    release.countDown();
    producer.join();
    log.close();
    assertThat(blocking.all())
        .extracting(AuditRecord::requestId)
        .containsExactly("req-0", "req-1", "req-2");
  }

  @Test
  void aQueueThatStaysFullDropsTheEntryAndCountsIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ListAuditStore stuck = blockingUntil(entered, release);
    AuditLog log = AuditLog.start(stuck, 1);
    log.record(entry(0)); // taken by the writer, which then waits in append as on a dead store
    entered.await();
    log.record(entry(1)); // fills the queue

    log.record(entry(2)); // waits for room, up to FULL_WAIT, then gives the entry up

    assertThat(log.dropped()).isEqualTo(1);
    release.countDown();
    log.close();
    assertThat(stuck.all()).extracting(AuditRecord::requestId).containsExactly("req-0", "req-1");
  }

  @Test
  void aFailedAppendIsRetriedUntilTheStoreTakesIt() {
    AtomicInteger failures = new AtomicInteger(2);
    ListAuditStore failing =
        new ListAuditStore() {
          @Override
          public void append(List<AuditRecord> records) {
            if (failures.getAndDecrement() > 0) {
              throw new MailroomException.Unavailable("store down", null);
            }
            super.append(records);
          }
        };
    AuditLog log = AuditLog.start(failing, 100);
    log.record(entry(0));

    log.close();

    assertThat(failures.get()).isNegative();
    assertThat(failing.all()).extracting(AuditRecord::requestId).containsExactly("req-0");
    assertThat(log.written()).isOne();
  }

  @Test
  void anAppendThatFailedAfterStoringIsNotRepeated() {
    AtomicInteger failures = new AtomicInteger(1);
    ListAuditStore lossy =
        new ListAuditStore() {
          @Override
          public void append(List<AuditRecord> records) {
            super.append(records);
            if (failures.getAndDecrement() > 0) {
              throw new MailroomException.Unavailable("timed out waiting for the reply", null);
            }
          }
        };
    AuditLog log = AuditLog.start(lossy, 100);
    log.record(entry(0));

    log.close();

    assertThat(lossy.all()).extracting(AuditRecord::index).containsExactly(0L);
    assertThat(log.head()).isEqualTo(Optional.of(lossy.all().getFirst()));
    assertThat(log.written()).isOne();
  }

  @Test
  void entriesAfterCloseAreNotRecorded() {
    AuditLog log = AuditLog.start(store, 10);
    log.close();

    log.record(entry(0));

    assertThat(store.all()).isEmpty();
    assertThat(log.head()).isEmpty();
  }

  private static List<Long> indexes(int n) {
    return IntStream.range(0, n).mapToObj(i -> (long) i).toList();
  }

  /** A store whose appends say they started ({@code entered}) and wait for {@code release}. */
  private static ListAuditStore blockingUntil(CountDownLatch entered, CountDownLatch release) {
    return new ListAuditStore() {
      @Override
      public void append(List<AuditRecord> records) {
        entered.countDown();
        awaitUninterruptibly(release);
        super.append(records);
      }
    };
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
