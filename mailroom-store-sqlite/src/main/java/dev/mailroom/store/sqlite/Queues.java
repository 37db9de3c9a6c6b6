package dev.mailroom.store.sqlite;

import dev.mailroom.core.delivery.SubscriptionId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The pending counters of {@code queues} and the subscription queue bound, as the writer keeps
 * them. Every change of an entry into or out of the pending state goes through here so the counters
 * always equal the pending rows (expired ones included, until the cleaner removes them).
 *
 * <p>An entry's {@code subscription} column is null for {@link SubscriptionId#INBOX}; its counter
 * is keyed by the inbox's id all the same.
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

  /**
   * Queues one more delivery through a subscription and, if that overfills it, drops its oldest
   * pending deliveries (the entries stay in the inbox).
   */
  static void queueOne(WriteSession s, SubscriptionId subscription, int maxQueueSize)
      throws SQLException {
    String key = subscription.value();
    long pending = add(s, key, 1);
    if (pending > maxQueueSize && !subscription.isInbox()) {
      dropOldest(s, key, pending - maxQueueSize);
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

  /** Forgets a subscription's counter, once none of its deliveries is pending. */
  static void forget(WriteSession s, String key) throws SQLException {
    PreparedStatement ps = s.prepare("DELETE FROM queues WHERE subscription = ?");
    ps.setString(1, key);
    ps.executeUpdate();
  }
}
