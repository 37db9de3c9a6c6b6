package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.Recipient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery writes other than a send's, as they run on the writer thread: subscriptions, and
 * moving one agent's deliveries between pending, acknowledged and dead. A delivery of an expired
 * message is no longer pending, so none of these touches one, even before the cleaner removes it.
 *
 * <p>Confined to the writer thread.
 */
final class DeliveryWrites {
  private DeliveryWrites() {}

  /** Saves a subscription unless its agent has {@code maxPerAgent} or more; false then. */
  static boolean saveSubscription(WriteSession s, Subscription sub, int maxPerAgent)
      throws SQLException {
    if (maxPerAgent < Integer.MAX_VALUE && subscriptionCount(s, sub.agent()) >= maxPerAgent) {
      return false;
    }
    PreparedStatement ps = s.prepare(SubscriptionRows.INSERT);
    SubscriptionRows.bindInsert(ps, sub);
    if (ps.executeUpdate() == 0) {
      throw new MailroomException.Conflict("subscription " + sub.id() + " already exists");
    }
    s.changed(l -> l.subscriptionSaved(sub));
    return true;
  }

  private static int subscriptionCount(WriteSession s, AgentId agent) throws SQLException {
    PreparedStatement ps = s.prepare("SELECT COUNT(*) FROM subscriptions WHERE agent = ?");
    ps.setString(1, agent.value());
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  static boolean deleteSubscription(WriteSession s, SubscriptionId id) throws SQLException {
    PreparedStatement delete = s.prepare("DELETE FROM subscriptions WHERE id = ?");
    delete.setString(1, id.value());
    if (delete.executeUpdate() == 0) {
      return false;
    }
    for (DeliveryTable t : DeliveryTable.BOTH) {
      PreparedStatement drop =
          s.prepare(
              "UPDATE "
                  + t.table()
                  + " SET state = "
                  + DeliveryState.DROPPED
                  + " WHERE subscription = ? AND "
                  + Schema.QUEUED);
      drop.setString(1, id.value());
      drop.executeUpdate();
    }
    Queues.forget(s, id.value());
    s.changed(l -> l.subscriptionDeleted(id));
    return true;
  }

  /**
   * Acknowledges pending deliveries: one statement per table for the whole list (the ids as a JSON
   * array), the fan-out table first, then the agent's own entries for the ids not found there.
   */
  static int acknowledge(WriteSession s, AgentId agent, List<MessageId> ids) throws SQLException {
    long now = s.clock().millis();
    Set<Long> left = new LinkedHashSet<>();
    for (MessageId id : ids) {
      left.add(id.value());
    }
    Set<Long> done = new HashSet<>();
    Map<String, Long> removed = new HashMap<>();
    for (DeliveryTable t : DeliveryTable.BOTH) {
      if (left.isEmpty()) {
        break;
      }
      PreparedStatement ps =
          s.prepare(
              "UPDATE "
                  + t.table()
                  + " SET state = "
                  + DeliveryState.ACKED
                  + " WHERE "
                  + t.owner()
                  + " = ? AND id IN (SELECT value FROM json_each(?)) AND "
                  + Schema.PENDING
                  + " AND expires_at > ? RETURNING id, subscription");
      ps.setString(1, agent.value());
      ps.setString(2, left.toString());
      ps.setLong(3, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          done.add(id);
          left.remove(id);
          removed.merge(Queues.key(rs.getString(2)), 1L, Long::sum);
        }
      }
    }
    Queues.remove(s, removed);
    List<MessageId> acked = new ArrayList<>(done.size());
    for (MessageId id : ids) {
      if (done.remove(id.value())) {
        acked.add(id);
      }
    }
    if (!acked.isEmpty()) {
      List<MessageId> told = List.copyOf(acked);
      s.changed(l -> l.acknowledged(agent, told));
    }
    return acked.size();
  }

  static boolean recordAttempts(WriteSession s, AgentId agent, MessageId id, int attempts)
      throws SQLException {
    return change(
            s,
            "attempts = ?",
            Schema.PENDING,
            agent,
            id,
            s.clock().millis(),
            ps -> {
              ps.setInt(1, attempts);
              return 1;
            })
        .isPresent();
  }

