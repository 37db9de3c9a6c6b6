package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.PeerListener;
import dev.mailroom.core.spi.Recipient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nodes on this namespace did, from the {@code events} channel that every write script
 * publishes to: deliveries for this node's streams and long polls, and changes to subscriptions,
 * topics, agents and the access policy for its in-memory views. The delivery listener hears of
 * every node's deliveries from here, this node's own included ({@link OwnWrites}), so in commit
 * order; changes this node made itself are skipped (it applied them already).
 *
 * <p>Pub/sub is at most once: while the subscription connection is down, events are lost. When it
 * comes back the peer listener is asked to {@link PeerListener#resync() resync}; deliveries missed
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
  private final OwnWrites own;
  private final Duration confirmWait;
  private final RedisDeliveryStore deliveries;
  private final RedisLink link;
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile PeerListener peers = PeerListener.NONE;
  private volatile boolean closed;
  private volatile boolean resyncNeeded;
  private static final byte[] RESYNC = new byte[0];

  /**
   * @param confirmWait the longest the events thread waits for the outcome of one of this node's
   *     writes whose event came before its reply
   */
  RedisEvents(
      String node,
      RedisLink link,
      RedisDeliveryStore deliveries,
      OwnWrites own,
      Duration confirmWait) {
    this.node = node;
    this.own = own;
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
            if (c instanceof StatefulRedisPubSubConnection && resyncNeeded) {
              offer(RESYNC);
            }
          }

          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
            if (c instanceof StatefulRedisPubSubConnection && !closed) {
              LOG.info("lost the Redis events connection; will resync with the other nodes");
              resyncNeeded = true;
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
   * Sets the peer listener, and has it resync at once: whatever it loaded before now may already
   * have been changed by events it was not there to hear.
   */
  void watch(PeerListener listener) {
    this.peers = listener;
    offer(RESYNC);
  }

  /**
   * Has the peer listener resync: this node's own writes were made without its delivery listener
   * being told (their replicas could not be confirmed), and they may survive. One resync at a time
   * is asked for; while the channel is down, the reconnection asks anyway.
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
  Duration ownEventWait() {
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
    LOG.info("resynchronising with the other nodes");
    peers.resync();
  }

  private void handle(byte[] event) {
    int[] cuts = newlines(event, 6);
    String type = field(event, -1, cuts[0]);
    String origin = field(event, cuts[0], cuts[1]);
    int colon = origin.lastIndexOf(':');
    String from = colon < 0 ? origin : origin.substring(0, colon);
    boolean mine = from.equals(node);
    if (mine && !type.equals("D")) {
      return; // this node applied its own change already
    }
    String first = field(event, cuts[1], cuts[2] < 0 ? event.length : cuts[2]);
    switch (type) {
      case "D" -> {
        long token = mine ? Long.parseLong(origin.substring(colon + 1)) : 0;
        try {
          if (mine && !own.confirmed(token, confirmWait)) {
            return; // failed, or not confirmed on its replicas: its writer asked for a resync
          }
          delivered(event, cuts, first, mine);
        } finally {
          if (mine) {
            own.handled(token);
          }
        }
      }
      case "S" ->
          deliveries.subscription(SubscriptionId.of(first)).ifPresent(peers::subscriptionSaved);
      case "U" -> peers.subscriptionDeleted(SubscriptionId.of(first));
      case "T" -> peers.topicChanged(MailboxName.of(first));
      case "A" -> peers.agentChanged(AgentId.of(first));
      case "P" -> peers.accessChanged();
      default -> LOG.warn("unknown event type {} from node {}", type, from);
    }
  }

  /** A delivery event: tells the delivery listener, and for another node's, the peer listener. */
  private void delivered(byte[] event, int[] cuts, String id, boolean mine) {
    String pushed = field(event, cuts[2], cuts[3]);
    String reached = field(event, cuts[3], cuts[4]);
    byte[] stored = Arrays.copyOfRange(event, cuts[4] + 1, event.length);
    Message message = Codec.message(Codec.id(id), stored);
    List<Recipient> recipients = new ArrayList<>();
    for (String r : split(pushed)) {
      String[] p = r.split("\\|", 3);
      recipients.add(
          new Recipient(AgentId.of(p[0]), SubscriptionId.of(p[1]), true, Integer.parseInt(p[2])));
    }
    deliveries.tell(message, recipients);
    if (!mine) {
      peers.reached(split(reached).stream().map(AgentId::of).toList());
    }
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
