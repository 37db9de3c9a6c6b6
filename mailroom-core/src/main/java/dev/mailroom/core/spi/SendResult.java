package dev.mailroom.core.spi;

import dev.mailroom.core.MessageId;

/**
 * The outcome of a send: stored now, a repeat of an earlier send with the same key, or kept in the
 * node's spool until the store is back.
 */
public sealed interface SendResult {
  MessageId id();

  /** How many recipients it reached: mailboxes, not counting a topic's own history. */
  int recipients();

  /**
   * The message was stored durably.
   *
   * @param dropped how many older entries were dropped from full inboxes to make room
   */
  record Accepted(MessageId id, int recipients, int dropped) implements SendResult {}

  /** The sender used this idempotency key within the dedupe window; nothing was stored. */
  record Duplicate(MessageId id, int recipients) implements SendResult {}

  /**
   * The shared store could not take the message, so the node kept it in its local durable spool
   * (synced to disk) and stores it, under this id, once the store is back (see {@link
   * dev.mailroom.core.spool.Spool}).
   *
   * @param recipients the recipients the node routed it to: the store may reach fewer (an agent
   *     deleted meanwhile), and a broadcast is routed only when it is replayed (0 here)
   */
  record Spooled(MessageId id, int recipients) implements SendResult {}
}
