package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.RetentionPolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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
        // Only after the bound was lowered: rare enough for statements of its own.
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

  /**
   * Drops the oldest message of each of these (distinct) agent mailboxes: a fan-out to many full
   * inboxes, in at most five statements however many there are. Each agent's oldest is the least of
   * its oldest own entry and its first row from each source.
   */
  private static int dropOldestOfEach(WriteSession s, List<String> agents) throws SQLException {
    String names = Json.strings(agents);
    PreparedStatement candidates =
        s.prepare(
            "SELECT j.value, NULL, (SELECT MIN(o.id) FROM entries o WHERE o.mailbox = j.value)"
                + " FROM json_each(?) j"
                + " UNION ALL SELECT src.agent, src.mailbox, (SELECT e.id FROM entries e"
                + " CROSS JOIN fanout f ON f.id = e.id AND f.agent = src.agent"
                + " WHERE e.mailbox = src.mailbox AND e.id >= src.since ORDER BY e.id LIMIT 1)"
                + " FROM sources src WHERE src.agent IN (SELECT value FROM json_each(?))");
    candidates.setString(1, names);
    candidates.setString(2, names);
    Map<String, Oldest> oldest = new HashMap<>();
    try (ResultSet rs = candidates.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(3);
        if (rs.wasNull()) {
          continue;
        }
        String agent = rs.getString(1);
        Oldest known = oldest.get(agent);
        if (known == null || id < known.id()) {
          oldest.put(agent, new Oldest(id, rs.getString(2)));
        }
      }
    }
    if (oldest.isEmpty()) {
      return 0;
    }
    StringBuilder own = new StringBuilder("[");
    StringBuilder fannedOut = new StringBuilder("[");
    for (Map.Entry<String, Oldest> e : oldest.entrySet()) {
      String source = e.getValue().source();
      StringBuilder rows = source == null ? own : fannedOut;
      if (rows.length() > 1) {
        rows.append(',');
      }
      rows.append("[\"").append(e.getKey()).append("\",").append(e.getValue().id());
      if (source != null) {
        rows.append(",\"").append(source).append('"');
      }
      rows.append(']');
    }
    Removed removed = new Removed();
    if (own.length() > 1) {
      removed.add(
          bind(
              s.prepare(
                  "DELETE FROM entries WHERE (mailbox, id) IN"
                      + " (SELECT j.value ->> 0, j.value ->> 1 FROM json_each(?) j)"
                      + " RETURNING id, subscription, state"),
              own.append(']').toString()));
    }
    if (fannedOut.length() > 1) {
      String rows = fannedOut.append(']').toString();
      removed.add(
          bind(
              s.prepare(
                  "DELETE FROM fanout WHERE (id, agent) IN"
                      + " (SELECT j.value ->> 1, j.value ->> 0 FROM json_each(?) j)"
                      + " RETURNING id, subscription, state"),
              rows));
      // Everything each agent held from the source up to the row dropped is gone now.
      bind(
              s.prepare(
                  "UPDATE sources SET since = u.since FROM (SELECT j.value ->> 0 AS agent,"
                      + " j.value ->> 2 AS mailbox, (j.value ->> 1) + 1 AS since"
                      + " FROM json_each(?) j) u"
                      + " WHERE sources.agent = u.agent AND sources.mailbox = u.mailbox"
                      + " AND sources.since < u.since"),
              rows)
          .executeUpdate();
    }
    int n = removed.release(s);
    PreparedStatement update =
        s.prepare(
            "UPDATE mailboxes SET size = size - 1, dropped = dropped + 1"
                + " WHERE name IN (SELECT value FROM json_each(?))");
    update.setString(1, Json.strings(oldest.keySet()));
    update.executeUpdate();
    return n;
  }

  /** An agent's oldest message: an entry of its own (no source), or a row from a source. */
  private record Oldest(long id, @Nullable String source) {}

  private static PreparedStatement bind(PreparedStatement ps, String json) throws SQLException {
    ps.setString(1, json);
    return ps;
  }

  /** Drops the {@code count} oldest messages of one agent mailbox; returns how many went. */
  private static int dropOldest(WriteSession s, String agent, long count) throws SQLException {
    List<Sources.Source> sources = Sources.of(s.connection(), agent);
    // The oldest of the own entries and of each source's rows, a statement per group of sources.
    List<Oldest> found = new ArrayList<>();
    List<List<Sources.Source>> groups = Sources.groups(sources);
    for (int g = 0; g < groups.size(); g++) {
      List<Object> args = new ArrayList<>();
      StringBuilder sql = new StringBuilder();
      if (g == 0) {
        sql.append("SELECT * FROM (SELECT id, NULL FROM entries WHERE mailbox = ?")
            .append(" ORDER BY id LIMIT ?)");
        args.add(agent);
        args.add(count);
      }
      for (Sources.Source source : groups.get(g)) {
        sql.append(sql.isEmpty() ? "" : " UNION ALL ")
            .append("SELECT * FROM (SELECT e.id, ? FROM entries e")
            .append(" CROSS JOIN fanout f ON f.id = e.id AND f.agent = ?")
            .append(" WHERE e.mailbox = ? AND e.id >= ? ORDER BY e.id LIMIT ?)");
        args.add(source.mailbox());
        args.add(agent);
        args.add(source.mailbox());
        args.add(source.since());
        args.add(count);
      }
      try (ResultSet rs = Sql.bind(s.prepare(sql.toString()), args).executeQuery()) {
        while (rs.next()) {
          found.add(new Oldest(rs.getLong(1), rs.getString(2)));
        }
      }
    }
    found.sort(Comparator.comparingLong(Oldest::id));
    List<Long> own = new ArrayList<>();
    Map<String, List<Long>> fannedOut = new HashMap<>();
    for (Oldest o : found.subList(0, (int) Math.min(found.size(), count))) {
      if (o.source() == null) {
        own.add(o.id());
      } else {
        fannedOut.computeIfAbsent(o.source(), k -> new ArrayList<>()).add(o.id());
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
