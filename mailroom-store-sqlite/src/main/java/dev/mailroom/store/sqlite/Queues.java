package dev.mailroom.store.sqlite;

import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.Recipient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The delivery queues as the writer keeps them: every change of an entry into or out of the pending
 * state goes through here, so each count in {@link QueueCounters} equals its pending rows (expired
 * ones included, until the cleaner removes them). A subscription's queue is bounded: once queuing
 * overfills it, its oldest pending deliveries are dropped (their entries stay in the inbox); a
 * fan-out drops the oldest of every full queue it fills in one statement.
 *
 * <p>An entry's {@code subscription} column is null for {@link SubscriptionId#INBOX}; its count is
 * kept under the inbox's id all the same. The inbox has no bound.
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

  /** Counts {@code n} more pending deliveries. */
  static void add(WriteSession s, String key, long n) {
    s.counters().add(key, n);
  }

  /** Counts {@code n} fewer pending deliveries. */
  static void remove(WriteSession s, String key, long n) {
    s.counters().add(key, -n);
  }

  /** Counts fewer pending deliveries: {@code removed} maps keys to how many fewer. */
  static void remove(WriteSession s, Map<String, Long> removed) {
    for (Map.Entry<String, Long> e : removed.entrySet()) {
      remove(s, e.getKey(), e.getValue());
    }
  }

  /** Forgets a queue, once none of its deliveries is pending. */
  static void forget(WriteSession s, String key) {
    remove(s, key, s.counters().pending(key));
  }

  /**
   * Counts newly queued deliveries and, where that overfills a subscription's queue, drops its
   * oldest pending deliveries.
   */
  static void queue(WriteSession s, List<Recipient> pushed) throws SQLException {
    long inbox = 0;
    List<String> oneOver = new ArrayList<>();
    for (Recipient r : pushed) {
      if (r.subscription().isInbox()) {
        inbox++;
        continue;
      }
      String key = r.subscription().value();
      long excess = s.counters().add(key, 1) - r.maxQueueSize();
      if (excess == 1) {
        oneOver.add(key);
      } else if (excess > 1) {
        // Only when a route asks for a smaller bound than before: rare enough to go one by one.
        dropOldest(s, key, excess);
      }
    }
    if (inbox > 0) {
      add(s, SubscriptionId.INBOX.value(), inbox);
    }
    if (oneOver.size() == 1) {
      dropOldest(s, oneOver.getFirst(), 1);
    } else if (!oneOver.isEmpty()) {
      dropOldestOfEach(s, oneOver);
    }
  }

  /**
   * Drops up to {@code count} of a subscription's oldest pending deliveries, whichever table holds
   * them ({@link DeliveryTable}): the oldest of each, merged by id.
   */
  private static void dropOldest(WriteSession s, String subscription, long count)
      throws SQLException {
    PreparedStatement oldest =
        s.prepare(
            DeliveryTable.union(
                t ->
                    "SELECT "
                        + t.rowColumns(t.table())
                        + " FROM "
                        + t.table()
                        + " INDEXED BY "
                        + t.index("queued")
                        + " WHERE subscription = ? AND "
                        + Schema.QUEUED
                        + " ORDER BY id LIMIT ?",
                " ORDER BY 1 LIMIT ?"));
    oldest.setString(1, subscription);
    oldest.setLong(2, count);
    oldest.setString(3, subscription);
    oldest.setLong(4, count);
    oldest.setLong(5, count);
    List<DeliveryTable.Row> rows = new ArrayList<>();
    try (ResultSet rs = oldest.executeQuery()) {
      while (rs.next()) {
        rows.add(DeliveryTable.row(rs, 1));
      }
    }
    long dropped = 0;
    for (DeliveryTable.Row row : rows) {
      DeliveryTable t = row.table();
      PreparedStatement drop =
          s.prepare(
              "UPDATE "
                  + t.table()
                  + " SET state = "
                  + DeliveryState.DROPPED
                  + " WHERE id = ? AND "
                  + t.owner()
                  + " = ? AND "
                  + Schema.QUEUED);
      drop.setLong(1, row.id());
      drop.setString(2, row.owner());
      dropped += drop.executeUpdate();
    }
    remove(s, subscription, dropped);
  }

  /**
   * Drops the oldest pending delivery of each of these (distinct) subscriptions. A fan-out that
   * fills many queues usually fills them with the same messages, so their oldest pending deliveries
   * are {@code fanout} rows of one message, next to each other.
   */
  private static void dropOldestOfEach(WriteSession s, List<String> subscriptions)
      throws SQLException {
    for (String subscription : subscriptions) {
      dropOldest(s, subscription, 1);
    }
  }
}
