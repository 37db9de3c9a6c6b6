package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.Message;
import dev.mailroom.core.spi.Recipient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A send to many agent mailboxes at once (a shared mailbox's or topic's subscribers, a broadcast),
 * as the writer runs it: one statement counts the message into every mailbox, one inserts every
 * subscriber's {@code fanout} row (or, for a broadcast, every agent's entry) with its delivery
 * state, whatever the number of agents. The payload is stored once, by the caller.
 *
 * <p>Confined to the writer thread.
 */
final class FanOut {
  private static final String AGENT = MailboxKind.AGENT.name();

  private FanOut() {}

  /**
   * Counts the new message into each subscriber's own mailbox and returns them as targets, in the
   * order given. The sender, repeats of an agent, and agents that do not exist are skipped.
   */
  static List<Target> subscribers(
      WriteSession s, List<Recipient> subscribers, AgentId sender, long now) throws SQLException {
    Map<String, Recipient> byAgent = new LinkedHashMap<>(subscribers.size() * 2);
    for (Recipient r : subscribers) {
      if (!r.agent().equals(sender)) {
        byAgent.putIfAbsent(r.agent().value(), r);
      }
    }
    if (byAgent.isEmpty()) {
      return List.of();
    }
    PreparedStatement ps =
        s.prepare(
            "UPDATE mailboxes SET size = size + 1, total = total + 1, last_message_at = ?"
                + " WHERE name IN (SELECT value FROM json_each(?)) AND kind = '"
                + AGENT
                + "' RETURNING name, size");
    ps.setLong(1, now);
    ps.setString(2, Json.strings(byAgent.keySet()));
    Map<String, Long> sizes = new HashMap<>(byAgent.size() * 2);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sizes.put(rs.getString(1), rs.getLong(2));
      }
    }
    List<Target> targets = new ArrayList<>(sizes.size());
    for (Map.Entry<String, Recipient> e : byAgent.entrySet()) {
      Long size = sizes.get(e.getKey());
      if (size != null) {
        targets.add(new Target(e.getKey(), MailboxKind.AGENT, size, Optional.of(e.getValue())));
      }
    }
    return targets;
  }

  /**
   * Inserts one {@code fanout} row per agent, each with its delivery state, in one statement, and
   * records {@code source} as a source of each agent. The rows share the message's id, the first
   * column of their key, so they are written side by side: one or two pages for a hundred agents.
   */
  static void insertFanout(WriteSession s, String source, List<Target> targets, Message m)
      throws SQLException {
    if (targets.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO fanout (id, agent, subscription, state, expires_at)"
                + " SELECT ?, j.value ->> 0, j.value ->> 1, j.value ->> 2, ? FROM json_each(?) j");
    ps.setLong(1, m.id().value());
    ps.setLong(2, m.expiresAt().toEpochMilli());
    ps.setString(3, rows(targets));
    ps.executeUpdate();
    s.sources().record(s, source, targets, m.id().value());
  }

  /** {@code [["agent","subscription",state],...]}. */
  private static String rows(List<Target> targets) {
    StringBuilder rows = new StringBuilder(targets.size() * 40).append('[');
    for (Target t : targets) {
      if (rows.length() > 1) {
        rows.append(',');
      }
      rows.append("[\"").append(t.mailbox()).append("\",");
      Json.string(rows, t.via().isPresent() ? Queues.column(t.via().get().subscription()) : null);
      rows.append(',').append(t.pushed() ? DeliveryState.PENDING : DeliveryState.NONE).append(']');
    }
    return rows.append(']').toString();
  }

  /**
   * Inserts the entries of agent mailboxes, each with its delivery state, in one statement: a
   * broadcast, which has no mailbox of its own for {@code fanout} rows to point at.
   */
  static void insertEntries(WriteSession s, List<Target> targets, Message m, String tags)
      throws SQLException {
    if (targets.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO entries (mailbox, id, sender, priority, content_type, expires_at, tags,"
                + " bounded, subscription, state) SELECT j.value ->> 0, ?, ?, ?, ?, ?, ?, 1,"
                + " j.value ->> 1, j.value ->> 2 FROM json_each(?) j");
    ps.setLong(1, m.id().value());
    ps.setString(2, m.sender().value());
    ps.setInt(3, m.priority().ordinal());
    ps.setString(4, m.contentType().mediaType());
    ps.setLong(5, m.expiresAt().toEpochMilli());
    ps.setString(6, tags);
    ps.setString(7, rows(targets));
    ps.executeUpdate();
  }
}
