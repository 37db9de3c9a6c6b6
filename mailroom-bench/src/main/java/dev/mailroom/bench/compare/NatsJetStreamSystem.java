package dev.mailroom.bench.compare;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * NATS JetStream through {@code jnats}: per destination a stream with file storage whose one
 * subject is the destination, per consumer a durable pull consumer with explicit acks. A publish is
 * {@code js.publish}, which returns once the server sent its PubAck, that is after the stream wrote
 * the message to its file store.
 *
 * <p>Publishers share one connection (one {@link JetStream} context, thread-safe); each open
 * consumer has a connection of its own, consumed with the pull-based {@code consume()} API (the
 * client keeps a batch of {@value #BATCH} messages requested, asking for more at a quarter left),
 * acknowledging each message after the handler returned.
 *
 * <p>Resuming where a consumer acknowledged: messages the server delivered to a consumer that was
 * then closed stay pending until their ack wait runs out, and would come back after newer ones. So
 * {@link #consume} first looks at the durable consumer, and if it has delivered beyond its ack
 * floor, recreates it to start right after the ack floor: the new session sees, in stream order,
 * every message not acknowledged, the unacknowledged in-flight ones again included.
 */
public final class NatsJetStreamSystem implements MessagingSystem {
  /** Messages a consumer keeps requested from the server. */
  static final int BATCH = 500;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ACK_WAIT = Duration.ofSeconds(60);
  private static final long MAX_ACK_PENDING = 20_000;
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(10);
  private static final long ACK_FLOOR_WAIT_MILLIS = 5_000;
  private static final int NOT_FOUND = 404;

  private final String url;
  private final @Nullable ServerProcess server;
  private final Connection connection;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final Set<String> streams = ConcurrentHashMap.newKeySet();
  private final Set<NatsConsumer> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService consumerTimers =
      Executors.newScheduledThreadPool(2, NatsJetStreamSystem::timerThread);

  private NatsJetStreamSystem(String url, @Nullable ServerProcess server) throws IOException {
    this.url = url;
    this.server = server;
    this.connection = connect(url, "mailroom-bench-publishers", null);
    JetStreamOptions options = JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build();
    this.js = connection.jetStream(options);
    this.jsm = connection.jetStreamManagement(options);
  }

  /** Uses an existing server with JetStream on, e.g. {@code nats://127.0.0.1:4222}. */
  public static NatsJetStreamSystem connectTo(String url) throws IOException {
    return new NatsJetStreamSystem(url, null);
  }

  /**
   * Starts a {@code nats-server -js} of its own on a free port, with its store in a temp directory;
   * {@link #close()} stops it and deletes the directory.
   */
  public static NatsJetStreamSystem startOwn() throws IOException {
    ServerProcess server = NatsServerProcess.start();
    try {
      return new NatsJetStreamSystem("nats://127.0.0.1:" + server.port(), server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "nats-js";
  }

  @Override
  public String durability() {
    return "written to the file store (write(2), page cache) before the PubAck, fsync every 60 s"
        + " (nats-server 2.9 filestore default, defaultSyncInterval; sync_interval is settable"
        + " only from 2.10): survives a server crash, not an OS crash or power loss";
  }

  /** The server's URL. */
  public String url() {
    return url;
  }

  @Override
  public void prepare(String destination, List<String> consumers) throws Exception {
    String stream = streamName(destination);
    try {
      jsm.deleteStream(stream);
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != NOT_FOUND) {
        throw e;
      }
    }
    jsm.addStream(
        StreamConfiguration.builder()
            .name(stream)
            .subjects(destination)
            .storageType(StorageType.File)
            .retentionPolicy(RetentionPolicy.Limits)
            .build());
    streams.add(stream);
    for (String consumer : consumers) {
      jsm.addOrUpdateConsumer(stream, consumerConfig(consumer, 0));
    }
  }

  @Override
  public Publisher publisher(String destination) {
    return new Publisher() {
      @Override
      public void publish(byte[] payload) throws Exception {
        js.publish(destination, payload);
      }

      @Override
      public CompletableFuture<Void> publishAsync(byte[] payload) {
        return js.publishAsync(destination, payload).thenApply(ack -> null);
      }

      @Override
      public void close() {
        // The connection is shared; nothing of its own to release.
      }
    };
  }

  @Override
  public Consumer consume(String destination, String consumer, MessageHandler handler)
      throws Exception {
    String stream = streamName(destination);
    String durable = consumerName(consumer);
    rewindToAckFloor(stream, consumer);
    Connection own = connect(url, "mailroom-bench-" + durable, consumerTimers);
    try {
      NatsConsumer opened = new NatsConsumer(own, stream, durable, handler);
      open.add(opened);
      return opened;
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      own.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (NatsConsumer consumer : List.copyOf(open)) {
        consumer.close();
      }
      for (String stream : List.copyOf(streams)) {
        try {
          jsm.deleteStream(stream);
        } catch (JetStreamApiException | IOException e) {
          // Best effort: a run that crashed leaves it for the next prepare to remove.
        }
      }
      connection.close();
    } finally {
      consumerTimers.shutdownNow();
      if (server != null) {
        server.close();
      }
    }
  }

  @Override
  public String toString() {
    return "NatsJetStreamSystem[" + url + "]";
  }

  /**
   * If the consumer was delivered messages it did not acknowledge (it was closed with some in
   * flight), recreates it starting right after its ack floor, so they come again first and in order
   * instead of after their ack wait.
   */
  private void rewindToAckFloor(String stream, String consumer) throws Exception {
    ConsumerInfo info = jsm.getConsumerInfo(stream, consumerName(consumer));
    long floor = info.getAckFloor().getStreamSequence();
    if (info.getDelivered().getStreamSequence() > floor || info.getNumAckPending() > 0) {
      jsm.deleteConsumer(stream, consumerName(consumer));
      jsm.addOrUpdateConsumer(stream, consumerConfig(consumer, floor + 1));
    }
  }

  /**
   * A durable pull consumer; from the start of the stream, or from {@code startSequence} if > 0.
   */
  private static ConsumerConfiguration consumerConfig(String consumer, long startSequence) {
    ConsumerConfiguration.Builder builder =
        ConsumerConfiguration.builder()
            .durable(consumerName(consumer))
            .ackPolicy(AckPolicy.Explicit)
            .ackWait(ACK_WAIT)
            .maxAckPending(MAX_ACK_PENDING);
    if (startSequence > 0) {
      builder.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(startSequence);
    } else {
      builder.deliverPolicy(DeliverPolicy.All);
    }
    return builder.build();
  }

  /**
   * A connection; with {@code timers}, its heartbeat and ping timers run there rather than on
   * threads of its own (a hundred consumer connections need not bring a hundred timer pools).
   */
  private static Connection connect(
      String url, String name, @Nullable ScheduledExecutorService timers) throws IOException {
    Options.Builder builder =
        Options.builder()
            .server(url)
            .connectionName(name)
            .connectionTimeout(Duration.ofSeconds(5))
            .maxReconnects(0);
    if (timers != null) {
      builder.scheduledExecutor(timers);
    }
    Options options = builder.build();
    try {
      return Nats.connect(options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + url, e);
    } catch (IOException e) {
      throw new IOException("cannot connect to NATS at " + url + ": " + e.getMessage(), e);
    }
  }

  private static Thread timerThread(Runnable task) {
    Thread thread = new Thread(task, "nats-consumer-timers");
    thread.setDaemon(true);
    return thread;
  }

  /** A stream name for a destination: JetStream names take no {@code . * >} nor whitespace. */
  static String streamName(String destination) {
    return sanitize(destination);
  }

  static String consumerName(String consumer) {
    return sanitize(consumer);
  }

  private static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c > ' ' && c < 127 && c != '.' && c != '*' && c != '>' && c != '/' && c != '\\';
      out.append(ok ? c : '_');
    }
    return out.toString();
  }

  /** One open durable consumer on its own connection. */
  private final class NatsConsumer implements Consumer {
    private final Connection own;
    private final String stream;
    private final String durable;
    private final MessageHandler handler;
    private final Object lock = new Object();
    private final MessageConsumer messages;
    private boolean closed;
    private long lastAcked;

    NatsConsumer(Connection own, String stream, String durable, MessageHandler handler)
        throws IOException, JetStreamApiException {
      this.own = own;
      this.stream = stream;
      this.durable = durable;
      this.handler = handler;
      ConsumerContext context = own.getConsumerContext(stream, durable);
      this.messages =
          context.consume(ConsumeOptions.builder().batchSize(BATCH).build(), this::onMessage);
    }

    private void onMessage(Message message) {
      synchronized (lock) {
        if (closed) {
          return; // stays unacknowledged: the next session gets it again
        }
        handler.onMessage(message.getData());
        message.ack();
        lastAcked = message.metaData().streamSequence();
      }
    }

    @Override
    public void close() throws Exception {
      long acked;
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true; // waits for a handler under way, so its ack is sent
        acked = lastAcked;
      }
      try {
        messages.stop();
        messages.close();
        own.flush(FLUSH_TIMEOUT);
        awaitAckFloor(acked);
      } finally {
        open.remove(this);
        own.close();
      }
    }

    /**
     * The server takes acks in on its own schedule; wait (bounded) until it counted ours, so that a
     * reopen right after this rewinds to the right place.
     */
    private void awaitAckFloor(long acked) throws Exception {
      if (acked == 0) {
        return;
      }
      long deadline = System.currentTimeMillis() + ACK_FLOOR_WAIT_MILLIS;
      while (jsm.getConsumerInfo(stream, durable).getAckFloor().getStreamSequence() < acked
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
    }
  }
}
