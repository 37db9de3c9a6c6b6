package dev.mailroom.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every peer system must do for the comparison: fan-out of one destination to several durable
 * consumers fed by several publishers at once, and catch-up of a backlog by a consumer that was
 * closed, including one closed half-way and opened again. No timing is asserted.
 */
abstract class AbstractPeerSystemIT {
  private static final long WAIT_MILLIS = 15_000;

  private MessagingSystem system;

  /** Starts or connects the system under test. */
  abstract MessagingSystem open() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    system = open();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyConsumerGetsEveryMessageOnceFromConcurrentPublishers() throws Exception {
    String destination = unique("fan");
    List<String> names = List.of("c1", "c2", "c3");
    system.prepare(destination, names);
    int publishers = 4;
    int perPublisher = 250;
    int total = publishers * perPublisher;

    List<List<Long>> received = new ArrayList<>();
    List<MessagingSystem.Consumer> consumers = new ArrayList<>();
    for (String name : names) {
      List<Long> into = Collections.synchronizedList(new ArrayList<>());
      received.add(into);
      consumers.add(system.consume(destination, name, payload -> into.add(decode(payload))));
    }

    ExecutorService threads = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        long base = (long) p * perPublisher;
        done.add(
            threads.submit(
                () -> {
                  try (MessagingSystem.Publisher publisher = system.publisher(destination)) {
                    for (int i = 0; i < perPublisher; i++) {
                      publisher.publish(encode(base + i));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    for (List<Long> into : received) {
      awaitUntil(() -> into.size() >= total, () -> "received " + into.size() + " of " + total);
    }
    Thread.sleep(200); // time for a duplicate, if any, to show
    for (MessagingSystem.Consumer consumer : consumers) {
      consumer.close();
    }

    for (int c = 0; c < names.size(); c++) {
      List<Long> got = List.copyOf(received.get(c));
      assertThat(got).as("consumer %s", names.get(c)).hasSize(total);
      assertThat(got).as("consumer %s", names.get(c)).doesNotHaveDuplicates();
      assertThat(got.stream().mapToLong(Long::longValue).sum())
          .isEqualTo((long) total * (total - 1) / 2);
      // In order per consumer: each publisher's messages arrive in the order it published them.
      Map<Long, List<Long>> byPublisher = new TreeMap<>();
      for (long value : got) {
        byPublisher.computeIfAbsent(value / perPublisher, k -> new ArrayList<>()).add(value);
      }
      for (List<Long> sequence : byPublisher.values()) {
        assertThat(sequence).as("consumer %s", names.get(c)).isSorted();
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void pipelinedPublishesAreEachAcknowledgedAndArriveOnceInOrder() throws Exception {
    String destination = unique("pipelined");
    system.prepare(destination, List.of("reader"));
    int total = 2_000;
    Semaphore window = new Semaphore(DurablePublish.IN_FLIGHT);
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    try (MessagingSystem.Publisher publisher = system.publisher(destination)) {
      for (long i = 0; i < total; i++) {
        window.acquire();
        acks.add(publisher.publishAsync(encode(i)).whenComplete((ok, x) -> window.release()));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
    List<Long> got = Collections.synchronizedList(new ArrayList<>());
    MessagingSystem.Consumer consumer =
        system.consume(destination, "reader", payload -> got.add(decode(payload)));
    await().atMost(Duration.ofMillis(WAIT_MILLIS)).until(() -> got.size() >= total);
    // A duplicate, if any, has time to show.
    await().during(Duration.ofMillis(200)).until(() -> got.size() == total);
    consumer.close();
    assertThat(List.copyOf(got)).hasSize(total).isSorted().doesNotHaveDuplicates();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void closedConsumerCatchesUpInOrderAndResumesWhereItAcknowledged() throws Exception {
    String destination = unique("catchup");
    system.prepare(destination, List.of("late"));
    int total = 2_000;
    try (MessagingSystem.Publisher publisher = system.publisher(destination)) {
      for (long i = 0; i < total; i++) {
        publisher.publish(encode(i));
      }
    }

    // First session: the backlog in order, closed once 500 were handled (and so acknowledged).
    List<Long> first = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch fiveHundred = new CountDownLatch(500);
    MessagingSystem.Consumer consumer =
        system.consume(
            destination,
            "late",
            payload -> {
              first.add(decode(payload));
              fiveHundred.countDown();
              if (fiveHundred.getCount() == 0) {
                pause(); // a slow consumer from then on, so that it is closed half-way
              }
            });
    assertThat(fiveHundred.await(WAIT_MILLIS, TimeUnit.MILLISECONDS))
        .as("500 of the backlog within %d ms, got %d", WAIT_MILLIS, first.size())
        .isTrue();
    consumer.close();
    List<Long> before = List.copyOf(first);
    assertThat(before.size()).isBetween(500, total - 1);
    for (int i = 0; i < before.size(); i++) {
      assertThat(before.get(i)).as("first session, message %d", i).isEqualTo(i);
    }

    // Second session: continues, in order, from at most where the first one stopped.
    List<Long> second = Collections.synchronizedList(new ArrayList<>());
    consumer = system.consume(destination, "late", payload -> second.add(decode(payload)));
    awaitUntil(
        () -> second.contains((long) total - 1),
        () -> "second session got " + second.size() + " after " + before.size());
    Thread.sleep(200);
    consumer.close();
    List<Long> after = List.copyOf(second);
    long start = after.get(0);
    assertThat(start)
        .as("nothing lost between sessions: first ended at %d", before.size() - 1)
        .isLessThanOrEqualTo(before.size());
    for (int i = 0; i < after.size(); i++) {
      assertThat(after.get(i)).as("second session, message %d", i).isEqualTo(start + i);
    }
    assertThat(after.get(after.size() - 1)).isEqualTo(total - 1);
    System.out.printf(
        "%s catch-up: first session %d, second session from %d (%d redelivered)%n",
        system.name(), before.size(), start, before.size() - start);
  }

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static byte[] encode(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long decode(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong();
  }

  private static String unique(String prefix) {
    return "it-" + prefix + "-" + Long.toHexString(System.nanoTime());
  }

  private static void awaitUntil(Supplier<Boolean> condition, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (!condition.get()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + WAIT_MILLIS + " ms: " + state.get());
      }
      Thread.sleep(10);
    }
  }
}
