package dev.mailroom.bench;

import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * The raw Redis ceiling for what a Mailroom send asks of Redis: the store's send script, called
 * with {@code EVALSHA} straight through Lettuce (one shared connection, as the store has) by as
 * many closed-loop threads as the HTTP benchmark has clients, with exactly the arguments Mailroom
 * gave it for a direct send, and nothing else: no HTTP, no JSON, no Mailroom code.
 *
 * <p>The arguments are not rebuilt here: a Mailroom server on the same Redis namespace registers
 * the sender and recipient agents (so the script takes its normal path), sends one direct message
 * per sender over HTTP while {@code MONITOR} records what Redis is asked, and is shut down; each
 * thread then replays its sender's recorded {@code EVALSHA}, with only the clock argument renewed
 * per call. The recipients' inboxes are filled to their bound first, as in the HTTP runs.
 *
 * <p>A second reference: {@code redis-benchmark} (from PATH) doing a plain {@code SET} of the same
 * payload size on the same server with as many connections, i.e. what the server does with a
 * command that is not a script.
 */
final class RedisCeiling {
  private static final String NAMESPACE = "ceiling";

  private RedisCeiling() {}

  /** The send script's recorded call for one sender. */
  private record Call(String sha, byte[][] keys, byte[][] values) {}

  /** What {@link #capture} found. */
  private record Captured(
      List<Call> calls,
      boolean sameScript,
      double clientCommandsPerSend,
      double scriptCommandsPerSend) {}

  static List<Report> run(
      Path dir,
      int clients,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      boolean fill,
      int eventListeners,
      int benchmarkRequests)
      throws Exception {
    try (RedisServer redis = BenchRedis.start()) {
      Captured captured = capture(dir, redis, clients, payloadBytes);
      List<Report> reports = new ArrayList<>();
      reports.add(replay(redis, captured, warmup, measure, fill, eventListeners));
      reports.add(redisBenchmark(redis, clients, benchmarkRequests, payloadBytes));
      return reports;
    }
  }

  /**
   * Runs a Mailroom server on {@code redis}, creates the agents, and records the send script's call
   * for one direct send from each sender.
   */
  private static Captured capture(Path dir, RedisServer redis, int clients, int payloadBytes)
      throws Exception {
    try (BenchServer server =
        BenchServer.startOnRedis(dir.resolve("redis-ceiling"), redis.uri(), NAMESPACE)) {
      List<String> senders = server.createAgents("sender", clients);
      server.createAgents("rcpt", SendThroughput.RECIPIENTS);
      // One send each first, so that the script is cached and the senders' tokens are known.
      sendOneEach(server, senders, payloadBytes);
      List<RedisMonitor.Command> seen;
      try (RedisMonitor monitor = new RedisMonitor(redis.port())) {
        sendOneEach(server, senders, payloadBytes);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sendCalls(monitor.commands()).size() < clients && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        Thread.sleep(200);
        seen = monitor.commands();
      }
      List<RedisMonitor.Command> sends = sendCalls(seen);
      if (sends.size() != clients) {
        throw new IllegalStateException(
            "expected " + clients + " send script calls in MONITOR, saw " + sends.size());
      }
      Call[] calls = new Call[clients];
      for (RedisMonitor.Command c : sends) {
        int keys = Integer.parseInt(c.word(2));
        List<byte[]> words = c.words();
        byte[][] k = words.subList(3, 3 + keys).toArray(byte[][]::new);
        byte[][] v = words.subList(3 + keys, words.size()).toArray(byte[][]::new);
        // ARGV[7] is the sender ("sender<c>").
        int client = Integer.parseInt(new String(v[6], StandardCharsets.UTF_8).substring(6));
        calls[client] = new Call(c.word(1), k, v);
      }
      long clientCommands = seen.stream().filter(c -> !c.fromScript()).count();
      long scriptCommands = seen.stream().filter(RedisMonitor.Command::fromScript).count();
      String sha = calls[0].sha();
      return new Captured(
          List.of(calls),
          sha.equals(sendScriptSha()),
          clientCommands / (double) clients,
          scriptCommands / (double) clients);
    }
  }

