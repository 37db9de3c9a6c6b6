package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nodes on this namespace did, from the {@code events} channel that every write script
 * publishes to: messages stored, deliveries acknowledged or replayed, and changes to subscriptions,
 * topics, agents and the access policy. The {@link ChangeListener} hears of every node's changes
 * from here, this node's own included ({@link OwnWrites}), so in the order Redis committed them,
 * and before the write's caller hears it succeeded ({@link #tracked}).
 *
 * <p>Pub/sub is at most once: while the subscription connection is down, events are lost. When it
 * comes back the listener is asked to {@link ChangeListener#resync() resync}; deliveries missed
 * meanwhile are still pending in the store, and a stream reads them from there. Events are handled
 * on one thread of their own ({@code mailroom-redis-events}), in order, from a bounded queue; if
 * that queue overflows, events are dropped and a resync is asked for in the same way.
 */
final class RedisEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEvents.class);
  static final int QUEUE_CAPACITY = 65_536;

  /** How long a write waits for its own event to be handled before it returns anyway. */
  static final Duration OWN_EVENT_WAIT = Duration.ofSeconds(2);

  private final String node;
  private final OwnWrites own = new OwnWrites();
  private final Duration confirmWait;
  private final RedisDeliveryStore deliveries;
  private final RedisLink link;
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile ChangeListener listener = ChangeListener.NONE;
  private volatile boolean closed;
  private volatile boolean resyncNeeded;

  /** Whether the events connection is down, so its loss is logged once. */
  private final AtomicBoolean disconnected = new AtomicBoolean();

  /** A resync that found Redis not answering, to try again after {@link #RESYNC_RETRY_NANOS}. */
  private boolean resyncPostponed; // the events thread's own

  private long postponedAt; // the events thread's own

  private static final long RESYNC_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final byte[] RESYNC = new byte[0];

  /**
   * @param confirmWait the longest the events thread waits for the outcome of one of this node's
   *     writes whose event came before its reply
   */
  RedisEvents(String node, RedisLink link, RedisDeliveryStore deliveries, Duration confirmWait) {
    this.node = node;
    this.confirmWait = confirmWait;
    this.link = link;
    this.deliveries = deliveries;
    this.connection = link.connectPubSub();
    this.thread =
        Thread.ofPlatform().name("mailroom-redis-events").daemon(true).unstarted(this::run);
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            offer(message);
          }
        });
    link.addConnectionListener(
        new RedisConnectionStateListener() {
          // Only the events connection counts (the client's others come and go: Sentinel lookups,
          // Cluster topology refreshes); it is the one pub/sub connection of the client.
          @Override
          public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
            if (c instanceof StatefulRedisPubSubConnection) {
              disconnected.set(false);
              if (resyncNeeded) {
                offer(RESYNC);
              }
            }
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
            if (c instanceof StatefulRedisPubSubConnection && !closed) {
              resyncNeeded = true;
              // Each failed reconnection attempt tells again: one line until it is back.
              if (disconnected.compareAndSet(false, true)) {
                LOG.info("lost the Redis events connection; will resync with the other nodes");
              }
            }
          }
        });
    try {
      connection.sync().subscribe(link.key("events"));
    } catch (RedisException e) {
      connection.close();
      throw RedisLink.unavailable(e);
    }
    thread.start();
  }

  /**
   * Sets the listener, and has it resync at once: whatever it loaded before now may already have
   * been changed by events it was not there to hear.
   */
  void listen(ChangeListener listener) {
    this.listener = listener;
    offer(RESYNC);
  }

  /**
   * Runs one of this node's writes whose script publishes one event (when {@code published} says so
   * of its result) carrying the token it is given, and returns once the listener has been told of
   * that event (see {@link OwnWrites}).
   */
  <T> T tracked(LongFunction<T> write, Predicate<T> published) {
    return own.run(write, published, this::ownEventWait);
  }

  /** {@link #tracked} for a write that publishes {@code events} (from its result) events. */
  <T> T trackedMany(LongFunction<T> write, ToIntFunction<T> events) {
    return own.runMany(write, events, this::ownEventWait);
  }

  /**
   * {@link #tracked} for a script that answers {@code ok}, or why it refused.
   *
   * @throws MailroomException.Conflict with the script's reason when it refused
   */
  void runOrConflict(Script script, Object... args) {
    String outcome =
        tracked(
            token -> Codec.text(link.<byte[]>run(token, script, ScriptOutputType.VALUE, args)),
            "ok"::equals);
    if (!outcome.equals("ok")) {
      throw new MailroomException.Conflict(outcome);
    }
  }

  /**
   * Has the listener resync: this node's own writes were made without the listener being told
   * (their replicas could not be confirmed), and they may survive. One resync at a time is asked
   * for; while the channel is down, the reconnection asks anyway.
   */
  void resyncSoon() {
    if (!resyncNeeded) {
      resyncNeeded = true;
      offer(RESYNC);
    }
  }

  long dropped() {
    return dropped.get();
  }

  /**
   * How long one of this node's writes should wait for its event to be handled: none while the
   * channel is down or a resync is due (the resync will have the streams read the store).
   */
  private Duration ownEventWait() {
    return !resyncNeeded && connection.isOpen() ? OWN_EVENT_WAIT : Duration.ZERO;
  }

  private void offer(byte[] event) {
    if (!queue.offer(event)) {
      long n = dropped.incrementAndGet();
      if (n == 1 || n % 10_000 == 0) {
        LOG.error("Redis events queue full: {} events dropped so far; will resync", n);
      }
      resyncNeeded = true;
    }
  }

  private void run() {
    while (!closed) {
      byte[] event;
      try {
        event = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event == null) {
        if (resyncNeeded && connection.isOpen() && queue.isEmpty()) {
          resync();
        }
        continue;
      }
      if (resyncPostponed && System.nanoTime() - postponedAt > RESYNC_RETRY_NANOS) {
        resync(); // a postponed one, even while events keep coming
      }
      try {
        if (event == RESYNC) {
          resync();
        } else {
          handle(event);
        }
      } catch (RuntimeException e) {
        LOG.error("could not apply an event from another node", e);
      }
    }
  }

  private void resync() {
    resyncNeeded = false;
    resyncPostponed = false;
    LOG.info("resynchronising with the other nodes");
    try {
      listener.resync();
    } catch (MailroomException.Unavailable e) {
      // Redis is not answering yet (its circuit breaker may still be open): try again in a
      // second, or the node's views would keep what it missed while the connection was down.
      resyncNeeded = true;
      resyncPostponed = true;
      postponedAt = System.nanoTime();
      LOG.info("resynchronising postponed: {}", e.getMessage());
    }
  }

  private void handle(byte[] event) {
    int[] cuts = newlines(event, 6);
    String type = field(event, -1, cuts[0]);
    String origin = field(event, cuts[0], cuts[1]);
    int colon = origin.lastIndexOf(':');
    String from = colon < 0 ? origin : origin.substring(0, colon);
    boolean mine = from.equals(node);
    long token = mine ? Long.parseLong(origin.substring(colon + 1)) : 0;
    try {
      if (mine && token != 0 && !own.confirmed(token, confirmWait)) {
        // Its writer failed (a timeout, a reply lost, replicas that did not confirm), yet the write
        // is in Redis, since its event is here: it stands, and a retry or the spool's replay will
        // find it there and publish nothing. The streams read the store again to see it.
        resyncSoon();
        return;
      }
      String first = field(event, cuts[1], cuts[2] < 0 ? event.length : cuts[2]);
      ChangeListener l = listener;
      switch (type) {
        case "D" -> stored(l, event, cuts, first);
        case "Q" -> requeued(l, event, cuts, first);
        case "K" -> acknowledged(l, event, cuts, first);
        case "S" ->
            deliveries.subscription(SubscriptionId.of(first)).ifPresent(l::subscriptionSaved);
        case "U" -> l.subscriptionDeleted(SubscriptionId.of(first));
        case "T" -> l.topicChanged(MailboxName.of(first));
        case "A" -> l.agentChanged(AgentId.of(first));
        case "P" -> l.accessChanged();
        default -> LOG.warn("unknown event type {} from node {}", type, from);
      }
    } finally {
      if (mine && token != 0) {
        own.handled(token);
      }
    }
  }

  /** {@code D}: id, pushed recipients ({@code agent|subscription|max}), agents reached, message. */
  private static void stored(ChangeListener l, byte[] event, int[] cuts, String id) {
    String pushed = field(event, cuts[2], cuts[3]);
    String reached = field(event, cuts[3], cuts[4]);
    Message message =
        Codec.message(Codec.id(id), Arrays.copyOfRange(event, cuts[4] + 1, event.length));
    List<Recipient> recipients = new ArrayList<>();
    for (String r : split(pushed)) {
      recipients.add(recipient(r));
    }
    l.stored(message, recipients, split(reached).stream().map(AgentId::of).toList());
  }

  /** {@code Q}: id, the recipient ({@code agent|subscription|max}), message. */
  private static void requeued(ChangeListener l, byte[] event, int[] cuts, String id) {
    Recipient recipient = recipient(field(event, cuts[2], cuts[3]));
    l.requeued(
        Codec.message(Codec.id(id), Arrays.copyOfRange(event, cuts[3] + 1, event.length)),
        recipient);
  }

  /** {@code K}: agent, then the ids acknowledged, comma-separated. */
  private static void acknowledged(ChangeListener l, byte[] event, int[] cuts, String agent) {
    String ids = field(event, cuts[2], cuts[3] < 0 ? event.length : cuts[3]);
    l.acknowledged(AgentId.of(agent), split(ids).stream().map(Codec::id).toList());
  }

  private static Recipient recipient(String text) {
    String[] p = text.split("\\|", 3);
    return new Recipient(AgentId.of(p[0]), SubscriptionId.of(p[1]), true, Integer.parseInt(p[2]));
  }

  /** The positions of the first {@code n} newlines ({@code -1} past the last one found). */
  private static int[] newlines(byte[] b, int n) {
    int[] cuts = new int[n];
    Arrays.fill(cuts, -1);
    int found = 0;
    for (int i = 0; i < b.length && found < n; i++) {
      if (b[i] == '\n') {
        cuts[found++] = i;
      }
    }
    return cuts;
  }

  private static String field(byte[] b, int after, int end) {
    return new String(b, after + 1, end - after - 1, StandardCharsets.UTF_8);
  }

  private static List<String> split(String csv) {
    return csv.isEmpty() ? List.of() : List.of(csv.split(","));
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    connection.close();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
