package dev.mailroom.bench;

import dev.mailroom.testkit.redis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Two Mailroom nodes on one Redis namespace against one node: the same closed-loop direct sends as
 * {@link SendThroughput}, first with every client on one node, then with the clients split evenly
 * over two nodes (in this JVM, each with its own store connection), each phase on a fresh
 * redis-server. The one-node phase is the workload of {@code send-throughput --store redis} (on a
 * namespace of its own).
 */
final class TwoNodes {
  private static final String NAMESPACE = "shared";

  private TwoNodes() {}

  static List<Report> run(
      Path dir, int clients, Duration warmup, Duration measure, int payloadBytes, boolean fill)
      throws Exception {
    List<Report> reports = new ArrayList<>();
    for (int nodes = 1; nodes <= 2; nodes++) {
      reports.add(phase(dir, nodes, clients, warmup, measure, payloadBytes, fill));
    }
    double one = reports.get(0).number("sends_per_s");
    reports
        .get(1)
        .put("vs_one_node", Math.round(reports.get(1).number("sends_per_s") / one * 100) / 100.0);
    return reports;
  }

  private static Report phase(
      Path dir,
      int nodes,
      int clients,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      boolean fill)
      throws Exception {
    List<BenchServer> servers = new ArrayList<>();
    try (RedisServer redis = BenchRedis.start()) {
      try {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          servers.add(
              BenchServer.startOnRedis(dir.resolve("two-nodes-" + i), redis.uri(), NAMESPACE));
          ports.add(servers.get(i).port());
        }
        // Agents are created on the first node; the second finds them in the shared namespace.
        List<String> senders = servers.get(0).createAgents("sender", clients);
        servers.get(0).createAgents("rcpt", SendThroughput.RECIPIENTS);
        return SendThroughput.closedLoop(
            new Report("redis_nodes_send_throughput").put("store", "redis"),
            ports,
            senders,
            warmup,
            measure,
            payloadBytes,
            fill ? SendThroughput.FILL_SENDS : 0,
            Optional.of(redis.uri()));
      } finally {
        for (BenchServer s : servers) {
          s.close();
        }
      }
    }
  }
}
