package dev.mailroom.bench;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.testkit.redis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop durable sends over HTTP: {@code clients} connections each send, wait for the 201, and
 * send again. Every 201 means the message is as durable as the store makes it (synced to disk for
 * SQLite; for Redis, what its {@code appendfsync} promises).
 */
final class SendThroughput {
  /** How many recipient agents the senders write to. */
  static final int RECIPIENTS = 8;

  /**
   * Sends that fill every recipient's inbox to its bound (plus 10 %, as the senders do not spread
   * exactly evenly), after which every send also drops the oldest message: the steady state.
   */
  static final long FILL_SENDS =
      RECIPIENTS * (long) RetentionPolicy.DEFAULT_MAX_INBOX_SIZE * 11 / 10;

  private SendThroughput() {}

  static Report run(Path dir, int clients, Duration warmup, Duration measure, int payloadBytes)
      throws Exception {
    return run(dir, BenchServer.Store.SQLITE, clients, warmup, measure, payloadBytes, false);
  }

  /**
   * One server on {@code store}. With {@code fill}, the clients first send until the recipients'
   * inboxes are full ({@link #FILL_SENDS}), then warm up for {@code warmup}.
   */
  static Report run(
      Path dir,
      BenchServer.Store store,
      int clients,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      boolean fill)
      throws Exception {
    try (BenchServer server = BenchServer.start(dir.resolve("send-throughput"), store)) {
      List<String> senders = server.createAgents("sender", clients);
      server.createAgents("rcpt", RECIPIENTS);
      Report report =
          new Report("http_send_throughput")
              .put("store", store.name().toLowerCase(java.util.Locale.ROOT));
      return closedLoop(
          report,
          List.of(server.port()),
          senders,
          warmup,
          measure,
          payloadBytes,
          fill ? FILL_SENDS : 0,
          server.redis().map(RedisServer::uri));
    }
  }

  /**
   * Runs {@code senders.size()} closed-loop clients, client {@code c} sending as {@code senders[c]}
   * to {@code rcpt(c % 8)} on the server at {@code ports[c % ports.size()]}: first until {@code
   * fillSends} sends were answered, then for {@code warmup}, then recording for {@code measure}.
   * Adds the figures to {@code report}, with the Redis server's own over the measurement when
   * {@code redisUri} is given.
   */
  static Report closedLoop(
      Report report,
      List<Integer> ports,
      List<String> senders,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      long fillSends,
      Optional<String> redisUri)
      throws Exception {
    return closedLoop(
        report, ports, senders, warmup, measure, payloadBytes, fillSends, redisUri, NO_HEADERS);
  }

  /**
   * Extra request headers for each send: {@link #next()} is called once per request, on the
   * client's own thread, and returns {@code Name: value} lines joined by CRLF (none if empty).
   */
  @FunctionalInterface
  interface Headers {
    String next();
  }

  /** No extra headers: what every scenario but {@code observability} sends. */
  static final Headers NO_HEADERS = () -> "";

  /**
   * As {@link #closedLoop(Report, List, List, Duration, Duration, int, long, Optional)}, every send
   * (fill and warm-up included) carrying the extra headers {@code headers} gives for it.
   */
  static Report closedLoop(
      Report report,
      List<Integer> ports,
      List<String> senders,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      long fillSends,
      Optional<String> redisUri,
      Headers headers)
      throws Exception {
    int clients = senders.size();
    AtomicBoolean recording = new AtomicBoolean(false);
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder done = new LongAdder();
    LongAdder failed = new LongAdder();
    List<LongAdder> okPerNode = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      okPerNode.add(new LongAdder());
    }
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long fillStart = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Histogram h = new Histogram(3_600_000_000_000L, 3);
      histograms.add(h);
      String token = senders.get(c);
      String target = "rcpt" + (c % RECIPIENTS);
      int node = c % ports.size();
      int port = ports.get(node);
      LongAdder ok = okPerNode.get(node);
      threads.add(
          Thread.ofPlatform()
              .name("load-" + c)
              .start(
                  () -> {
                    StringBuilder sink = new StringBuilder();
                    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                      for (long n = 0; running.get(); n++) {
                        byte[] body = Messages.direct(target, payloadBytes, n);
                        String extra = headers.next();
                        long start = System.nanoTime();
                        int status =
                            http.exchange("POST", "/v1/messages", token, extra, body, sink);
                        long took = System.nanoTime() - start;
                        if (status == 201) {
                          done.increment();
                        }
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
    while (done.sum() < fillSends && threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(50);
    }
    double fillSeconds = fillSends == 0 ? 0 : (System.nanoTime() - fillStart) / 1e9;
    Thread.sleep(warmup.toMillis());
    try (BenchRedis.Info info = redisUri.map(BenchRedis.Info::new).orElse(null)) {
      Map<String, String> before = info == null ? Map.of() : info.snapshot();
      CpuSample cpu = new CpuSample();
      recording.set(true);
      long start = System.nanoTime();
      Thread.sleep(measure.toMillis());
      recording.set(false);
      double seconds = (System.nanoTime() - start) / 1e9;
      Report cpuUse = new Report("cpu");
      cpu.describe(cpuUse);
      Map<String, String> after = info == null ? Map.of() : info.snapshot();
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
      Histogram all = new Histogram(3_600_000_000_000L, 3);
      histograms.forEach(all::add);
      long ok = okPerNode.stream().mapToLong(LongAdder::sum).sum();
      report
          .put("nodes", ports.size())
          .put("clients", clients)
          .put("payload_bytes", payloadBytes)
          .put("fill_sends", fillSends)
          .put("fill_seconds", Report.round(fillSeconds))
          .put("seconds", Report.round(seconds))
          .put("sends_per_s", Report.round(ok / seconds));
      if (ports.size() > 1) {
        for (int i = 0; i < ports.size(); i++) {
          report.put("sends_per_s_node" + (i + 1), Report.round(okPerNode.get(i).sum() / seconds));
        }
      }
      report.put("failed", failed.sum()).latencies("", all).putAll(cpuUse);
      if (info != null) {
        BenchRedis.describe(report, before, after, seconds);
      }
      return report;
    }
  }

  /**
   * Closed-loop sends from {@code senders} (as {@link #closedLoop}, one server) until {@code count}
   * were answered, recording nothing: fills the recipients' inboxes before a measurement. Returns
   * the seconds it took.
   */
  static double fill(int port, List<String> senders, int payloadBytes, long count)
      throws Exception {
    long start = System.nanoTime();
    AtomicBoolean running = new AtomicBoolean(true);
    LongAdder done = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < senders.size(); c++) {
      String token = senders.get(c);
      String target = "rcpt" + (c % RECIPIENTS);
      threads.add(
          Thread.ofPlatform()
              .name("fill-" + c)
              .start(
                  () -> {
                    StringBuilder sink = new StringBuilder();
                    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                      for (long n = 0; running.get(); n++) {
                        byte[] body = Messages.direct(target, payloadBytes, n);
                        if (http.exchange("POST", "/v1/messages", token, body, sink) == 201) {
                          done.increment();
                        }
                      }
                    } catch (Exception e) {
                      System.err.println("fill client failed: " + e);
                    }
                  }));
    }
    while (done.sum() < count && threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(50);
    }
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
