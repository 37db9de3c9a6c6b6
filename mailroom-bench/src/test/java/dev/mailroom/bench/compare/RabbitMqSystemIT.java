package dev.mailroom.bench.compare;

/**
 * {@link RabbitMqSystem} on the broker of this machine, {@code 127.0.0.1:5672} as {@code
 * guest/guest} (override with {@code -Drabbitmq.host}, {@code -Drabbitmq.port}). It fails, rather
 * than skips, when the broker cannot be reached: a comparison without it would be silently partial.
 */
class RabbitMqSystemIT extends AbstractPeerSystemIT {
  @Override
  MessagingSystem open() throws Exception {
    String host = System.getProperty("rabbitmq.host", "127.0.0.1");
    int port = Integer.getInteger("rabbitmq.port", 5672);
    try {
      return RabbitMqSystem.connectTo(host, port, "guest", "guest");
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "RabbitMqSystemIT needs a RabbitMQ broker on "
              + host
              + ":"
              + port
              + " (guest/guest); start it, e.g. `service rabbitmq-server start`: "
              + e.getMessage(),
          e);
    }
  }
}
