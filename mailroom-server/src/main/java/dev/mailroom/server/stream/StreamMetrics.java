package dev.mailroom.server.stream;

/** What streams report: pushes, redeliveries and dead letters. Implementations are thread-safe. */
public interface StreamMetrics {
  StreamMetrics NONE =
      new StreamMetrics() {
        @Override
        public void pushed(boolean redelivery) {}

        @Override
        public void deadLettered() {}
      };

  /** A delivery was pushed; {@code redelivery} if it had been pushed before. */
  void pushed(boolean redelivery);

  /** A delivery went to the dead-letter queue. */
  void deadLettered();
}
