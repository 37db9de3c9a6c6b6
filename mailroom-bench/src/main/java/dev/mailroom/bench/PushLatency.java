package dev.mailroom.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Publish-to-push latency over WebSocket at a fixed rate. A pool of publishers sends topic messages
 * over HTTP on a fixed schedule (open loop): message {@code seq} is due at {@code t0 + seq / rate},
 * and its payload carries {@code seq}, so a subscriber computes the latency from when the send was
 * due to when its push arrived. A stalled server is charged for every send it delayed (no
 * coordinated omission). Two subscribers on the topic: one with {@code auto_ack: true}, one that
 * acknowledges each push with an {@code ack} frame over its socket. The publishers' own send
 * latency (due time to {@code 201}) is recorded too, as the baseline of the same run: a push cannot
 * precede the durable commit of its send.
 */
final class PushLatency {
  private static final String TOPIC = "bench.push";

  private PushLatency() {}

  static List<Report> run(
      Path dir,
      BenchServer.Store store,
      int rate,
      int connections,
      Duration warmup,
      Duration measure,
      int payloadBytes)
      throws Exception {
    try (BenchServer server = BenchServer.start(dir.resolve("push-latency-" + rate), store);
        StreamClient client = new StreamClient(server.port(), 2)) {
      int port = server.port();
      List<String> publishers = server.createAgents("pub", connections);
      String autoToken = server.createAgents("auto", 1).get(0);
      String manualToken = server.createAgents("manual", 1).get(0);
      BenchServer.subscribe(port, autoToken, TOPIC, true);
      BenchServer.subscribe(port, manualToken, TOPIC, false);

      long warmupNanos = warmup.toNanos();
      long totalNanos = warmupNanos + measure.toNanos();
      int total = (int) (rate * (totalNanos / 1e9));
      double interval = 1e9 / rate;
      // Set before any stream connects; the receivers only read it.
      long t0 = System.nanoTime() + 2_000_000_000L;
      Subscriber auto = new Subscriber(t0, interval, warmupNanos, total, false);
      Subscriber manual = new Subscriber(t0, interval, warmupNanos, total, true);
      auto.connection = client.open(autoToken, auto::frame).get(30, TimeUnit.SECONDS);
      manual.connection = client.open(manualToken, manual::frame).get(30, TimeUnit.SECONDS);
      auto.connected.await(30, TimeUnit.SECONDS);
      manual.connected.await(30, TimeUnit.SECONDS);

      LongAdder failed = new LongAdder();
      LongAdder accepted = new LongAdder();
      List<Histogram> sendHistograms = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        sendHistograms.add(h);
        String token = publishers.get(c);
        int first = c;
        threads.add(
            Thread.ofPlatform()
                .name("pub-" + c)
                .start(
                    () -> {
                      StringBuilder sink = new StringBuilder();
                      try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                        for (long seq = first; seq < total; seq += connections) {
                          long due = t0 + (long) (seq * interval);
                          long wait = due - System.nanoTime();
                          if (wait > 0) {
                            LockSupport.parkNanos(wait);
                          }
                          byte[] body = Messages.topic(TOPIC, payloadBytes, seq, -1);
                          int status = http.exchange("POST", "/v1/messages", token, body, sink);
                          long latency = System.nanoTime() - due;
                          if (status == 201) {
                            accepted.increment();
                            if (due - t0 >= warmupNanos) {
                              h.recordValue(latency);
                            }
                          } else {
                            failed.increment();
                          }
                        }
                      } catch (Exception e) {
                        failed.increment();
                        System.err.println("publisher failed: " + e);
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join();
      }
      // Let the last pushes arrive: up to 10 s after the last send was answered.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline
          && (auto.distinct() < accepted.sum() || manual.distinct() < accepted.sum())) {
        Thread.sleep(50);
      }
      Histogram sends = new Histogram(3_600_000_000_000L, 3);
      sendHistograms.forEach(sends::add);
      double seconds = measure.toNanos() / 1e9;
      List<Report> reports = new ArrayList<>();
      reports.add(
          new Report("push_send_latency")
              .put("store", store.name().toLowerCase(java.util.Locale.ROOT))
              .put("target_rate_per_s", rate)
              .put("connections", connections)
              .put("payload_bytes", payloadBytes)
              .put("achieved_per_s", Report.round(sends.getTotalCount() / seconds))
              .put("failed", failed.sum())
              .latencies("", sends));
      for (Subscriber s : List.of(auto, manual)) {
        reports.add(
            new Report("push_latency")
                .put("target_rate_per_s", rate)
                .put("subscriber", s.manualAck ? "manual_ack" : "auto_ack")
                .put("sent", accepted.sum())
                .put("received", s.distinct())
                .put("duplicates", s.duplicates)
                .put("lost", accepted.sum() - s.distinct())
                .latencies("", s.latency));
      }
      auto.connection.close();
      manual.connection.close();
      return reports;
    }
  }

  /** One subscriber's stream: records the latency of each first push in the measured window. */
  private static final class Subscriber {
    private final long t0;
    private final double interval;
    private final long warmupNanos;
    private final boolean manualAck;
    private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private final BitSet seen;
    private final CountDownLatch connected = new CountDownLatch(1);
    private volatile int distinct;
    private long duplicates;
    private volatile StreamClient.Connection connection = new StreamClient.Connection(f -> {});

    Subscriber(long t0, double interval, long warmupNanos, int total, boolean manualAck) {
      this.t0 = t0;
      this.interval = interval;
      this.warmupNanos = warmupNanos;
      this.manualAck = manualAck;
      this.seen = new BitSet(total);
    }

    int distinct() {
      return distinct;
    }

    // Called on one thread at a time (the JDK WebSocket delivers one frame after the other).
    void frame(String frame) {
      long now = System.nanoTime();
      String type = StreamClient.type(frame);
      if (type.equals("connected")) {
        connected.countDown();
        return;
      }
      if (!type.equals("message")) {
        return;
      }
      long seq = StreamClient.seq(frame);
      if (manualAck) {
        String id = StreamClient.field(frame, "id");
        if (id != null) {
          connection.ack(id);
        }
      }
      if (seq < 0) {
        return;
      }
      if (seen.get((int) seq)) {
        duplicates++;
        return;
      }
      seen.set((int) seq);
      distinct++;
      long due = t0 + (long) (seq * interval);
      if (due - t0 >= warmupNanos) {
        latency.recordValue(Math.max(0, now - due));
      }
    }
  }
}
