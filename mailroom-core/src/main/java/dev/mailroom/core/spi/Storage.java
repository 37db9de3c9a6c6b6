package dev.mailroom.core.spi;

/**
 * One storage backend: the stores that share its connections, plus its health. Closing it stops its
 * background work and releases its resources; it is safe to close twice.
 */
public interface Storage extends AutoCloseable {

  MessageStore messages();

  AgentStore agents();

  DeliveryStore deliveries();

  TopicStore topics();

  StoreHealth health();

  @Override
  void close();
}
