package dev.mailroom.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop durable sends at a fixed rate. Each connection sends on its own schedule and latency is
 * measured from the time a send was due, not from when it went out, so a stalled server is charged
 * for every send it delayed (no coordinated omission).
 */
final class SendLatency {
  private SendLatency() {}

  static Report run(
      Path dir, int rate, int connections, Duration warmup, Duration measure, int payloadBytes)
      throws Exception {
    return run(
        dir, BenchServer.Store.SQLITE, rate, connections, warmup, measure, payloadBytes, false);
  }

  /**
   * One server on {@code store}. With {@code fill}, closed-loop sends first fill the recipients'
   * inboxes to their bound ({@link SendThroughput#FILL_SENDS}), so the measured sends each drop the
   * oldest message, as in the steady state.
   */
  static Report run(
      Path dir,
      BenchServer.Store store,
      int rate,
      int connections,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      boolean fill)
      throws Exception {
    try (BenchServer server = BenchServer.start(dir.resolve("send-latency-" + rate), store)) {
      List<String> senders = server.createAgents("sender", connections);
      server.createAgents("rcpt", SendThroughput.RECIPIENTS);
      long fillSends = fill ? SendThroughput.FILL_SENDS : 0;
      double fillSeconds =
          fill ? SendThroughput.fill(server.port(), senders, payloadBytes, fillSends) : 0;
      BenchRedis.Info info = server.redis().map(r -> new BenchRedis.Info(r.uri())).orElse(null);
      Map<String, String> before = info == null ? Map.of() : info.snapshot();
      long intervalNanos = 1_000_000_000L * connections / rate;
      long warmupNanos = warmup.toNanos();
      long totalNanos = warmupNanos + measure.toNanos();
      long t0 = System.nanoTime() + 100_000_000L;
      LongAdder failed = new LongAdder();
      List<Histogram> histograms = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        histograms.add(h);
        String token = senders.get(c);
        String target = "rcpt" + (c % 8);
        long offset = intervalNanos * c / connections;
        threads.add(
            Thread.ofPlatform()
                .name("rate-" + c)
                .start(
                    () -> {
                      StringBuilder sink = new StringBuilder();
                      try (RawHttp http = server.connect()) {
                        for (long n = 0; ; n++) {
                          long due = t0 + offset + n * intervalNanos;
                          if (due - t0 > totalNanos) {
                            break;
                          }
                          long wait = due - System.nanoTime();
                          if (wait > 0) {
                            LockSupport.parkNanos(wait);
                          }
                          byte[] body = Messages.direct(target, payloadBytes, n);
                          int status = http.exchange("POST", "/v1/messages", token, body, sink);
                          long latency = System.nanoTime() - due;
                          if (due - t0 >= warmupNanos) {
                            if (status == 201) {
                              h.recordValue(latency);
                            } else {
                              failed.increment();
                            }
                          }
                        }
                      } catch (Exception e) {
                        failed.increment();
                        System.err.println("client failed: " + e);
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Histogram all = new Histogram(3_600_000_000_000L, 3);
      histograms.forEach(all::add);
      Report report =
          new Report("http_send_latency")
              .put("store", store.name().toLowerCase(java.util.Locale.ROOT))
              .put("target_rate_per_s", rate)
              .put("connections", connections)
              .put("payload_bytes", payloadBytes)
              .put("fill_sends", fillSends)
              .put("fill_seconds", Report.round(fillSeconds))
              .put("achieved_per_s", Report.round(all.getTotalCount() / (measure.toNanos() / 1e9)))
              .put("failed", failed.sum())
              .latencies("", all);
      if (info != null) {
        // Over the whole open-loop run (warm-up included), at the fixed rate.
        BenchRedis.describe(report, before, info.snapshot(), seconds);
        info.close();
      }
      return report;
    }
  }
}
