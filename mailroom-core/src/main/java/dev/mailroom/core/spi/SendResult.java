package dev.mailroom.core.spi;

import dev.mailroom.core.MessageId;

/** The outcome of a send: stored now, or a repeat of an earlier send with the same key. */
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
}
