package dev.mailroom.core.spi;

import dev.mailroom.core.Message;
import java.util.List;

/**
 * Told about every delivery a store queues, after it is durable, in the order the store committed
 * them: the live path of real-time delivery. Called on a store thread, so it must return quickly
 * and never block; it must not call back into the store.
 */
@FunctionalInterface
public interface DeliveryListener {
  DeliveryListener NONE = (message, recipients) -> {};

  /**
   * {@code message} was queued for these recipients' streams (only the pushed ones, never empty):
   * by a send, or again by a dead-letter replay.
   */
  void queued(Message message, List<Recipient> recipients);
}
