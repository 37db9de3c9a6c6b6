package dev.mailroom.bench.compare;

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
 */
final class DurablePublish {
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
}