  private static void sendOneEach(BenchServer server, List<String> senders, int payloadBytes)
      throws IOException {
    StringBuilder sink = new StringBuilder();
    try (RawHttp http = server.connect()) {
      for (int c = 0; c < senders.size(); c++) {
        byte[] body = Messages.direct("rcpt" + (c % SendThroughput.RECIPIENTS), payloadBytes, c);
        int status = http.exchange("POST", "/v1/messages", senders.get(c), body, sink);
        if (status != 201) {
          throw new IllegalStateException("send failed: " + status + " " + sink);
        }
      }
    }
  }

  /**
   * The direct sends among recorded commands: client {@code EVALSHA} calls whose own arguments say
   * route {@code m} to a mailbox of kind {@code agent} (ARGV[4] and ARGV[6]).
   */
  private static List<RedisMonitor.Command> sendCalls(List<RedisMonitor.Command> seen) {
    List<RedisMonitor.Command> out = new ArrayList<>();
    for (RedisMonitor.Command c : seen) {
      if (c.fromScript() || !c.name().equals("EVALSHA") || c.words().size() < 4) {
        continue;
      }
      int argv = 3 + Integer.parseInt(c.word(2));
      if (c.words().size() > argv + 12
          && c.word(argv + 3).equals("m")
          && c.word(argv + 5).equals("agent")) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The SHA-1 of the store's send script as the store builds it ({@code common.lua}, a newline,
   * {@code send.lua}, from its jar), to confirm that the recorded calls run that script.
   */
  private static String sendScriptSha() throws Exception {
    byte[] common = resource("common.lua");
    byte[] send = resource("send.lua");
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(common);
    sha1.update((byte) '\n');
    sha1.update(send);
    return HexFormat.of().formatHex(sha1.digest());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = RedisOptions.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the class path");
      }
      return in.readAllBytes();
    }
  }

  /** Replays the recorded calls from one thread per sender over one connection. */
  private static Report replay(
      RedisServer redis,
      Captured captured,
      Duration warmup,
      Duration measure,
      boolean fill,
      int eventListeners)
      throws Exception {
    RedisClient client = BenchRedis.client(redis.uri());
    List<StatefulRedisPubSubConnection<byte[], byte[]>> listeners = new ArrayList<>();
    LongAdder events = new LongAdder();
    try (StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE);
        BenchRedis.Info info = new BenchRedis.Info(redis.uri())) {
      // As each Mailroom node does, listen to the events every send publishes.
      byte[] channel = ("{" + NAMESPACE + "}:events").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < eventListeners; i++) {
        StatefulRedisPubSubConnection<byte[], byte[]> sub =
            client.connectPubSub(ByteArrayCodec.INSTANCE);
        sub.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(byte[] ch, byte[] message) {
                events.increment();
              }
            });
        sub.sync().subscribe(channel);
        listeners.add(sub);
      }
      RedisAsyncCommands<byte[], byte[]> async = connection.async();
      int clients = captured.calls().size();
      AtomicBoolean recording = new AtomicBoolean(false);
      AtomicBoolean running = new AtomicBoolean(true);
      LongAdder done = new LongAdder();
      LongAdder ok = new LongAdder();
      LongAdder failed = new LongAdder();
      List<Histogram> histograms = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      long fillStart = System.nanoTime();
      for (int c = 0; c < clients; c++) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        histograms.add(h);
        Call call = captured.calls().get(c);
        threads.add(
            Thread.ofPlatform()
                .name("evalsha-" + c)
                .start(
                    () -> {
                      byte[][] values = Arrays.copyOf(call.values(), call.values().length);
                      try {
                        while (running.get()) {
                          values[1] = Long.toString(System.currentTimeMillis()).getBytes();
                          long start = System.nanoTime();
                          List<Object> result =
                              async
                                  .<List<Object>>evalsha(
                                      call.sha(), ScriptOutputType.MULTI, call.keys(), values)
                                  .get();
                          long took = System.nanoTime() - start;
                          boolean accepted =
                              result.get(0) instanceof byte[] b
                                  && new String(b, StandardCharsets.UTF_8).equals("ok");
                          if (accepted) {
                            done.increment();
                          }
                          if (recording.get()) {
                            if (accepted) {
                              ok.increment();
                              h.recordValue(took);
                            } else {
                              failed.increment();
                            }
                          }
                        }
                      } catch (Exception e) {
                        failed.increment();
                        System.err.println("EVALSHA client failed: " + e);
                      }
                    }));
      }
      long fillSends = fill ? SendThroughput.FILL_SENDS : 0;
      while (done.sum() < fillSends && threads.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(50);
      }
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      Thread.sleep(warmup.toMillis());
      Map<String, String> before = info.snapshot();
      long eventsBefore = events.sum();
      CpuSample cpu = new CpuSample();
      recording.set(true);
      long start = System.nanoTime();
      Thread.sleep(measure.toMillis());
      recording.set(false);
      double seconds = (System.nanoTime() - start) / 1e9;
      Report cpuUse = new Report("cpu");
      cpu.describe(cpuUse);
      long eventsSeen = events.sum() - eventsBefore;
      Map<String, String> after = info.snapshot();
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
      Histogram all = new Histogram(3_600_000_000_000L, 3);
      histograms.forEach(all::add);
      Report report =
          new Report("redis_ceiling_send_script")
              .put("clients", clients)
              .put("connections", 1)
              .put("script_is_send_lua", captured.sameScript())
              .put("event_listeners", eventListeners)
              .put("fill_sends", fillSends)
              .put("fill_seconds", Report.round(fillSeconds))
              .put("seconds", Report.round(seconds))
              .put("ops_per_s", Report.round(ok.sum() / seconds))
              .put("events_per_s", Report.round(eventsSeen / seconds))
              .put("failed", failed.sum())
              .latencies("", all)
              .putAll(cpuUse)
              .put("http_send_redis_client_commands", captured.clientCommandsPerSend())
              .put("http_send_script_commands", captured.scriptCommandsPerSend());
      BenchRedis.describe(report, before, after, seconds);
      return report;
    } finally {
      for (StatefulRedisPubSubConnection<byte[], byte[]> l : listeners) {
        l.close();
      }
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** {@code redis-benchmark -t set} with as many connections, or a note that it is missing. */
  private static Report redisBenchmark(
      RedisServer redis, int clients, int requests, int payloadBytes) throws Exception {
    Report report = new Report("redis_benchmark_set");
    Path binary = onPath("redis-benchmark");
    if (binary == null) {
      return report.put("skipped", "redis-benchmark is not on PATH");
    }
    List<String> command =
        List.of(
            binary.toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(redis.port()),
            "-c",
            Integer.toString(clients),
            "-n",
            Integer.toString(requests),
            "-d",
            Integer.toString(payloadBytes),
            "-t",
            "set",
            "--csv");
    try (BenchRedis.Info info = new BenchRedis.Info(redis.uri())) {
      Map<String, String> before = info.snapshot();
      CpuSample cpu = new CpuSample();
      long start = System.nanoTime();
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = out.readLine(); l != null; l = out.readLine()) {
          lines.add(l);
        }
      }
      int status = p.waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, String> after = info.snapshot();
      String[] header = csv(lines.stream().filter(l -> l.startsWith("\"test\"")).findFirst());
      String[] row = csv(lines.stream().filter(l -> l.startsWith("\"SET\"")).findFirst());
      if (status != 0 || header.length == 0 || row.length != header.length) {
        throw new IllegalStateException("redis-benchmark failed (" + status + "): " + lines);
      }
      report
          .put("command", String.join(" ", command.subList(1, command.size())))
          .put("clients", clients)
          .put("requests", requests)
          .put("seconds", Report.round(seconds));
      for (int i = 1; i < header.length; i++) {
        report.put(header[i], Double.parseDouble(row[i]));
      }
      cpu.describe(report);
      BenchRedis.describe(report, before, after, seconds);
      return report;
    }
  }

  private static String[] csv(java.util.Optional<String> line) {
    return line.map(l -> l.replace("\"", "").split(",")).orElse(new String[0]);
  }

  private static @Nullable Path onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
