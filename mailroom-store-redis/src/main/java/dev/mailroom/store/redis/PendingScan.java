package dev.mailroom.store.redis;

import dev.mailroom.core.delivery.SubscriptionId;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A walk over every pending delivery of the namespace, for the statistics that count across agents.
 * Each shard's {@code q} names its queues (a subscription id, or {@code inbox}, with its pending
 * count); each queue {@code ps:<id>} holds its pending deliveries as {@code id|agent}, in id order.
 * The walk reads every shard's {@code q} in one round trip, then every queue named there {@link
 * #CHUNK} members at a time, the next chunk of every queue not yet done in one round trip: one
 * round trip more than the longest queue has chunks. It reads every pending delivery once, so its
 * cost grows with the pending deliveries of the whole namespace (each agent's are bounded by its
 * inbox); what it keeps is up to the visitor. It works the same on a Cluster: every command names
 * one key, and Lettuce sends each to the master of its slot.
 *
 * <p>Not a snapshot: a delivery queued or settled during the walk may be seen or not.
 */
final class PendingScan {
  /** Members read per queue per round trip. */
  static final int CHUNK = 1_000;

  /** Told of each pending delivery. */
  @FunctionalInterface
  interface Visitor {
    /**
     * One pending delivery: the way in it came through, its message id (16 hex digits) and its
     * agent. A queue's deliveries come in ascending id order.
     */
    void pending(String subscription, String hex, String agent);
  }

  /** One queue still to read, from after {@code position} (empty: from its start). */
  private record Queue(byte[] key, String subscription, String position) {}

  private PendingScan() {}

  /** Visits every pending delivery of the namespace. */
  static void each(RedisLink link, Visitor visitor) {
    List<Queue> queues = queues(link);
    while (!queues.isEmpty()) {
      List<Queue> current = queues;
      List<List<byte[]>> chunks =
          link.pipelined(
              current,
              (c, q) ->
                  c.zrangebylex(
                      q.key(),
                      q.position().isEmpty()
                          ? Range.unbounded()
                          : Range.from(
                              Range.Boundary.excluding(Codec.utf8(q.position())),
                              Range.Boundary.unbounded()),
                      Limit.create(0, CHUNK)));
      queues = new ArrayList<>();
      for (int i = 0; i < current.size(); i++) {
        Queue q = current.get(i);
        String last = "";
        for (byte[] member : chunks.get(i)) {
          last = Codec.text(member);
          int bar = last.indexOf('|');
          visitor.pending(q.subscription(), last.substring(0, bar), last.substring(bar + 1));
        }
        if (chunks.get(i).size() == CHUNK) {
          queues.add(new Queue(q.key(), q.subscription(), last));
        }
      }
    }
  }

  /**
   * Every queue a shard's {@code q} names, whatever its count says: the members are what the walk
   * trusts.
   */
  private static List<Queue> queues(RedisLink link) {
    List<Map<byte[], byte[]>> counts =
        link.pipelined(link.inEveryShard("q"), (c, q) -> c.hgetall(q));
    List<Queue> queues = new ArrayList<>();
    for (int k = 0; k < counts.size(); k++) {
      for (Map.Entry<byte[], byte[]> e : counts.get(k).entrySet()) {
        String subscription = Codec.text(e.getKey());
        queues.add(new Queue(link.key(k, "ps:" + subscription), subscription, ""));
      }
    }
    return queues;
  }

  /**
   * The ids (as hex, sorted) of one agent's pending deliveries through one way in: an {@code HSCAN}
   * of its delivery states {@code d:<agent>} ({@code states}), {@link #CHUNK} fields per round
   * trip, keeping the fields whose state names that way in. Its cost grows with the agent's pending
   * deliveries, which its inbox size and subscription queue sizes bound.
   */
  static TreeSet<String> through(RedisLink link, byte[] states, SubscriptionId way) {
    String prefix = way.value() + "|";
    // A set, as HSCAN may return a field more than once; ids sort as text.
    TreeSet<String> ids = new TreeSet<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      ScanCursor from = cursor;
      MapScanCursor<byte[], byte[]> page =
          link.call(() -> link.sync().hscan(states, from, ScanArgs.Builder.limit(CHUNK)));
      for (Map.Entry<byte[], byte[]> e : page.getMap().entrySet()) {
        if (Codec.text(e.getValue()).startsWith(prefix)) {
          ids.add(Codec.text(e.getKey()));
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
    return ids;
  }
}
