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
 * send that overfills an inbox drops its oldest entries, counts them as dropped, and takes their
 * deliveries with them. A full inbox loses one entry per send, so a fan-out to many full inboxes
 * drops all their oldest entries in one statement rather than one statement per inbox.
 *
 * <p>Confined to the writer thread.
 */
final class Inboxes {
  private Inboxes() {}

  /** Drops what overfills the agent mailboxes among {@code targets}; returns how many entries. */
  static int trim(WriteSession s, List<Target> targets, int maxInboxSize) throws SQLException {
    List<String> oneOver = new ArrayList<>();
    int dropped = 0;
    for (Target t : targets) {
      if (t.kind() != MailboxKind.AGENT || t.size() <= maxInboxSize) {
        continue;
      }
      long excess = t.size() - maxInboxSize;
      if (excess == 1) {
        oneOver.add(t.mailbox());
      } else {
        // Only after the bound was lowered: rare enough for a statement of its own.
        dropped += dropOldest(s, t.mailbox(), excess);
      }
    }
    if (oneOver.size() == 1) {
      dropped += dropOldest(s, oneOver.getFirst(), 1);
    } else if (!oneOver.isEmpty()) {
      dropped += dropOldestOfEach(s, oneOver);
    }
    return dropped;
  }

  /** Drops the {@code count} oldest entries of one agent mailbox. */
  private static int dropOldest(WriteSession s, String mailbox, long count) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "DELETE FROM entries WHERE mailbox = ? AND id IN"
                + " (SELECT id FROM entries WHERE mailbox = ? ORDER BY id LIMIT ?)"
                + " RETURNING id, subscription, state");
    ps.setString(1, mailbox);
    ps.setString(2, mailbox);
    ps.setLong(3, count);
    int n = removed(s, ps);
    PreparedStatement update =
        s.prepare("UPDATE mailboxes SET size = size - ?, dropped = dropped + ? WHERE name = ?");
    update.setInt(1, n);
    update.setInt(2, n);
    update.setString(3, mailbox);
    update.executeUpdate();
    return n;
  }

  /** Drops the oldest entry of each of these (distinct) agent mailboxes. */
  private static int dropOldestOfEach(WriteSession s, List<String> mailboxes) throws SQLException {
    String names = Json.strings(mailboxes);
    PreparedStatement ps =
        s.prepare(
            "DELETE FROM entries WHERE (mailbox, id) IN (SELECT j.value,"
                + " (SELECT MIN(o.id) FROM entries o WHERE o.mailbox = j.value)"
                + " FROM json_each(?) j) RETURNING id, subscription, state");
    ps.setString(1, names);
    int n = removed(s, ps);
    PreparedStatement update =
        s.prepare(
            "UPDATE mailboxes SET size = size - 1, dropped = dropped + 1"
                + " WHERE name IN (SELECT value FROM json_each(?))");
    update.setString(1, names);
    update.executeUpdate();
    return n;
  }

  /**
   * Runs a delete of entries returning (id, subscription, state), then releases their messages and
   * uncounts their pending deliveries; returns how many entries went.
   */
  private static int removed(WriteSession s, PreparedStatement delete) throws SQLException {
    Map<Long, Integer> perMessage = new HashMap<>();
    Map<String, Long> pending = new HashMap<>();
    int n = 0;
    try (ResultSet rs = delete.executeQuery()) {
      while (rs.next()) {
        n++;
        perMessage.merge(rs.getLong(1), 1, Integer::sum);
        if (rs.getInt(3) == DeliveryState.PENDING) {
          pending.merge(Queues.key(rs.getString(2)), 1L, Long::sum);
        }
      }
    }
    for (Map.Entry<Long, Integer> e : perMessage.entrySet()) {
      MessageWrites.release(s, e.getKey(), e.getValue());
    }
    Queues.remove(s, pending);
    return n;
  }
}
