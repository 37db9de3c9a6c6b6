package dev.mailroom.bench.compare;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * S1, durable publish: {@code n} publishers (1, 8, 32), each on its own thread and connection,
 * publish as fast as the system acknowledges (closed loop) to a destination with one durable
 * consumer that stays closed, so every system stores each message for it (a RabbitMQ exchange with
 * no queue, or a Mailroom topic with no subscriber, would store nothing). After the warm-up, counts
 * the acknowledgements that arrive within the measured window and records each one's latency from
 * its publish call.
 *
 * <p>Then one pipelined publisher: a single thread keeps {@link #IN_FLIGHT} publishes outstanding
 * ({@link MessagingSystem.Publisher#publishAsync}: NATS JetStream's async publish, RabbitMQ's
 * asynchronous publisher confirms, Redis commands pipelined on one connection, Mailroom's {@code
 * send} frames over a WebSocket stream), publishing the next as soon as one is acknowledged.
 */
final class DurablePublish {
  /** The pipelined publisher's publishes outstanding at once. */
  static final int IN_FLIGHT = 256;

  /** How long a pipelined publisher waits for its last acknowledgements. */
  static final Duration DRAIN = Duration.ofSeconds(30);

  private DurablePublish() {}

  static void run(CompareRun.Context ctx) throws Exception {
    for (int n : ctx.settings().publishers()) {
      ctx.runCase(
          "S1",
          n + (n == 1 ? " publisher" : " publishers"),
          "publishers",
          n,
          (system, result) -> measure(ctx.settings(), system, n, result));
    }
    ctx.runCase(
        "S1",
        "1 publisher, " + IN_FLIGHT + " in flight",
        "publishers",
        1,
        (system, result) -> measurePipelined(ctx.settings(), system, result));
  }

  private static void measure(Settings s, MessagingSystem system, int n, Result result)
      throws Exception {
    String destination = "s1-p" + n;
    system.prepare(destination, List.of("c0"));
    List<MessagingSystem.Publisher> publishers = Load.publishers(system, destination, n);
    Histogram[] latency = new Histogram[n];
    long[] acknowledged = new long[n];
    AtomicLong seq = new AtomicLong();
    long start = System.nanoTime();
    long from = start + s.warmup().toNanos();
    long to = from + s.measure().toNanos();
    try {
      Load.inParallel(
          "s1-publisher",
          n,
          i -> {
            MessagingSystem.Publisher p = publishers.get(i);
            Histogram h = new Histogram(3);
            long count = 0;
            for (long t0 = System.nanoTime(); t0 < to; t0 = System.nanoTime()) {
              p.publish(Payloads.create(s.payloadBytes(), t0, seq.getAndIncrement()));
              long t1 = System.nanoTime();
              if (t1 >= from && t1 < to) {
                h.recordValue(t1 - t0);
                count++;
              }
            }
            latency[i] = h;
            acknowledged[i] = count;
          });
    } finally {
      Load.closeAll(publishers);
    }
    Histogram all = new Histogram(3);
    long total = 0;
    for (int i = 0; i < n; i++) {
      all.add(latency[i]);
      total += acknowledged[i];
    }
    result
        .put("publishes_per_s", Result.rate(total / s.measureSeconds()))
        .put("publishes", total)
        .put("published_total", seq.get())
        .latencies("ack_", all);
  }

  private static void measurePipelined(Settings s, MessagingSystem system, Result result)
      throws Exception {
    String destination = "s1-pipelined";
    system.prepare(destination, List.of("c0"));
    Histogram latency = new Histogram(3); // guarded by itself: acknowledgements come on any thread
    AtomicLong acknowledged = new AtomicLong();
    long start = System.nanoTime();
    long from = start + s.warmup().toNanos();
    long to = from + s.measure().toNanos();
    long published;
    try (MessagingSystem.Publisher p = system.publisher(destination)) {
      published =
          Load.pipelined(
              p,
              IN_FLIGHT,
              to,
              s.payloadBytes(),
              (sent, failure) -> {
                long t1 = System.nanoTime();
                if (failure == null && t1 >= from && t1 < to) {
                  synchronized (latency) {
                    latency.recordValue(t1 - sent);
                  }
                  acknowledged.incrementAndGet();
                }
              },
              DRAIN);
    }
    Histogram all;
    synchronized (latency) {
      all = latency.copy();
    }
    long total = acknowledged.get();
    result
        .put("publishes_per_s", Result.rate(total / s.measureSeconds()))
        .put("publishes", total)
        .put("published_total", published)
        .put("in_flight", IN_FLIGHT)
        .latencies("ack_", all);
  }
}