  static boolean deadLetter(
      WriteSession s, AgentId agent, MessageId id, int attempts, String reason)
      throws SQLException {
    long now = s.clock().millis();
    Optional<String> subscription =
        change(
            s,
            "state = " + DeliveryState.DEAD + ", attempts = ?, reason = ?, dead_at = ?",
            Schema.PENDING,
            agent,
            id,
            now,
            ps -> {
              ps.setInt(1, attempts);
              ps.setString(2, reason);
              ps.setLong(3, now);
              return 3;
            });
    subscription.ifPresent(key -> Queues.remove(s, key, 1));
    return subscription.isPresent();
  }

  /**
   * Makes a dead letter pending again with no attempts, and stages the listener's notice. A replay
   * is not bounded by the subscription's queue (so its recipient says {@link Integer#MAX_VALUE}):
   * the operator asked for this one, and as the oldest pending it would be the first to go.
   */
  static boolean replay(WriteSession s, AgentId agent, MessageId id) throws SQLException {
    Optional<String> key =
        change(
            s,
            "state = " + DeliveryState.PENDING + ", attempts = 0, reason = NULL, dead_at = NULL",
            Schema.DEAD,
            agent,
            id,
            s.clock().millis(),
            ps -> 0);
    if (key.isEmpty()) {
      return false;
    }
    SubscriptionId subscription = SubscriptionId.of(key.get());
    Queues.add(s, subscription.value(), 1);
    Optional<Message> message = message(s, id);
    if (message.isPresent()) {
      Recipient recipient = new Recipient(agent, subscription, true, Integer.MAX_VALUE);
      s.changed(l -> l.requeued(message.get(), recipient));
    }
    return true;
  }

  /** Binds the parameters of a {@code SET} clause, which come first; returns how many. */
  @FunctionalInterface
  private interface SetParameters {
    int bind(PreparedStatement ps) throws SQLException;
  }

  /**
   * Applies {@code set} to the live delivery of {@code id} to {@code agent} in state {@code when},
   * in whichever table holds it; returns its queue key, or empty when there is no such delivery.
   */
  private static Optional<String> change(
      WriteSession s,
      String set,
      String when,
      AgentId agent,
      MessageId id,
      long now,
      SetParameters parameters)
      throws SQLException {
    for (DeliveryTable t : DeliveryTable.BOTH) {
      PreparedStatement ps =
          s.prepare(
              "UPDATE "
                  + t.table()
                  + " SET "
                  + set
                  + " WHERE "
                  + t.owner()
                  + " = ? AND id = ? AND "
                  + when
                  + " AND expires_at > ? RETURNING subscription");
      int bound = parameters.bind(ps);
      ps.setString(bound + 1, agent.value());
      ps.setLong(bound + 2, id.value());
      ps.setLong(bound + 3, now);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return Optional.of(Queues.key(rs.getString(1)));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Message> message(WriteSession s, MessageId id) throws SQLException {
    PreparedStatement ps =
        s.prepare("SELECT " + MessageRows.COLUMNS + " FROM messages m WHERE m.id = ?");
    ps.setLong(1, id.value());
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(MessageRows.read(rs, 1)) : Optional.empty();
    }
  }

  /**
   * Takes dead letters out of the queue, those of expired messages too (which nothing lists, but
   * which are dead letters until the cleaner removes them); the entries stay in the inboxes.
   */
  static int purgeDeadLetters(WriteSession s, Optional<AgentId> agent, Optional<MessageId> id)
      throws SQLException {
    int purged = 0;
    for (DeliveryTable t : DeliveryTable.BOTH) {
      StringBuilder sql =
          new StringBuilder("UPDATE ")
              .append(t.table())
              .append(" SET state = ")
              .append(DeliveryState.NONE)
              .append(", reason = NULL, dead_at = NULL WHERE ")
              .append(Schema.DEAD);
      if (agent.isPresent()) {
        sql.append(" AND ").append(t.owner()).append(" = ?");
      }
      if (id.isPresent()) {
        sql.append(" AND id = ?");
      }
      PreparedStatement ps = s.prepare(sql.toString());
      int i = 1;
      if (agent.isPresent()) {
        ps.setString(i++, agent.get().value());
      }
      if (id.isPresent()) {
        ps.setLong(i, id.get().value());
      }
      purged += ps.executeUpdate();
    }
    return purged;
  }
}
