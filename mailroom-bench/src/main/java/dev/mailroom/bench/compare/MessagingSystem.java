package dev.mailroom.bench.compare;

/**
 * One messaging system under comparison (Mailroom on SQLite or Redis, NATS JetStream, RabbitMQ,
 * Redis Streams), driven the same way by every scenario: durable publishers that return once the
 * system acknowledged, and durable consumers that are pushed messages and acknowledge them.
 *
 * <p>A <em>destination</em> is where publishers send and consumers read: a Mailroom topic, a
 * JetStream stream subject, a RabbitMQ fanout exchange, a Redis stream. A <em>consumer</em> has a
 * durable name: each consumer of a destination gets every message published after {@link #prepare}
 * (fan-out), and one that is closed and opened again under the same name resumes where it
 * acknowledged (catch-up). Payloads are opaque bytes; scenarios put a timestamp and sequence in
 * them.
 *
 * <p>Implementations are thread-safe as a whole; each {@link Publisher} is used by one thread.
 */
public interface MessagingSystem extends AutoCloseable {

  /** A short stable name for tables and charts, e.g. {@code mailroom-sqlite}, {@code nats-js}. */
  String name();

  /**
   * What an acknowledged publish survives on this system as configured: the sentence the report
   * prints next to its numbers (e.g. "fsync before ack", "fsync every 60 s (nats-server 2.9
   * default)", "AOF appendfsync everysec").
   */
  String durability();

  /**
   * Creates the destination afresh (removing what a previous run left) with the durable consumers
   * named, so that each of them gets every message published from now on, even before it opens.
   */
  void prepare(String destination, java.util.List<String> consumers) throws Exception;

  /**
   * Brings a freshly started system to its steady state before a case is measured, driving it for
   * about {@code duration}. A server in native code needs nothing (the default); a JVM-based one
   * compiles its hot paths meanwhile, which the case's own warm-up of a few seconds does not
   * finish. Called once per instance, before {@link #prepare}.
   */
  default void warmUp(java.time.Duration duration) throws Exception {}

  /** A publisher to a prepared destination, for one thread. */
  Publisher publisher(String destination) throws Exception;

  /**
   * Opens a prepared durable consumer: {@code handler} is called for each message, in order per
   * consumer, on a thread of the system's client, and the message is acknowledged after the handler
   * returns.
   */
  Consumer consume(String destination, String consumer, MessageHandler handler) throws Exception;

  /** Releases connections and anything the system started for the run. */
  @Override
  void close() throws Exception;

  /** Publishes to one destination; confined to one thread. */
  interface Publisher extends AutoCloseable {
    /** Publishes and returns once the system acknowledged the message as durable. */
    void publish(byte[] payload) throws Exception;

    /**
     * Publishes without waiting for the acknowledgement: the future completes once the system
     * acknowledged the message as durable, or fails. Many may be outstanding at once, in publish
     * order; the caller bounds how many. Not to be mixed with {@link #publish} on one publisher.
     */
    java.util.concurrent.CompletableFuture<Void> publishAsync(byte[] payload) throws Exception;

    @Override
    void close() throws Exception;
  }

  /** An open consumer; closing it stops delivery, and its position stays with the system. */
  interface Consumer extends AutoCloseable {
    @Override
    void close() throws Exception;
  }

  /** Receives one message's payload. */
  @FunctionalInterface
  interface MessageHandler {
    void onMessage(byte[] payload);
  }
}
