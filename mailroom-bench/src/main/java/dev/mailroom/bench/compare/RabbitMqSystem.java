package dev.mailroom.bench.compare;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * RabbitMQ through {@code amqp-client} (AMQP 0-9-1): per destination a durable fanout exchange, per
 * consumer a durable classic queue bound to it. A publish is a persistent message ({@code
 * delivery-mode 2}) on the publisher's own confirm-mode channel, followed by {@code
 * waitForConfirmsOrDie}: one message confirmed, that is on disk in every queue, before the next.
 *
 * <p>Classic rather than quorum queues: on a single node a quorum queue replicates nothing, and the
 * fan-out scenario would write each message to a hundred Raft logs; the issue asks for the classic
 * durable-queue, persistent-message setup, which is what most RabbitMQ deployments run.
 *
 * <p>Publishers' channels share one connection. Each open consumer has a connection of its own with
 * one channel, manual acks and a prefetch of {@value #PREFETCH}; the handler runs on the client's
 * consumer threads (a pool shared by all consumers, serial per channel) and each message is acked
 * right after it returns. Closing a consumer closes its channel, which puts the messages delivered
 * and not acked back in their place at the head of the queue.
 */
public final class RabbitMqSystem implements MessagingSystem {
  /** Unacknowledged messages the broker may have in flight to one consumer. */
  static final int PREFETCH = 500;

  private static final long CONFIRM_TIMEOUT_MILLIS = 30_000;
  private static final Map<String, Object> CLASSIC = Map.of("x-queue-type", "classic");

  private final ConnectionFactory factory;
  private final String address;
  private final Connection connection;
  private final ExecutorService consumerThreads;
  private final Map<String, List<String>> queues = new ConcurrentHashMap<>();
  private final Set<RabbitConsumer> open = ConcurrentHashMap.newKeySet();

  private RabbitMqSystem(ConnectionFactory factory, String address) throws IOException {
    this.factory = factory;
    this.address = address;
    this.connection = newConnection(factory, address, null, "mailroom-bench-publishers");
    this.consumerThreads =
        Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            daemonThreads("rabbitmq-consumer-"));
  }

  /** Connects to a broker, e.g. {@code 127.0.0.1:5672} as {@code guest/guest}. */
  public static RabbitMqSystem connectTo(String host, int port, String user, String password)
      throws IOException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(user);
    factory.setPassword(password);
    factory.setConnectionTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    return new RabbitMqSystem(factory, user + "@" + host + ":" + port);
  }

  @Override
  public String name() {
    return "rabbitmq";
  }

  @Override
  public String durability() {
    return "persistent message, durable classic queue, publisher confirm: confirmed after the"
        + " message store wrote it to disk, fsync'd in batches (every few hundred ms, or when the"
        + " queue goes idle; RabbitMQ docs, Consumer Acknowledgements and Publisher Confirms)";
  }

  @Override
  public void prepare(String destination, List<String> consumers) throws Exception {
    try (Channel channel = connection.createChannel()) {
      for (String queue : queues.getOrDefault(destination, List.of())) {
        channel.queueDelete(queue);
      }
      List<String> names = new ArrayList<>();
      for (String consumer : consumers) {
        names.add(queueName(destination, consumer));
      }
      for (String queue : names) {
        channel.queueDelete(queue);
      }
      channel.exchangeDelete(destination);
      channel.exchangeDeclare(destination, BuiltinExchangeType.FANOUT, true);
      for (String queue : names) {
        channel.queueDeclare(queue, true, false, false, CLASSIC);
        channel.queueBind(queue, destination, "");
      }
      queues.put(destination, List.copyOf(names));
    }
  }

  @Override
  public Publisher publisher(String destination) throws Exception {
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    // Publishes in flight by sequence number, settled by the broker's (possibly multiple) confirms.
    ConcurrentSkipListMap<Long, CompletableFuture<Void>> unconfirmed =
        new ConcurrentSkipListMap<>();
    channel.addConfirmListener(
        (seq, multiple) -> settle(unconfirmed, seq, multiple, null),
        (seq, multiple) -> settle(unconfirmed, seq, multiple, "nacked by the broker"));
    return new Publisher() {
      @Override
      public void publish(byte[] payload) throws Exception {
        channel.basicPublish(destination, "", MessageProperties.PERSISTENT_BASIC, payload);
        channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
      }

      @Override
      public CompletableFuture<Void> publishAsync(byte[] payload) throws IOException {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        unconfirmed.put(channel.getNextPublishSeqNo(), confirmed);
        channel.basicPublish(destination, "", MessageProperties.PERSISTENT_BASIC, payload);
        return confirmed;
      }

      @Override
      public void close() throws Exception {
        if (channel.isOpen()) {
          channel.close();
        }
      }
    };
  }

  /** Completes the publish {@code seq} (and with {@code multiple} every earlier one). */
  private static void settle(
      ConcurrentSkipListMap<Long, CompletableFuture<Void>> unconfirmed,
      long seq,
      boolean multiple,
      @Nullable String failure) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    if (multiple) {
      Map<Long, CompletableFuture<Void>> earlier = unconfirmed.headMap(seq, true);
      done.addAll(earlier.values());
      earlier.clear(); // a view: removes them from unconfirmed
    } else {
      CompletableFuture<Void> one = unconfirmed.remove(seq);
      if (one != null) {
        done.add(one);
      }
    }
    for (CompletableFuture<Void> f : done) {
      if (failure == null) {
        f.complete(null);
      } else {
        f.completeExceptionally(new IOException(failure));
      }
    }
  }

  @Override
  public Consumer consume(String destination, String consumer, MessageHandler handler)
      throws Exception {
    Connection own = newConnection(factory, address, consumerThreads, "mailroom-bench-" + consumer);
    try {
      RabbitConsumer opened = new RabbitConsumer(own, queueName(destination, consumer), handler);
      open.add(opened);
      return opened;
    } catch (IOException | RuntimeException e) {
      own.abort();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (RabbitConsumer consumer : List.copyOf(open)) {
        consumer.close();
      }
      try (Channel channel = connection.createChannel()) {
        for (Map.Entry<String, List<String>> entry : queues.entrySet()) {
          for (String queue : entry.getValue()) {
            channel.queueDelete(queue);
          }
          channel.exchangeDelete(entry.getKey());
        }
      } catch (IOException | TimeoutException e) {
        // Best effort: the next prepare of the same names removes them.
      }
    } finally {
      try {
        connection.close();
      } finally {
        consumerThreads.shutdown();
        consumerThreads.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return "RabbitMqSystem[" + address + "]";
  }

  /** The queue of one consumer of a destination. */
  static String queueName(String destination, String consumer) {
    return destination + "." + consumer;
  }

  private static Connection newConnection(
      ConnectionFactory factory, String address, @Nullable ExecutorService executor, String name)
      throws IOException {
    try {
      return executor == null ? factory.newConnection(name) : factory.newConnection(executor, name);
    } catch (IOException | TimeoutException e) {
      throw new IOException(
          "cannot connect to RabbitMQ at " + address + " (is the broker running?): " + e, e);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One open consumer: its own connection and channel. */
  private final class RabbitConsumer implements Consumer {
    private final Connection own;
    private final Channel channel;
    private final MessageHandler handler;
    private final Object lock = new Object();
    private boolean closed;

    RabbitConsumer(Connection own, String queue, MessageHandler handler) throws IOException {
      this.own = own;
      this.handler = handler;
      this.channel = own.createChannel();
      channel.basicQos(PREFETCH);
      channel.basicConsume(queue, false, (tag, delivery) -> onDelivery(delivery), tag -> {});
    }

    private void onDelivery(Delivery delivery) throws IOException {
      synchronized (lock) {
        if (closed) {
          return; // not acked: back to the queue when the channel closes
        }
        handler.onMessage(delivery.getBody());
        channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
      }
    }

    @Override
    public void close() throws Exception {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true; // waits for a handler under way, so its ack goes out first
      }
      try {
        if (own.isOpen()) {
          own.close();
        }
      } finally {
        open.remove(this);
      }
    }
  }
}
