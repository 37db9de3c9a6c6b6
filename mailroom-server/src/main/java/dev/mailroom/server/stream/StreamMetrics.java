package dev.mailroom.server.stream;

import java.time.Duration;

/**
 * What streams report: pushes, redeliveries, dead letters and withheld deliveries. Implementations
 * are thread-safe.
 */
public interface StreamMetrics {
  StreamMetrics NONE =
      new StreamMetrics() {
        @Override
        public void pushed(boolean redelivery, Duration sinceSent) {}

        @Override
        public void deadLettered() {}

        @Override
        public void withheld() {}

        @Override
        public void acknowledged(int deliveries) {}
      };

  /**
   * A delivery was pushed; {@code redelivery} if it had been pushed before. {@code sinceSent} is
   * the time from the message's send to the push (negative if another node's clock is ahead).
   */
  void pushed(boolean redelivery, Duration sinceSent);

  /** A delivery went to the dead-letter queue. */
  void deadLettered();

  /** A delivery was withheld: its agent may no longer read the message. */
  void withheld();

  /** A client acknowledged {@code deliveries} deliveries (the ids of an ack frame, or one call). */
  void acknowledged(int deliveries);
}
