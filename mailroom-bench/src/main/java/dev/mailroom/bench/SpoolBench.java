package dev.mailroom.bench;

import dev.mailroom.testkit.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's spool, measured: closed-loop durable sends on the SQLite store, then the same sends on a
 * node whose redis-server was killed (every send goes to the node's spool, synced to disk before
 * its {@code 201}), then, with the spool topped up to {@code backlog} sends, the time from the
 * restart of redis-server until the spool is empty, and the replay rate that makes. One run, so the
 * ratio of the two send rates compares like with like.
 */
final class SpoolBench {
  private static final Pattern DEPTH = Pattern.compile("\"depth\"\\s*:\\s*(\\d+)");
  private static final Duration REPLAY_LIMIT = Duration.ofMinutes(10);

  private SpoolBench() {}

  static List<Report> run(
      Path dir, int clients, Duration warmup, Duration measure, int payloadBytes, long backlog)
      throws Exception {
    List<Report> out = new ArrayList<>();
    Report sqlite =
        SendThroughput.run(
            dir, BenchServer.Store.SQLITE, clients, warmup, measure, payloadBytes, false);
    out.add(sqlite);
    try (BenchServer server = BenchServer.start(dir.resolve("spool"), BenchServer.Store.REDIS)) {
      List<String> senders = server.createAgents("sender", clients);
      server.createAgents("rcpt", SendThroughput.RECIPIENTS);
      RedisServer redis = server.redis().orElseThrow();
      // With Redis up first, so the node knows the senders' tokens (it serves them from its cache
      // while Redis is down) and its hot paths are compiled.
      SendThroughput.closedLoop(
          new Report("spool_warmup"),
          List.of(server.port()),
          senders,
          warmup,
          Duration.ofSeconds(1),
          payloadBytes,
          0,
          Optional.empty());
      redis.kill();
      Report spooling =
          SendThroughput.closedLoop(
              new Report("spool_send_throughput").put("store", "redis killed: every send spooled"),
              List.of(server.port()),
              senders,
              warmup,
              measure,
              payloadBytes,
              0,
              Optional.empty());
      out.add(spooling);
      long depth = depth(server);
      if (depth < backlog) {
        SendThroughput.closedLoop(
            new Report("spool_fill"),
            List.of(server.port()),
            senders,
            Duration.ZERO,
            Duration.ofSeconds(1),
            payloadBytes,
            backlog - depth,
            Optional.empty());
        depth = depth(server);
      }
      long start = System.nanoTime();
      redis.restart();
      long deadline = start + REPLAY_LIMIT.toNanos();
      while (depth(server) > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the spool did not empty within " + REPLAY_LIMIT);
        }
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.add(
          new Report("spool_replay")
              .put("spooled", depth)
              .put("seconds_to_empty", Report.round(seconds))
              .put("replayed_per_s", Report.round(depth / seconds))
              .put(
                  "spooling_to_sqlite_sends",
                  Report.round(spooling.number("sends_per_s") / sqlite.number("sends_per_s"))));
    }
    return out;
  }

  /** The node's spool depth, from its health report (as admin). */
  private static long depth(BenchServer server) throws IOException {
    StringBuilder body = new StringBuilder();
    try (RawHttp http = server.connect()) {
      int status = http.exchange("GET", "/health", BenchServer.ADMIN_TOKEN, new byte[0], body);
      Matcher m = DEPTH.matcher(body);
      if (!m.find()) {
        throw new IllegalStateException("no spool depth in /health (" + status + "): " + body);
      }
      return Long.parseLong(m.group(1));
    }
  }
}
