package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery given up on: it was pushed {@code attempts} times and never acknowledged.
 *
 * @param reason why, for the operator
 * @param deadAt when it was moved to the dead-letter queue
 */
public record DeadLetter(
    Message message,
    AgentId agent,
    SubscriptionId subscription,
    int attempts,
    String reason,
    Instant deadAt) {
  public DeadLetter {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(subscription, "subscription");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(deadAt, "deadAt");
  }
}
