package dev.mailroom.bench.compare;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * S2, end-to-end latency at fixed rates: one consumer is open while publishers send on a fixed
 * schedule (open loop): message {@code k} is due at {@code start + k/rate}, sent by publisher
 * thread {@code k mod P}, and carries its due time. Latency runs from when the message was due to
 * when the consumer's handler got it, so a system that stalls is charged for every message it
 * delayed (coordinated omission counted), and so does the publish (acknowledgement) latency. The
 * rates are raised in order; once a system saturates at one, the higher ones are skipped for it in
 * that run.
 *
 * <p>Saturated means any of: the publishers could not send 1 % of what was due before the end of
 * the window (they never send what they owe after it), fewer than 95 % of the rate were
 * acknowledged within the window, the p99 latency is above {@link Settings#saturationP99Millis}, or
 * messages were still missing when the consumer had received nothing for {@link Settings#quiet}
 * after publishing ended.
 */
final class EndToEndLatency {
  private EndToEndLatency() {}

  static void run(CompareRun.Context ctx) throws Exception {
    Settings s = ctx.settings();
    Integer saturatedAt = null;
    for (int rate : s.rates()) {
      String variant = String.format(Locale.ROOT, "%,d msgs/s", rate);
      if (saturatedAt != null) {
        ctx.skip(
            "S2",
            variant,
            "rate",
            rate,
            String.format(Locale.ROOT, "saturated at %,d msgs/s", saturatedAt));
        continue;
      }
      Result r =
          ctx.runCase(
              "S2",
              variant,
              "rate",
              rate,
              (system, result) -> measure(s, system, rate, result, ctx.slowest(), ctx.run()));
      if (r.flag("saturated") || (r.error() != null && !r.flag("unavailable"))) {
        saturatedAt = rate;
      }
    }
  }

  private static void measure(
      Settings s,
      MessagingSystem system,
      int rate,
      Result result,
      SlowestDeliveries.@Nullable Log log,
      int run)
      throws Exception {
    String destination = "s2-r" + rate;
    system.prepare(destination, List.of("c0"));
    Tally.Window window = new Tally.Window();
    Tally tally = new Tally(window, new LongAdder());
    int threads = s.ratePublishers();
    Histogram[] ackLatency = new Histogram[threads];
    long[] inWindow = new long[threads];
    long[] unsent = new long[threads];
    BitSet acked = new BitSet();
    long sequences =
        (long) Math.ceil((s.warmup().toNanos() + s.measure().toNanos()) * (rate / 1e9)) + 1;
    @Nullable SlowestDeliveries slowest =
        log == null
            ? null
            : new SlowestDeliveries(tally, window, log.count(), Math.toIntExact(sequences));
    MessagingSystem.Consumer consumer =
        system.consume(destination, "c0", slowest != null ? slowest : tally);
    long start;
    long end;
    try {
      List<MessagingSystem.Publisher> publishers = Load.publishers(system, destination, threads);
      double interval = 1e9 / rate;
      start = System.nanoTime() + 20_000_000;
      long from = start + s.warmup().toNanos();
      end = from + s.measure().toNanos();
      window.set(from, end);
      long due0 = start;
      long end0 = end;
      try {
        Load.inParallel(
            "s2-publisher",
            threads,
            i -> {
              MessagingSystem.Publisher p = publishers.get(i);
              Histogram h = new Histogram(3);
              long count = 0;
              for (long k = i; ; k += threads) {
                long due = due0 + (long) (k * interval);
                if (due >= end0) {
                  break;
                }
                long now = Load.sleepUntil(due);
                if (now >= end0) {
                  for (; due0 + (long) (k * interval) < end0; k += threads) {
                    unsent[i]++;
                  }
                  break;
                }
                p.publish(Payloads.create(s.payloadBytes(), due, k));
                long done = System.nanoTime();
                synchronized (acked) {
                  acked.set((int) k);
                }
                if (slowest != null) {
                  slowest.acked(k, done);
                }
                if (window.contains(due)) {
                  h.recordValue(done - due);
                }
                if (window.contains(done)) {
                  count++;
                }
              }
              ackLatency[i] = h;
              inWindow[i] = count;
            });
      } finally {
        Load.closeAll(publishers);
      }
      long published;
      synchronized (acked) {
        published = acked.cardinality();
      }
      tally.await(published, s.quiet().toNanos());
    } finally {
      consumer.close();
    }
    Histogram ack = new Histogram(3);
    long acknowledgedInWindow = 0;
    long notSent = 0;
    for (int i = 0; i < threads; i++) {
      ack.add(ackLatency[i]);
      acknowledgedInWindow += inWindow[i];
      notSent += unsent[i];
    }
    Histogram e2e = new Histogram(3);
    tally.addLatencyTo(e2e);
    long published;
    synchronized (acked) {
      published = acked.cardinality();
    }
    long lost = tally.missing(acked);
    double achieved = acknowledgedInWindow / s.measureSeconds();
    long scheduled = (long) Math.ceil((end - start) * (rate / 1e9));
    double p99 = Result.ms(e2e.getValueAtPercentile(99));
    StringBuilder why = new StringBuilder();
    if (notSent > scheduled / 100) {
      why.append(String.format(Locale.ROOT, "could not send %,d of %,d due; ", notSent, scheduled));
    }
    if (achieved < 0.95 * rate) {
      why.append(String.format(Locale.ROOT, "acknowledged %,.0f/s; ", achieved));
    }
    if (p99 > s.saturationP99Millis()) {
      why.append(String.format(Locale.ROOT, "p99 %,.0f ms; ", p99));
    }
    if (lost > 0) {
      why.append(String.format(Locale.ROOT, "%,d not delivered; ", lost));
    }
    result
        .put("target_per_s", rate)
        .put("achieved_per_s", Result.rate(achieved))
        .latencies("e2e_", e2e)
        .latencies("ack_", ack)
        .put("published", published)
        .put("unsent", notSent)
        .put("received", tally.distinct())
        .put("lost", lost)
        .put("duplicates", tally.duplicates())
        .put("malformed", tally.malformed())
        .put("saturated", !why.isEmpty());
    if (!why.isEmpty()) {
      result.put("saturation", why.substring(0, why.length() - 2));
    }
    if (slowest != null && log != null) {
      slowest.append(log, system.name(), run, rate);
    }
  }
}
