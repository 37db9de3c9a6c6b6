package dev.mailroom.core.delivery;

import dev.mailroom.core.MailboxName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The configuration set on a topic name. Every part is optional: an unset part is inherited from
 * the nearest ancestor that sets it, then from the server defaults.
 *
 * @param retention how long a message published here lives when the send sets no ttl
 * @param maxSubscribers how many agents may subscribe to the topic: counted over every subscription
 *     that matches its name, enforced when an agent subscribes to the exact name
 * @param cleanupAfter how long the topic may go without traffic and subscribers before removal
 */
public record TopicConfig(
    MailboxName name,
    Optional<String> description,
    Optional<Duration> retention,
    OptionalInt maxSubscribers,
    Optional<Duration> cleanupAfter) {
  public TopicConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(maxSubscribers, "maxSubscribers");
    Objects.requireNonNull(cleanupAfter, "cleanupAfter");
  }

  /** A configuration that sets nothing (everything inherited). */
  public static TopicConfig inheritAll(MailboxName name) {
    return new TopicConfig(
        name, Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty());
  }
}
