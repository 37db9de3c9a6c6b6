package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A subscription as the API shows it.
 *
 * @param pattern the mailbox or topic name, or a pattern with {@code *} and {@code **}
 * @param deliveryMode {@code realtime}, {@code batch} or {@code polling}
 * @param filter the content filter every delivered message passes
 * @param batchSize for batch mode: push when this many wait
 * @param batchWindowSeconds for batch mode: push when the oldest waiting one is this old
 * @param maxQueueSize how many undelivered messages it holds before dropping the oldest
 * @param autoAck a push counts as acknowledged
 * @param queued how many deliveries wait in its queue now
 */
public record SubscriptionView(
    String id,
    String agentId,
    String pattern,
    String deliveryMode,
    Filter filter,
    int batchSize,
    double batchWindowSeconds,
    int maxQueueSize,
    boolean autoAck,
    Instant createdAt,
    long queued) {

  /** The parts of the query filter language a subscription may set. */
  public record Filter(
      Optional<String> sender,
      Optional<String> minPriority,
      Optional<String> contentType,
      List<String> tags) {
    public Filter {
      tags = List.copyOf(tags);
    }
  }
}
