package dev.mailroom.store.sqlite;

import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.Recipient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pending counters of {@code queues} and the subscription queue bound, as the writer keeps
 * them. Every change of an entry into or out of the pending state goes through here, so a counter
 * always equals its pending rows (expired ones included, until the cleaner removes them).
 *
 * <p>An entry's {@code subscription} column is null for {@link SubscriptionId#INBOX}; its counter
 * is keyed by the inbox's id all the same. The inbox has no bound.
 *
 * <p>A fan-out counts all its subscriptions in one statement and, once their queues are full, drops
 * each one's oldest delivery in one more.
 *
 * <p>Confined to the writer thread.
 */
final class Queues {
  private Queues() {}

  /** The {@code entries.subscription} value for deliveries through {@code id}. */
  static @Nullable String column(SubscriptionId id) {
    return id.isInbox() ? null : id.value();
  }

  /** The {@code queues} key of an {@code entries.subscription} value. */
  static String key(@Nullable String column) {
    return column == null ? SubscriptionId.INBOX.value() : column;
  }

  /** Counts {@code n} more pending deliveries; returns the new count. */
  static long add(WriteSession s, String key, long n) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO queues (subscription, pending) VALUES (?, ?)"
                + " ON CONFLICT (subscription) DO UPDATE SET pending = pending + excluded.pending"
                + " RETURNING pending");
    ps.setString(1, key);
    ps.setLong(2, n);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : n;
    }
  }

  /** Counts {@code n} fewer pending deliveries. */
  static void remove(WriteSession s, String key, long n) throws SQLException {
    if (n == 0) {
      return;
    }
    PreparedStatement ps =
        s.prepare("UPDATE queues SET pending = MAX(pending - ?, 0) WHERE subscription = ?");
    ps.setLong(1, n);
    ps.setString(2, key);
    ps.executeUpdate();
  }

  /** Counts fewer pending deliveries: {@code removed} maps keys to how many fewer. */
  static void remove(WriteSession s, Map<String, Long> removed) throws SQLException {
    if (removed.size() <= 2) {
      for (Map.Entry<String, Long> e : removed.entrySet()) {
        remove(s, e.getKey(), e.getValue());
      }
      return;
    }
    StringBuilder json = new StringBuilder(removed.size() * 24).append('[');
    for (Map.Entry<String, Long> e : removed.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("[\"").append(e.getKey()).append("\",").append(e.getValue()).append(']');
    }
    PreparedStatement ps =
        s.prepare(
            "UPDATE queues SET pending = MAX(pending - d.n, 0) FROM"
                + " (SELECT value ->> 0 AS k, value ->> 1 AS n FROM json_each(?)) d"
                + " WHERE queues.subscription = d.k");
    ps.setString(1, json.append(']').toString());
    ps.executeUpdate();
  }

  /**
   * Counts newly queued deliveries and, where that overfills a subscription's queue, drops its
   * oldest pending deliveries (their entries stay in the inbox).
   */
  static void queue(WriteSession s, List<Recipient> pushed) throws SQLException {
    long inbox = 0;
    List<Recipient> subscribed = new ArrayList<>(pushed.size());
    for (Recipient r : pushed) {
      if (r.subscription().isInbox()) {
        inbox++;
      } else {
        subscribed.add(r);
      }
    }
    if (inbox > 0) {
      add(s, SubscriptionId.INBOX.value(), inbox);
    }
    if (subscribed.size() == 1) {
      Recipient r = subscribed.getFirst();
      long pending = add(s, r.subscription().value(), 1);
      if (pending > r.maxQueueSize()) {
        dropOldest(s, r.subscription().value(), pending - r.maxQueueSize());
      }
    } else if (!subscribed.isEmpty()) {
      queueAll(s, subscribed);
    }
  }

  private static void queueAll(WriteSession s, List<Recipient> subscribed) throws SQLException {
    List<String> keys = new ArrayList<>(subscribed.size());
    for (Recipient r : subscribed) {
      keys.add(r.subscription().value());
    }
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO queues (subscription, pending) SELECT value, 1 FROM json_each(?) WHERE 1"
                + " ON CONFLICT (subscription) DO UPDATE SET pending = pending + 1"
                + " RETURNING subscription, pending");
    ps.setString(1, Json.strings(keys));
    Map<String, Long> counts = new HashMap<>(subscribed.size() * 2);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.merge(rs.getString(1), rs.getLong(2), Math::max);
      }
    }
    List<String> oneOver = new ArrayList<>();
    for (Recipient r : subscribed) {
      String key = r.subscription().value();
      long excess = counts.getOrDefault(key, 0L) - r.maxQueueSize();
      if (excess == 1) {
        oneOver.add(key);
      } else if (excess > 1) {
        dropOldest(s, key, excess);
      }
    }
    if (oneOver.size() == 1) {
      dropOldest(s, oneOver.getFirst(), 1);
    } else if (!oneOver.isEmpty()) {
      dropOldestOfEach(s, oneOver);
    }
  }

  /** Drops up to {@code count} of a subscription's oldest pending deliveries. */
  private static void dropOldest(WriteSession s, String subscription, long count)
      throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "UPDATE entries SET state = "
                + DeliveryState.DROPPED
                + " WHERE (mailbox, id) IN (SELECT mailbox, id FROM entries"
                + " WHERE subscription = ? AND "
                + Schema.QUEUED
                + " ORDER BY id LIMIT ?)");
    ps.setString(1, subscription);
    ps.setLong(2, count);
    remove(s, subscription, ps.executeUpdate());
  }

  /** Drops the oldest pending delivery of each of these (distinct) subscriptions. */
  private static void dropOldestOfEach(WriteSession s, List<String> subscriptions)
      throws SQLException {
    String keys = Json.strings(subscriptions);
    PreparedStatement ps =
        s.prepare(
            "UPDATE entries SET state = "
                + DeliveryState.DROPPED
                + " WHERE (subscription, id) IN (SELECT j.value,"
                + " (SELECT MIN(o.id) FROM entries o WHERE o.subscription = j.value"
                + " AND o.state = "
                + DeliveryState.PENDING
                + " AND o.subscription IS NOT NULL) FROM json_each(?) j) AND "
                + Schema.QUEUED
                + " RETURNING subscription");
    ps.setString(1, keys);
    List<String> dropped = new ArrayList<>(subscriptions.size());
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        dropped.add(rs.getString(1));
      }
    }
    PreparedStatement uncount =
        s.prepare(
            "UPDATE queues SET pending = MAX(pending - 1, 0)"
                + " WHERE subscription IN (SELECT value FROM json_each(?))");
    uncount.setString(1, Json.strings(dropped));
    uncount.executeUpdate();
  }

  /** Forgets a subscription's counter, once none of its deliveries is pending. */
  static void forget(WriteSession s, String key) throws SQLException {
    PreparedStatement ps = s.prepare("DELETE FROM queues WHERE subscription = ?");
    ps.setString(1, key);
    ps.executeUpdate();
  }
}
