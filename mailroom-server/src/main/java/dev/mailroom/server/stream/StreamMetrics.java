package dev.mailroom.server.stream;

/**
 * What streams report: pushes, redeliveries, dead letters and withheld deliveries. Implementations
 * are thread-safe.
 */
public interface StreamMetrics {
  StreamMetrics NONE =
      new StreamMetrics() {
        @Override
        public void pushed(boolean redelivery) {}

        @Override
        public void deadLettered() {}

        @Override
        public void withheld() {}
      };

  /** A delivery was pushed; {@code redelivery} if it had been pushed before. */
  void pushed(boolean redelivery);

  /** A delivery went to the dead-letter queue. */
  void deadLettered();

  /** A delivery was withheld: its agent may no longer read the message. */
  void withheld();
}
