package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one agent is doing ({@code GET /v1/agents/{id}/stats}).
 *
 * @param node the server process that answered: {@code last_seen_at} and {@code stream} are its own
 *     view (an agent may be connected to another node)
 * @param lastSeenAt when the answering node last saw an authenticated request or stream of it,
 *     since that node started; absent if never
 * @param stream its stream on the answering node, if one is open
 * @param backlogs its pending deliveries through its inbox and each of its subscriptions that has
 *     any, most pending first
 */
public record AgentStats(
    String id,
    String node,
    Optional<Instant> lastSeenAt,
    Optional<Stream> stream,
    List<BacklogView> backlogs) {
  public AgentStats {
    backlogs = List.copyOf(backlogs);
  }

  /**
   * An open stream.
   *
   * @param openedAt when it was opened
   */
  public record Stream(Instant openedAt) {}
}
