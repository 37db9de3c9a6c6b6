package dev.mailroom.bench.compare;

import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis Streams through Lettuce: per destination a stream (kept whole, no {@code MAXLEN}), per
 * consumer a consumer group of the same name, created at {@link #prepare} on the fresh stream. A
 * publish is {@code XADD} on a connection all publishers share (Lettuce pipelines the threads'
 * commands on it), which returns once Redis appended the entry to the AOF.
 *
 * <p>Each open consumer has a connection and a thread of its own: {@code XREADGROUP} with {@code
 * COUNT} {@value #BATCH}, first from id {@code 0} (entries delivered to it earlier and not
 * acknowledged, so a reopened consumer starts with them) until that is empty, then from {@code >}
 * with {@code BLOCK}; the handler is called for each entry of a batch in order, then one {@code
 * XACK} acknowledges the whole batch.
 */
public final class RedisStreamsSystem implements MessagingSystem {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStreamsSystem.class);

  /** Entries one {@code XREADGROUP} asks for. */
  static final int BATCH = 500;

  private static final Duration BLOCK = Duration.ofSeconds(2);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] FIELD = {'p'};

  private final @Nullable RedisServer server;
  private final String uri;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisCommands<byte[], byte[]> commands;
  private final Set<String> streams = ConcurrentHashMap.newKeySet();
  private final Set<RedisStreamsConsumer> open = ConcurrentHashMap.newKeySet();

  private RedisStreamsSystem(@Nullable RedisServer server, String uri) {
    this.server = server;
    this.uri = uri;
    this.client = RedisClient.create(uri);
    try {
      this.connection = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
    this.commands = connection.sync();
  }

  /**
   * Starts a {@code redis-server} of its own (the testkit fixture) with the durability Mailroom on
   * Redis has in the benchmarks: append-only file, {@code appendfsync everysec}; {@link #close()}
   * stops it and deletes its directory.
   */
  public static RedisStreamsSystem start() {
    RedisServer server =
        RedisServer.start(RedisServer.Options.defaults().appendOnly(true).appendFsync("everysec"));
    try {
      return new RedisStreamsSystem(server, server.uri());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Uses a running Redis, e.g. {@code redis://127.0.0.1:6379}, as it is configured. */
  public static RedisStreamsSystem connectTo(String uri) {
    return new RedisStreamsSystem(null, uri);
  }

  @Override
  public String name() {
    return "redis-streams";
  }

  @Override
  public String durability() {
    return server != null
        ? "AOF appendfsync everysec: XADD answered after the AOF write(2), fsync once a second"
            + " (same setting as Mailroom on Redis in these benchmarks)"
        : "as the Redis at " + uri + " is configured (appendonly / appendfsync)";
  }

  @Override
  public void prepare(String destination, List<String> consumers) {
    byte[] key = key(destination);
    commands.del(key);
    for (String consumer : consumers) {
      // The stream was just deleted: from "0" is the same as from "$", and safe against a race.
      commands.xgroupCreate(
          StreamOffset.from(key, "0"), bytes(consumer), XGroupCreateArgs.Builder.mkstream());
    }
    streams.add(destination);
  }

  @Override
  public Publisher publisher(String destination) {
    byte[] key = key(destination);
    return new Publisher() {
      @Override
      public void publish(byte[] payload) {
        commands.xadd(key, Map.of(FIELD, payload));
      }

      @Override
      public CompletableFuture<Void> publishAsync(byte[] payload) {
        // Pipelined on the shared connection: each reply comes once the entry is in the AOF.
        return connection
            .async()
            .xadd(key, Map.of(FIELD, payload))
            .toCompletableFuture()
            .thenApply(id -> null);
      }

      @Override
      public void close() {
        // The connection is shared; nothing of its own to release.
      }
    };
  }

  @Override
  public Consumer consume(String destination, String consumer, MessageHandler handler) {
    StatefulRedisConnection<byte[], byte[]> own = client.connect(ByteArrayCodec.INSTANCE);
    RedisStreamsConsumer opened = new RedisStreamsConsumer(own, destination, consumer, handler);
    open.add(opened);
    opened.start();
    return opened;
  }

  @Override
  public void close() throws Exception {
    try {
      for (RedisStreamsConsumer consumer : List.copyOf(open)) {
        consumer.close();
      }
      if (server == null) {
        for (String destination : streams) {
          commands.del(key(destination));
        }
      }
      connection.close();
    } finally {
      try {
        client.shutdown();
      } finally {
        if (server != null) {
          server.close();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "RedisStreamsSystem[" + uri + "]";
  }

  private static byte[] key(String destination) {
    return bytes(destination);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One open consumer: a connection and a reading thread. */
  private final class RedisStreamsConsumer implements Consumer {
    private final StatefulRedisConnection<byte[], byte[]> own;
    private final byte[] key;
    private final byte[] group;
    private final io.lettuce.core.Consumer<byte[]> member;
    private final MessageHandler handler;
    private final Thread thread;
    private final Object lock = new Object();
    private boolean closed;
    private boolean reading;

    RedisStreamsConsumer(
        StatefulRedisConnection<byte[], byte[]> own,
        String destination,
        String consumer,
        MessageHandler handler) {
      this.own = own;
      this.key = key(destination);
      this.group = bytes(consumer);
      this.member = io.lettuce.core.Consumer.from(group, bytes(consumer));
      this.handler = handler;
      this.thread = new Thread(this::run, "redis-streams-" + destination + "-" + consumer);
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    @SuppressWarnings("unchecked") // the generic varargs of xreadgroup
    private void run() {
      RedisCommands<byte[], byte[]> reader = own.sync();
      boolean pending = true; // what was delivered to this consumer before and not acknowledged
      try {
        while (true) {
          synchronized (lock) {
            if (closed) {
              return;
            }
            reading = true;
          }
          List<StreamMessage<byte[], byte[]>> batch;
          try {
            batch =
                pending
                    ? reader.xreadgroup(
                        member, XReadArgs.Builder.count(BATCH), StreamOffset.from(key, "0"))
                    : reader.xreadgroup(
                        member,
                        XReadArgs.Builder.count(BATCH).block(BLOCK),
                        StreamOffset.lastConsumed(key));
          } finally {
            synchronized (lock) {
              reading = false;
            }
          }
          if (batch.isEmpty()) {
            pending = false;
            continue;
          }
          synchronized (lock) {
            if (closed) {
              return; // the batch stays pending: the next session reads it first
            }
            String[] ids = new String[batch.size()];
            for (int i = 0; i < ids.length; i++) {
              StreamMessage<byte[], byte[]> message = batch.get(i);
              ids[i] = message.getId();
              Map<byte[], byte[]> body = message.getBody();
              if (body != null && !body.isEmpty()) {
                handler.onMessage(body.values().iterator().next());
              }
            }
            reader.xack(key, group, ids);
          }
        }
      } catch (RuntimeException e) {
        synchronized (lock) {
          if (closed) {
            return; // the connection was closed under a blocked read
          }
        }
        LOG.error("{} stopped", thread.getName(), e);
      }
    }

    @Override
    public void close() throws Exception {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true; // waits for a batch under way to be handled and acknowledged
        if (reading) {
          own.closeAsync(); // ends a blocked XREADGROUP
        }
      }
      try {
        if (Thread.currentThread() != thread) {
          thread.join(JOIN_TIMEOUT.toMillis());
        }
      } finally {
        if (own.isOpen()) {
          own.close();
        }
        open.remove(this);
      }
    }
  }
}
