package dev.mailroom.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One topic, many subscribers: {@code subscribers} agents each hold an {@code auto_ack}
 * subscription to the topic and an open WebSocket stream; {@code publishers} agents send topic
 * messages as fast as the server answers (closed loop). Counts the deliveries received per second
 * over the measured window, the publish rate, and afterwards whether every subscriber received
 * every accepted message. The publish-to-push latency (from the send's start, carried in the
 * payload) is reported too, but it is closed-loop and so only indicative.
 */
final class FanOut {
  private static final String TOPIC = "bench.fanout";

  private FanOut() {}

  static List<Report> run(
      Path dir,
      BenchServer.Store store,
      int subscribers,
      int publishers,
      Duration warmup,
      Duration measure,
      int payloadBytes)
      throws Exception {
    try (BenchServer server = BenchServer.start(dir.resolve("fan-out"), store);
        StreamClient client = new StreamClient(server.port(), 2)) {
      int port = server.port();
      long setupStart = System.nanoTime();
      List<String> subTokens =
          BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "fan", subscribers, 8);
      List<String> pubTokens =
          BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "pub", publishers, 1);
      subscribeAll(port, subTokens);
      LongAdder deliveries = new LongAdder();
      CountDownLatch connected = new CountDownLatch(subscribers);
      List<Subscriber> subs = new ArrayList<>();
      List<CompletableFuture<StreamClient.Connection>> opening = new ArrayList<>();
      Semaphore concurrentOpens = new Semaphore(64);
      for (String token : subTokens) {
        Subscriber s = new Subscriber(deliveries, connected);
        subs.add(s);
        concurrentOpens.acquire();
        opening.add(client.open(token, s::frame).whenComplete((c, x) -> concurrentOpens.release()));
      }
      List<StreamClient.Connection> connections = new ArrayList<>();
      for (var f : opening) {
        connections.add(f.get(60, TimeUnit.SECONDS));
      }
      if (!connected.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(connected.getCount() + " streams did not connect");
      }
      double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong nextSeq = new AtomicLong();
      LongAdder published = new LongAdder();
      LongAdder failed = new LongAdder();
      var accepted = ConcurrentHashMap.<Long>newKeySet();
      List<Thread> threads = new ArrayList<>();
      for (String token : pubTokens) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      StringBuilder sink = new StringBuilder();
                      try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                        while (running.get()) {
                          long seq = nextSeq.getAndIncrement();
                          byte[] body = Messages.topic(TOPIC, payloadBytes, seq, System.nanoTime());
                          int status = http.exchange("POST", "/v1/messages", token, body, sink);
                          if (status == 201) {
                            accepted.add(seq);
                            published.increment();
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
      Thread.sleep(warmup.toMillis());
      long d0 = deliveries.sum();
      long p0 = published.sum();
      long start = System.nanoTime();
      for (Subscriber s : subs) {
        s.recording = true;
      }
      Thread.sleep(measure.toMillis());
      long d1 = deliveries.sum();
      long p1 = published.sum();
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Subscriber s : subs) {
        s.recording = false;
      }
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
      // Drain: wait until every accepted message reached every subscriber, or 30 s without news.
      long expected = (long) accepted.size() * subscribers;
      long last = -1;
      long quietSince = System.nanoTime();
      long drainStart = System.nanoTime();
      while (deliveries.sum() < expected && System.nanoTime() - quietSince < 30_000_000_000L) {
        long now = deliveries.sum();
        if (now != last) {
          last = now;
          quietSince = System.nanoTime();
        }
        Thread.sleep(100);
      }
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
      long lost = 0;
      int subscribersWithLoss = 0;
      long duplicates = 0;
      Histogram latency = new Histogram(3_600_000_000_000L, 3);
      for (Subscriber s : subs) {
        long missing = 0;
        for (long seq : accepted) {
          if (!s.seen.get((int) seq)) {
            missing++;
          }
        }
        lost += missing;
        subscribersWithLoss += missing > 0 ? 1 : 0;
        duplicates += s.duplicates;
        latency.add(s.latency);
      }
      connections.forEach(StreamClient.Connection::close);
      List<Report> reports = new ArrayList<>();
      reports.add(
          new Report("fan_out")
              .put("subscribers", subscribers)
              .put("store", store.name().toLowerCase(java.util.Locale.ROOT))
              .put("publishers", publishers)
              .put("payload_bytes", payloadBytes)
              .put("setup_s", Report.round(setupSeconds))
              .put("seconds", Report.round(seconds))
              .put("publishes_per_s", Report.round((p1 - p0) / seconds))
              .put("deliveries_per_s", Report.round((d1 - d0) / seconds))
              .put("failed_sends", failed.sum())
              .put("accepted_total", accepted.size())
              .put("expected_deliveries", expected)
              .put("received_deliveries", deliveries.sum())
              .put("drain_s", Report.round(drainSeconds))
              .put("lost", lost)
              .put("subscribers_with_loss", subscribersWithLoss)
              .put("duplicates", duplicates)
              .latencies("closed_loop_push_", latency));
      return reports;
    }
  }

  private static void subscribeAll(int port, List<String> tokens) throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    int parallel = 8;
    for (int c = 0; c < parallel; c++) {
      int first = c;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = first; i < tokens.size(); i += parallel) {
                        BenchServer.subscribe(port, tokens.get(i), TOPIC, true);
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("subscribing failed", failures.get(0));
    }
  }

  /** One subscriber's stream; frames arrive on one thread at a time. */
  private static final class Subscriber {
    private final LongAdder deliveries;
    private final CountDownLatch connected;
    private final BitSet seen = new BitSet();
    private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private long duplicates;
    private volatile boolean recording;

    Subscriber(LongAdder deliveries, CountDownLatch connected) {
      this.deliveries = deliveries;
      this.connected = connected;
    }

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
      if (seq < 0) {
        return;
      }
      if (seen.get((int) seq)) {
        duplicates++;
        return;
      }
      seen.set((int) seq);
      deliveries.increment();
      if (recording) {
        long sent = Messages.sentNanos(frame);
        if (sent > 0) {
          latency.recordValue(Math.max(0, now - sent));
        }
      }
    }
  }
}
