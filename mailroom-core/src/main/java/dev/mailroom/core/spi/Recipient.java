package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.delivery.SubscriptionId;
import java.util.Objects;

/**
 * An agent a message sent to a shared mailbox or topic reaches through one of its subscriptions.
 * The store puts the message in the agent's own mailbox (its inbox) and, if {@code push}, queues a
 * delivery for the agent's stream.
 *
 * @param push queue a delivery (realtime and batch subscriptions), or only fill the inbox (polling)
 * @param maxQueueSize how many pending deliveries the subscription holds; queuing one more drops
 *     its oldest pending delivery (the message stays in the inbox)
 */
public record Recipient(
    AgentId agent, SubscriptionId subscription, boolean push, int maxQueueSize) {
  public Recipient {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(subscription, "subscription");
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("maxQueueSize must be positive");
    }
  }
}
