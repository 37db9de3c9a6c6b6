package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent's standing interest in the messages sent to shared mailboxes and topics whose names
 * match a pattern. Agent mailboxes are never matched: an agent's own mailbox reaches it through
 * {@link SubscriptionId#INBOX}, and nobody subscribes to another agent's.
 *
 * @param filter only the sender, minimum priority, content type and tag parts are used
 * @param batchSize for {@link DeliveryMode#BATCH}: push when this many are waiting
 * @param batchWindow for {@link DeliveryMode#BATCH}: push when the oldest waiting one is this old
 * @param maxQueueSize how many undelivered messages it holds; the oldest is dropped beyond that
 * @param autoAck a push counts as acknowledged (at most once) instead of waiting for an ack
 */
public record Subscription(
    SubscriptionId id,
    AgentId agent,
    SubscriptionPattern pattern,
    DeliveryMode mode,
    MessageFilter filter,
    int batchSize,
    Duration batchWindow,
    int maxQueueSize,
    boolean autoAck,
    Instant createdAt) {

  public Subscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(batchWindow, "batchWindow");
    Objects.requireNonNull(createdAt, "createdAt");
    if (id.isInbox()) {
      throw new IllegalArgumentException("inbox is reserved");
    }
    if (batchSize < 1 || maxQueueSize < 1) {
      throw new IllegalArgumentException("batchSize and maxQueueSize must be positive");
    }
  }
}
