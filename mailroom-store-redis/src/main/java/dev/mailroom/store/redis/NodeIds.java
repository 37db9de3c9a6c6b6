package dev.mailroom.store.redis;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Periodic;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids this node gives the messages it sends. The node chooses a message's id before Redis sees
 * the send, so that a send can be tried again with the same id, whether an answer was lost or Redis
 * was down and the send waited in the node's spool, and Redis stores it once (a send whose id is
 * already stored is a repeat).
 *
 * <p>An id is the millisecond (44 bits), then the node's number ({@value #NODE_BITS} bits), a
 * sequence within the millisecond, and the message's home shard ({@link KeySpace#shardBits()} bits,
 * lowest). The number is leased in Redis ({@code nodes} in the system's keys, {@code
 * node_claim.lua}) for {@link #LEASE} and renewed every {@link #RENEW_EVERY}: two live nodes never
 * hold the same number, so their ids never collide. The node uses its number only while its lease,
 * as last renewed, has more than {@link #MARGIN} to run (the margin covers clocks that differ
 * between nodes); past that, with Redis unreachable all along, {@link #next} refuses.
 *
 * <p>One node's ids ascend: within a millisecond the sequence counts up, and past its top the id
 * borrows the next millisecond. Thread-safe.
 */
final class NodeIds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeIds.class);

  static final int NODE_BITS = 7;
  static final int NODES = 1 << NODE_BITS;
  static final Duration LEASE = Duration.ofMinutes(10);
  static final Duration RENEW_EVERY = Duration.ofSeconds(10);
  static final Duration MARGIN = Duration.ofMinutes(1);

  private final RedisLink link;
  private final Scripts scripts;
  private final InstantSource clock;
  private final String name = UUID.randomUUID().toString();
  private final int shardBits;
  private final int sequenceBits;
  private final long maxSequence;
  private volatile int node = -1; // written under this
  private volatile long usableUntil; // written under this
  private long lastMillis; // guarded by this
  private long sequence; // guarded by this
  private long lastId; // guarded by this
  private Periodic renewer;

  private NodeIds(RedisLink link, Scripts scripts, InstantSource clock) {
    this.link = link;
    this.scripts = scripts;
    this.clock = clock;
    this.shardBits = link.keys().shardBits();
    this.sequenceBits = KeySpace.LOW_BITS - shardBits - NODE_BITS;
    this.maxSequence = (1L << sequenceBits) - 1;
  }

  /**
   * Claims a number and keeps renewing it.
   *
   * @throws MailroomException.Unavailable if Redis cannot be reached or every number is leased
   */
  static NodeIds claim(RedisLink link, Scripts scripts, InstantSource clock) {
    NodeIds ids = new NodeIds(link, scripts, clock);
    ids.renew(LEASE);
    ids.renewer = Periodic.every("mailroom-node-lease", RENEW_EVERY, ids::renewQuietly);
    LOG.info("node {} holds number {} for its message ids", link.node(), ids.node);
    return ids;
  }

  /** The node's number, as last claimed. */
  int node() {
    return node;
  }

  /**
   * A fresh id for a message whose home is {@code shard}, above every id this node gave before.
   *
   * @throws MailroomException.Unavailable if the node's lease may have run out (Redis unreachable
   *     for about {@link #LEASE})
   */
  MessageId next(int shard) {
    if (clock.millis() >= usableUntil) {
      // The renewer may just not have run (or the clock jumped): try once before refusing.
      try {
        renew(LEASE);
      } catch (RuntimeException e) {
        throw new MailroomException.Unavailable(
            "this node could not renew its id lease in Redis for "
                + LEASE.minus(MARGIN).toMinutes()
                + " minutes; it gives no more ids until Redis is back",
            e);
      }
    }
    long now = clock.millis();
    synchronized (this) {
      if (now > lastMillis) {
        lastMillis = now;
        sequence = 0;
      } else if (++sequence > maxSequence) {
        lastMillis++;
        sequence = 0;
      }
      long low = ((((long) node << sequenceBits) | sequence) << shardBits) | shard;
      long id = (lastMillis << KeySpace.LOW_BITS) | low;
      if (id <= lastId) {
        // The number changed (a lease lost and claimed anew) within one millisecond: move on.
        lastMillis++;
        sequence = 0;
        id =
            (lastMillis << KeySpace.LOW_BITS) | ((long) node << (sequenceBits + shardBits)) | shard;
      }
      lastId = id;
      return MessageId.of(id);
    }
  }

  private void renewQuietly() {
    try {
      renew(LEASE);
    } catch (RuntimeException e) {
      LOG.debug("cannot renew the node's id lease: {}", e.getMessage());
    }
  }

  /**
   * Claims or renews the number for {@code lease} ({@link Duration#ZERO} gives it up), reporting
   * the last millisecond this node gave an id in; starts the node's ids above the highest any node
   * reported.
   */
  private void renew(Duration lease) {
    long start = clock.millis();
    long last;
    synchronized (this) {
      last = lastMillis;
    }
    List<Object> answer =
        link.run(scripts.claimNode(), ScriptOutputType.MULTI, name, lease.toMillis(), NODES, last);
    long n = (Long) answer.get(0);
    long floor = (Long) answer.get(1);
    if (n < 0) {
      throw new MailroomException.Unavailable(
          "all " + NODES + " node numbers are leased: too many nodes share this namespace", null);
    }
    synchronized (this) {
      if (floor >= lastMillis) {
        // Ids given before (by this namespace's nodes, this one included) reach up to floor.
        lastMillis = floor + 1;
        sequence = -1;
      }
      if (node >= 0 && n != node && !lease.isZero()) {
        LOG.warn("node {} lost its id number {} and now holds {}", link.node(), node, n);
      }
      node = (int) n;
      usableUntil = lease.isZero() ? 0 : start + lease.minus(MARGIN).toMillis();
    }
  }

  /** Stops renewing and gives the number up, reporting this node's last id (best effort). */
  @Override
  public void close() {
    if (renewer != null) {
      renewer.close();
    }
    try {
      renew(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("cannot give the node's id number up: {}", e.getMessage());
    }
  }
}
