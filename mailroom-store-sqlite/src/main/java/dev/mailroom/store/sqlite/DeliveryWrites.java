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
import java.util.List;
import java.util.Optional;

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
    PreparedStatement drop =
        s.prepare(
            "UPDATE entries SET state = "
                + DeliveryState.DROPPED
                + " WHERE subscription = ? AND "
                + Schema.QUEUED);
    drop.setString(1, id.value());
    drop.executeUpdate();
    Queues.forget(s, id.value());
    s.changed(l -> l.subscriptionDeleted(id));
    return true;
  }

  static int acknowledge(WriteSession s, AgentId agent, List<MessageId> ids) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "UPDATE entries SET state = "
                + DeliveryState.ACKED
                + " WHERE mailbox = ? AND id = ? AND "
                + Schema.PENDING
                + " AND expires_at > ? RETURNING subscription");
    ps.setString(1, agent.value());
    ps.setLong(3, s.clock().millis());
    List<MessageId> acked = new ArrayList<>();
    for (MessageId id : ids) {
      ps.setLong(2, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          Queues.remove(s, Queues.key(rs.getString(1)), 1);
          acked.add(id);
        }
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
    PreparedStatement ps =
        s.prepare(
            "UPDATE entries SET attempts = ? WHERE mailbox = ? AND id = ? AND "
                + Schema.PENDING
                + " AND expires_at > ?");
    ps.setInt(1, attempts);
    ps.setString(2, agent.value());
    ps.setLong(3, id.value());
    ps.setLong(4, s.clock().millis());
    return ps.executeUpdate() > 0;
  }

  static boolean deadLetter(
      WriteSession s, AgentId agent, MessageId id, int attempts, String reason)
      throws SQLException {
    long now = s.clock().millis();
    PreparedStatement ps =
        s.prepare(
            "UPDATE entries SET state = "
                + DeliveryState.DEAD
                + ", attempts = ?, reason = ?, dead_at = ?"
                + " WHERE mailbox = ? AND id = ? AND "
                + Schema.PENDING
                + " AND expires_at > ? RETURNING subscription");
    ps.setInt(1, attempts);
    ps.setString(2, reason);
    ps.setLong(3, now);
    ps.setString(4, agent.value());
    ps.setLong(5, id.value());
    ps.setLong(6, now);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return false;
      }
      Queues.remove(s, Queues.key(rs.getString(1)), 1);
      return true;
    }
  }

  /**
   * Makes a dead letter pending again with no attempts, and stages the listener's notice. A replay
   * is not bounded by the subscription's queue (so its recipient says {@link Integer#MAX_VALUE}):
   * the operator asked for this one, and as the oldest pending it would be the first to go.
   */
  static boolean replay(WriteSession s, AgentId agent, MessageId id) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "UPDATE entries SET state = "
                + DeliveryState.PENDING
                + ", attempts = 0, reason = NULL, dead_at = NULL"
                + " WHERE mailbox = ? AND id = ? AND "
                + Schema.DEAD
                + " AND expires_at > ? RETURNING subscription");
    ps.setString(1, agent.value());
    ps.setLong(2, id.value());
    ps.setLong(3, s.clock().millis());
    String column;
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return false;
      }
      column = rs.getString(1);
    }
    SubscriptionId subscription = SubscriptionId.of(Queues.key(column));
    Queues.add(s, subscription.value(), 1);
    Optional<Message> message = message(s, id);
    if (message.isPresent()) {
      Recipient recipient = new Recipient(agent, subscription, true, Integer.MAX_VALUE);
      s.changed(l -> l.requeued(message.get(), recipient));
    }
    return true;
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
    StringBuilder sql =
        new StringBuilder("UPDATE entries SET state = ")
            .append(DeliveryState.NONE)
            .append(", reason = NULL, dead_at = NULL WHERE ")
            .append(Schema.DEAD);
    if (agent.isPresent()) {
      sql.append(" AND mailbox = ?");
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
    return ps.executeUpdate();
  }
}
