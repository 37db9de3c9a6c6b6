package dev.mailroom.bench.compare;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * S4, catch-up: a destination with one durable consumer, closed while publishers put a backlog of
 * {@link Settings#backlog} messages in it (closed loop; that rate is reported too); then the
 * consumer opens and the drain is timed from the call that opens it to the last new message handled
 * (acknowledged one by one or in batches, as the system's consumer does).
 */
final class CatchUp {
  private CatchUp() {}

  static void run(CompareRun.Context ctx) throws Exception {
    int backlog = ctx.settings().backlog();
    ctx.runCase(
        "S4",
        String.format(Locale.ROOT, "%,d backlog", backlog),
        "backlog",
        backlog,
        (system, result) -> measure(ctx.settings(), system, backlog, result));
  }

  private static void measure(Settings s, MessagingSystem system, int backlog, Result result)
      throws Exception {
    String destination = "s4-backlog";
    system.prepare(destination, List.of("c0"));
    BitSet acked = new BitSet(backlog);
    AtomicLong next = new AtomicLong();
    int threads = s.backlogPublishers();
    List<MessagingSystem.Publisher> publishers = Load.publishers(system, destination, threads);
    long t0 = System.nanoTime();
    try {
      Load.inParallel(
          "s4-publisher",
          threads,
          i -> {
            MessagingSystem.Publisher p = publishers.get(i);
            for (long n = next.getAndIncrement(); n < backlog; n = next.getAndIncrement()) {
              p.publish(Payloads.create(s.payloadBytes(), System.nanoTime(), n));
              synchronized (acked) {
                acked.set((int) n);
              }
            }
          });
    } finally {
      Load.closeAll(publishers);
    }
    double publishSeconds = (System.nanoTime() - t0) / 1e9;
    CompareRun.settleDisk();
    Tally tally = new Tally(new Tally.Window(), new LongAdder());
    long open = System.nanoTime();
    MessagingSystem.Consumer consumer = system.consume(destination, "c0", tally);
    try {
      tally.await(backlog, s.quiet().toNanos());
    } finally {
      consumer.close();
    }
    long received = tally.distinct();
    double drainSeconds = received == 0 ? Double.NaN : (tally.lastNanos() - open) / 1e9;
    result
        .put("drain_per_s", Result.rate(received / drainSeconds))
        .put("drain_s", Math.round(drainSeconds * 1000) / 1000.0)
        .put("first_message_ms", received == 0 ? -1 : Result.ms(tally.firstNanos() - open))
        .put("backlog_publish_per_s", Result.rate(backlog / publishSeconds))
        .put("received", received)
        .put("lost", tally.missing(acked))
        .put("duplicates", tally.duplicates())
        .put("malformed", tally.malformed());
  }
}
