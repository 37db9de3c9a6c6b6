package dev.mailroom.store.sqlite;

/**
 * The delivery state of an entry, as stored in {@code entries.state}. Plain integers, not an enum,
 * because the partial indexes' conditions are written with them as literals (see {@link Schema}).
 */
final class DeliveryState {
  /** No delivery: an entry of a shared or topic mailbox, a polled one, or one written by v1. */
  static final int NONE = 0;

  /** Queued for the agent's stream, not yet acknowledged. */
  static final int PENDING = 1;

  static final int ACKED = 2;

  /** Given up on: in the dead-letter queue. */
  static final int DEAD = 3;

  /** Pushed out of a full subscription queue, or its subscription was deleted. */
  static final int DROPPED = 4;

  private DeliveryState() {}
}
