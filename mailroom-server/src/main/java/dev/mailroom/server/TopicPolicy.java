package dev.mailroom.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Server-wide topic defaults; a topic's own configuration, or its nearest configured ancestor's,
 * overrides the last three.
 *
 * @param autoCreate a publish to a topic that does not exist creates it (else 404)
 * @param cleanupInterval how often idle topics are looked for
 * @param cleanupAfter how long a topic may go without traffic and subscribers before removal
 * @param maxSubscribers how many agents may subscribe to one topic (counted over every matching
 *     subscription, enforced on subscriptions to the exact name)
 */
public record TopicPolicy(
    boolean autoCreate, Duration cleanupInterval, Duration cleanupAfter, int maxSubscribers) {
  public static final TopicPolicy DEFAULTS =
      new TopicPolicy(true, Duration.ofMinutes(1), Duration.ofDays(7), 100_000);

  public TopicPolicy {
    Objects.requireNonNull(cleanupInterval, "cleanupInterval");
    Objects.requireNonNull(cleanupAfter, "cleanupAfter");
    if (cleanupInterval.isNegative()
        || cleanupInterval.isZero()
        || cleanupAfter.isNegative()
        || cleanupAfter.isZero()
        || maxSubscribers < 1) {
      throw new IllegalArgumentException(
          "topic cleanup times and max subscribers must be positive");
    }
  }
}
