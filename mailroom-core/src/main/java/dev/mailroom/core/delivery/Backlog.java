package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;

/**
 * The pending deliveries of one agent through one way in: its inbox ({@link SubscriptionId#INBOX})
 * or one of its subscriptions.
 *
 * @param pending how many are pending (deliveries of expired messages may count until the cleaner
 *     removes them)
 * @param oldest the lowest message id among them, whose {@link MessageId#timestamp()} tells how
 *     long the oldest has waited
 */
public record Backlog(AgentId agent, SubscriptionId subscription, long pending, MessageId oldest) {}
