package dev.mailroom.bench.compare;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * S3, fan-out: one destination with 100 durable consumers, all open. A few publishers publish as
 * fast as the system acknowledges, but hold back while more than {@link Settings#fanOutWindow}
 * messages' worth of deliveries are still on their way to the consumers, so the load follows what
 * the system can deliver and no unbounded backlog builds (a system that acknowledges fast but
 * delivers slowly would otherwise show a huge latency made only of queueing). Counts the deliveries
 * received within the measured window; latency runs from each publish call to each consumer's
 * receipt. Afterwards, waits until every consumer has every acknowledged message and reports what
 * is missing or came twice.
 */
final class FanOutDelivery {
  private FanOutDelivery() {}

  static void run(CompareRun.Context ctx) throws Exception {
    int consumers = ctx.settings().fanOutConsumers();
    ctx.runCase(
        "S3",
        consumers + " consumers",
        "consumers",
        consumers,
        (system, result) -> measure(ctx.settings(), system, consumers, result));
  }

  private static void measure(Settings s, MessagingSystem system, int k, Result result)
      throws Exception {
    String destination = "s3-fanout";
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("c" + i);
    }
    system.prepare(destination, names);
    Tally.Window window = new Tally.Window();
    LongAdder deliveries = new LongAdder();
    List<Tally> tallies = new ArrayList<>();
    List<MessagingSystem.Consumer> consumers = new ArrayList<>();
    BitSet acked = new BitSet();
    AtomicLong ackedCount = new AtomicLong();
    AtomicLong seq = new AtomicLong();
    int threads = s.fanOutPublishers();
    long[] inWindow = new long[threads];
    long[] waits = new long[threads];
    try {
      for (String name : names) {
        Tally t = new Tally(window, deliveries);
        tallies.add(t);
        consumers.add(system.consume(destination, name, t));
      }
      List<MessagingSystem.Publisher> publishers = Load.publishers(system, destination, threads);
      long start = System.nanoTime();
      long from = start + s.warmup().toNanos();
      long to = from + s.measure().toNanos();
      window.set(from, to);
      long bound = (long) s.fanOutWindow() * k;
      try {
        Load.inParallel(
            "s3-publisher",
            threads,
            i -> {
              MessagingSystem.Publisher p = publishers.get(i);
              long count = 0;
              long held = 0;
              for (long t0 = System.nanoTime(); t0 < to; t0 = System.nanoTime()) {
                if (ackedCount.get() * k - deliveries.sum() > bound) {
                  held++;
                  LockSupport.parkNanos(20_000);
                  continue;
                }
                long n = seq.getAndIncrement();
                p.publish(Payloads.create(s.payloadBytes(), t0, n));
                long t1 = System.nanoTime();
                synchronized (acked) {
                  acked.set((int) n);
                }
                ackedCount.incrementAndGet();
                if (window.contains(t1)) {
                  count++;
                }
              }
              inWindow[i] = count;
              waits[i] = held;
            });
      } finally {
        Load.closeAll(publishers);
      }
      long published = ackedCount.get();
      for (Tally t : tallies) {
        if (!t.await(published, s.quiet().toNanos())) {
          break;
        }
      }
    } finally {
      Load.closeAll(consumers);
    }
    long received = 0;
    long lost = 0;
    long duplicates = 0;
    long malformed = 0;
    Histogram latency = new Histogram(3);
    for (Tally t : tallies) {
      received += t.inWindow();
      synchronized (acked) {
        lost += t.missing(acked);
      }
      duplicates += t.duplicates();
      malformed += t.malformed();
      t.addLatencyTo(latency);
    }
    long publishedInWindow = 0;
    long held = 0;
    for (int i = 0; i < threads; i++) {
      publishedInWindow += inWindow[i];
      held += waits[i];
    }
    result
        .put("deliveries_per_s", Result.rate(received / s.measureSeconds()))
        .put("publishes_per_s", Result.rate(publishedInWindow / s.measureSeconds()))
        .latencies("latency_", latency)
        .put("published", ackedCount.get())
        .put("lost", lost)
        .put("duplicates", duplicates)
        .put("malformed", malformed)
        .put("window_waits", held);
  }
}
