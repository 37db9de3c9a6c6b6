package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.RetentionPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bound on agent mailboxes ({@link RetentionPolicy#maxInboxSize()}), as the writer keeps it: a
 * send that overfills an inbox drops its oldest messages, counts them as dropped, and takes their
 * deliveries with them. An agent's mailbox is its own entries and its {@code fanout} rows from each
 * of its {@link Sources}, so its oldest message is the oldest of those, merged by id.
 *
 * <p>Confined to the writer thread.
 */
final class Inboxes {
  private Inboxes() {}

  /** Drops what overfills the agent mailboxes among {@code targets}; returns how many entries. */
  static int trim(WriteSession s, List<Target> targets, int maxInboxSize) throws SQLException {
    int dropped = 0;
    for (Target t : targets) {
      if (t.kind() == MailboxKind.AGENT && t.size() > maxInboxSize) {
        dropped += dropOldest(s, t.mailbox(), t.size() - maxInboxSize);
      }
    }
    return dropped;
  }

  /** Drops the {@code count} oldest messages of one agent mailbox; returns how many went. */
  private static int dropOldest(WriteSession s, String agent, long count) throws SQLException {
    List<Sources.Source> sources = Sources.of(s.connection(), agent);
    List<Object> args = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder("SELECT * FROM (SELECT id, NULL FROM entries WHERE mailbox = ?")
            .append(" ORDER BY id LIMIT ?)");
    args.add(agent);
    args.add(count);
    for (Sources.Source source : sources) {
      sql.append(" UNION ALL SELECT * FROM (SELECT e.id, ? FROM entries e")
          .append(" CROSS JOIN fanout f ON f.id = e.id AND f.agent = ?")
          .append(" WHERE e.mailbox = ? AND e.id >= ? ORDER BY e.id LIMIT ?)");
      args.add(source.mailbox());
      args.add(agent);
      args.add(source.mailbox());
      args.add(source.since());
      args.add(count);
    }
    sql.append(" ORDER BY 1 LIMIT ?");
    args.add(count);
    PreparedStatement oldest = s.prepare(sql.toString());
    for (int i = 0; i < args.size(); i++) {
      oldest.setObject(i + 1, args.get(i));
    }
    List<Long> own = new ArrayList<>();
    Map<String, List<Long>> fannedOut = new HashMap<>();
    try (ResultSet rs = oldest.executeQuery()) {
      while (rs.next()) {
        String source = rs.getString(2);
        if (source == null) {
          own.add(rs.getLong(1));
        } else {
          fannedOut.computeIfAbsent(source, k -> new ArrayList<>()).add(rs.getLong(1));
        }
      }
    }
    Removed removed = new Removed();
    PreparedStatement ownDelete =
        s.prepare(
            "DELETE FROM entries WHERE mailbox = ? AND id = ? RETURNING id, subscription, state");
    ownDelete.setString(1, agent);
    for (long id : own) {
      ownDelete.setLong(2, id);
      removed.add(ownDelete);
    }
    PreparedStatement fanoutDelete =
        s.prepare(
            "DELETE FROM fanout WHERE id = ? AND agent = ? RETURNING id, subscription, state");
    fanoutDelete.setString(2, agent);
    for (Map.Entry<String, List<Long>> e : fannedOut.entrySet()) {
      for (long id : e.getValue()) {
        fanoutDelete.setLong(1, id);
        removed.add(fanoutDelete);
      }
      // Everything the agent held from this source up to the newest dropped is gone now.
      Sources.raise(s, agent, e.getKey(), e.getValue().getLast() + 1);
    }
    int n = removed.release(s);
    PreparedStatement update =
        s.prepare("UPDATE mailboxes SET size = size - ?, dropped = dropped + ? WHERE name = ?");
    update.setInt(1, n);
    update.setInt(2, n);
    update.setString(3, agent);
    update.executeUpdate();
    return n;
  }

  /**
   * What deletes of entries or {@code fanout} rows returning (id, subscription, state) removed: how
   * many rows per message, and how many pending deliveries per queue.
   */
  static final class Removed {
    private final Map<Long, Integer> perMessage = new HashMap<>();
    private final Map<String, Long> pending = new HashMap<>();
    private int rows;

    /** Runs the delete and counts what it returned. */
    void add(PreparedStatement delete) throws SQLException {
      try (ResultSet rs = delete.executeQuery()) {
        while (rs.next()) {
          rows++;
          perMessage.merge(rs.getLong(1), 1, Integer::sum);
          if (rs.getInt(3) == DeliveryState.PENDING) {
            pending.merge(Queues.key(rs.getString(2)), 1L, Long::sum);
          }
        }
      }
    }

    /** Releases the messages and uncounts the pending deliveries; returns how many rows went. */
    int release(WriteSession s) throws SQLException {
      for (Map.Entry<Long, Integer> e : perMessage.entrySet()) {
        MessageWrites.release(s, e.getKey(), e.getValue());
      }
      Queues.remove(s, pending);
      return rows;
    }
  }
}
