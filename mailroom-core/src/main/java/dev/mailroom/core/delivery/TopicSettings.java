package dev.mailroom.core.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * The topic settings in force: a topic's own configuration, completed from its ancestors' and then
 * from the server defaults.
 *
 * @param retention the time to live of a message published without one
 * @param maxSubscribers how many agents may subscribe to the topic (see {@link
 *     TopicConfig#maxSubscribers()})
 * @param cleanupAfter how long it may go without traffic and subscribers before it is removed
 */
public record TopicSettings(Duration retention, int maxSubscribers, Duration cleanupAfter) {
  public TopicSettings {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(cleanupAfter, "cleanupAfter");
  }
}
