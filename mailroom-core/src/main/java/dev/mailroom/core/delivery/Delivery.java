package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;
import java.util.Objects;

/**
 * A message waiting to be pushed to (or acknowledged by) an agent.
 *
 * @param subscription the subscription it came through, {@link SubscriptionId#INBOX} for the
 *     agent's own mailbox
 * @param attempts how many times it was pushed and not acknowledged in time, as last recorded
 */
public record Delivery(Message message, AgentId agent, SubscriptionId subscription, int attempts) {
  public Delivery {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(subscription, "subscription");
  }
}
