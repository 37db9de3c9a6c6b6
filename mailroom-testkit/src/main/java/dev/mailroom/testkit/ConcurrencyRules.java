package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.SendResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Many threads at once: nothing lost, nothing doubled, ids unique and in order per thread. */
abstract class ConcurrencyRules extends ContractRules {
  private static final int THREADS = 32;

  ConcurrencyRules(StorageFixture fixture) {
    super(fixture);
  }

  /**
   * Runs {@code task(0..threads-1)} on a pool of {@code threads} threads, all released at once, and
   * returns the results in task order.
   */
  static <T> List<T> inParallel(int threads, IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return task.apply(n);
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          results.add(f.get(2, TimeUnit.MINUTES));
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
          throw new AssertionError("a task did not finish within 2 minutes", e);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
  }

  /** Thread {@code t}'s share of {@code total} sends. */
  private static int sendsOf(int t, int total) {
    return total / THREADS + (t < total % THREADS ? 1 : 0);
  }

  @Test
  void concurrentSendsAreStoredExactlyOnceWithUniqueIds() throws Exception {
    int total = 2_000;

    List<List<MessageId>> byThread =
        inParallel(
            THREADS,
            t -> {
              List<MessageId> mine = new ArrayList<>();
              for (int i = 0; i < sendsOf(t, total); i++) {
                mine.add(sent(from("sender-" + t).to("load").text(t + "/" + i)));
              }
              return mine;
            });

    Set<MessageId> all = new HashSet<>();
    for (List<MessageId> mine : byThread) {
      assertThat(mine).as("one thread's ids in send order").isSorted();
      all.addAll(mine);
    }
    assertThat(all).hasSize(total);
    List<MessageId> listed = ids("load");
    assertThat(listed).hasSize(total).isSorted().doesNotHaveDuplicates();
    assertThat(new HashSet<>(listed)).isEqualTo(all);
    assertThat(messages().mailbox(box("load")).map(MailboxInfo::size)).contains((long) total);
    for (int t = 0; t < THREADS; t++) {
      MessageId last = byThread.get(t).getLast();
      assertThat(messages().find(last).orElseThrow().payload().text())
          .isEqualTo(t + "/" + (sendsOf(t, total) - 1));
    }
  }

  @Test
  void concurrentSendsWithOneKeyStoreOneMessage() throws Exception {
    List<SendResult> results =
        inParallel(THREADS, t -> send(from("alice").to("box").key("same").text("try " + t)));

    assertThat(results).filteredOn(r -> r instanceof SendResult.Accepted).hasSize(1);
    assertThat(results).extracting(SendResult::id).containsOnly(results.getFirst().id());
    assertThat(ids("box")).containsExactly(results.getFirst().id());
  }

  @Test
  void concurrentSendsKeepABoundedInboxBounded() throws Exception {
    useRetention(RetentionPolicy.DEFAULTS.withMaxInboxSize(50));
    agent("bob");
    int perThread = 20;

    List<Integer> dropped =
        inParallel(
            THREADS,
            t -> {
              int d = 0;
              for (int i = 0; i < perThread; i++) {
                d += ((SendResult.Accepted) send(from("s" + t).toAgent("bob"))).dropped();
              }
              return d;
            });

    long expectedDrops = (long) THREADS * perThread - 50;
    assertThat(dropped.stream().mapToLong(Integer::longValue).sum()).isEqualTo(expectedDrops);
    assertThat(messages().mailbox(box("bob")).orElseThrow())
        .extracting(MailboxInfo::size, MailboxInfo::dropped)
        .containsExactly(50L, expectedDrops);
    assertThat(ids("bob")).hasSize(50);
  }

  @Test
  void concurrentBroadcastsReachEveryInbox() throws Exception {
    for (int i = 0; i < 8; i++) {
      agent("agent-" + i);
    }

    List<MessageId> sent = inParallel(THREADS, t -> sent(from("agent-" + (t % 8)).broadcast()));

    int total = 0;
    for (int i = 0; i < 8; i++) {
      int inbox = ids("agent-" + i).size();
      assertThat(inbox).as("inbox of agent-%d", i).isEqualTo(THREADS - THREADS / 8);
      total += inbox;
    }
    assertThat(total).isEqualTo(THREADS * 7);
    assertThat(new HashSet<>(sent)).hasSize(THREADS);
  }

  @Test
  void concurrentReadMarksAreAllKept() throws Exception {
    MessageId id = sent(from("alice").to("box"));

    List<Boolean> marked = inParallel(THREADS, t -> messages().markRead(id, AgentId.of("r" + t)));

    assertThat(marked).containsOnly(true);
    assertThat(messages().readers(id)).hasSize(THREADS);
    assertThat(messages().readers(id)).extracting(ReadReceipt::reader).doesNotHaveDuplicates();
  }
}
