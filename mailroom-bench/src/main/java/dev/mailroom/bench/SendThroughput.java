package dev.mailroom.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop durable sends over HTTP: {@code clients} connections each send, wait for the 201, and
 * send again. Every 201 means the message is synced to disk.
 */
final class SendThroughput {
  private SendThroughput() {}

  static Report run(Path dir, int clients, Duration warmup, Duration measure, int payloadBytes)
      throws Exception {
    try (BenchServer server = BenchServer.start(dir.resolve("send-throughput"))) {
      List<String> senders = server.createAgents("sender", clients);
      server.createAgents("rcpt", 8);
      AtomicBoolean recording = new AtomicBoolean(false);
      AtomicBoolean running = new AtomicBoolean(true);
      LongAdder ok = new LongAdder();
      LongAdder failed = new LongAdder();
      List<Histogram> histograms = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        histograms.add(h);
        String token = senders.get(c);
        String target = "rcpt" + (c % 8);
        threads.add(
            Thread.ofPlatform()
                .name("load-" + c)
                .start(
                    () -> {
                      StringBuilder sink = new StringBuilder();
                      try (RawHttp http = server.connect()) {
                        for (long n = 0; running.get(); n++) {
                          byte[] body = Messages.direct(target, payloadBytes, n);
                          long start = System.nanoTime();
                          int status = http.exchange("POST", "/v1/messages", token, body, sink);
                          long took = System.nanoTime() - start;
                          if (recording.get()) {
                            if (status == 201) {
                              ok.increment();
                              h.recordValue(took);
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
      Thread.sleep(warmup.toMillis());
      recording.set(true);
      long start = System.nanoTime();
      Thread.sleep(measure.toMillis());
      recording.set(false);
      double seconds = (System.nanoTime() - start) / 1e9;
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
      Histogram all = new Histogram(3_600_000_000_000L, 3);
      histograms.forEach(all::add);
      return new Report("http_send_throughput")
          .put("clients", clients)
          .put("payload_bytes", payloadBytes)
          .put("seconds", Report.round(seconds))
          .put("sends_per_s", Report.round(ok.sum() / seconds))
          .put("failed", failed.sum())
          .latencies("", all);
    }
  }
}
