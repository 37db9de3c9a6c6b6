package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The system's statistics ({@code GET /v1/stats}).
 *
 * @param node the server process that answered, by the name of its audit chain: the rates, open
 *     streams and active agents are its own; the other counts are the store's
 * @param backend the store: {@code sqlite} or {@code redis}
 * @param topBacklogs the largest backlogs, most pending first (at most 10)
 */
public record SystemStats(
    String node,
    Instant generatedAt,
    String backend,
    Counts counts,
    Rates rates,
    List<BacklogView> topBacklogs) {
  public SystemStats {
    topBacklogs = List.copyOf(topBacklogs);
  }

  /**
   * Counts.
   *
   * @param agents registered agents
   * @param topics topics that exist
   * @param subscriptions subscriptions stored
   * @param pendingDeliveries deliveries not yet acknowledged, to every agent
   * @param deadLetters dead letters held
   * @param openStreams WebSocket and SSE streams open on the answering node
   * @param activeAgents agents the answering node saw in the last 5 minutes
   */
  public record Counts(
      long agents,
      long topics,
      long subscriptions,
      long pendingDeliveries,
      long deadLetters,
      long openStreams,
      long activeAgents) {}

  /**
   * The answering node's rates over the last minute (a window that moves in steps of 10 s).
   *
   * @param errorRate the share, 0 to 1, of the requests answered with a 5xx
   * @param deliveryLatencyMs the mean time from a send to the first push of its deliveries, in
   *     milliseconds; absent when nothing was pushed
   */
  public record Rates(
      int windowSeconds,
      double requestsPerSecond,
      double sendsPerSecond,
      double deliveriesPerSecond,
      double acksPerSecond,
      double errorRate,
      Optional<Double> deliveryLatencyMs) {}
}
