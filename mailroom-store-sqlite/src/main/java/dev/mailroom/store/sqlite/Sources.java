package dev.mailroom.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which shared and topic mailboxes have fanned messages out to an agent ({@code sources}): an
 * agent's mailbox is its own entries and, from each of its sources, the source's entries that have
 * a {@code fanout} row for the agent (see {@link Schema}, version 5).
 *
 * <p>A pair is inserted by the first fan-out that reaches the agent from the source, with that
 * message's id as {@code since}, the lowest id the agent may hold from the source; dropping an
 * agent's oldest messages moves it up. The writer remembers which pairs are stored so that a
 * fan-out to a thousand agents inserts nothing once they are: a pair is remembered only once the
 * batch that stored it has committed (staged like {@link QueueCounters}), and forgotten at once
 * when a topic is deleted, so the memory never claims a row that is not there. At most {@link
 * #MAX_REMEMBERED} pairs (a few MiB) are remembered; past that the memory starts again, which costs
 * only lookups.
 *
 * <p>Confined to the writer thread, except the static readers, which take any connection.
 */
final class Sources {
  static final int MAX_REMEMBERED = 100_000;

  /**
   * The most sources one statement reads: a listing has a branch per source and priority (up to
   * four), and SQLite allows 500 branches in one compound {@code SELECT}. An agent with more
   * sources is read a group of this many at a time, merged in the node.
   */
  static final int PER_STATEMENT = 100;

  /** A source of one agent, and the lowest id the agent may still hold from it. */
  record Source(String mailbox, long since) {}

  private record Pair(String agent, String mailbox) {}

  private final Set<Pair> remembered = new HashSet<>();
  private final List<Pair> batch = new ArrayList<>();
  private final List<Pair> task = new ArrayList<>();

  /** The sources of {@code agent}, in name order. */
  static List<Source> of(CachedConnection c, String agent) throws SQLException {
    PreparedStatement ps =
        c.prepare("SELECT mailbox, since FROM sources WHERE agent = ? ORDER BY mailbox");
    ps.setString(1, agent);
    List<Source> sources = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sources.add(new Source(rs.getString(1), rs.getLong(2)));
      }
    }
    return sources;
  }

  /**
   * {@code sources} in groups of at most {@link #PER_STATEMENT}, in order: at least one group,
   * which is empty when there are none (the first group is read with the agent's own entries).
   */
  static List<List<Source>> groups(List<Source> sources) {
    List<List<Source>> groups = new ArrayList<>();
    for (int from = 0; from == 0 || from < sources.size(); from += PER_STATEMENT) {
      groups.add(sources.subList(from, Math.min(sources.size(), from + PER_STATEMENT)));
    }
    return groups;
  }

  /** Records {@code mailbox} as a source of each of {@code agents}, from message {@code id} on. */
  void record(WriteSession s, String mailbox, List<Target> agents, long id) throws SQLException {
    List<String> unknown = new ArrayList<>();
    for (Target t : agents) {
      Pair p = new Pair(t.mailbox(), mailbox);
      if (!remembered.contains(p)) {
        unknown.add(t.mailbox());
        task.add(p);
      }
    }
    if (unknown.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        s.prepare(
            "INSERT OR IGNORE INTO sources (agent, mailbox, since)"
                + " SELECT value, ?, ? FROM json_each(?)");
    ps.setString(1, mailbox);
    ps.setLong(2, id);
    ps.setString(3, Json.strings(unknown));
    ps.executeUpdate();
  }

  /** Moves up the lowest id {@code agent} may hold from {@code mailbox}. */
  static void raise(WriteSession s, String agent, String mailbox, long since) throws SQLException {
    PreparedStatement ps =
        s.prepare("UPDATE sources SET since = ? WHERE agent = ? AND mailbox = ? AND since < ?");
    ps.setLong(1, since);
    ps.setString(2, agent);
    ps.setString(3, mailbox);
    ps.setLong(4, since);
    ps.executeUpdate();
  }

  /** Deletes every pair of a mailbox that is going away, and forgets them at once. */
  void deleteMailbox(WriteSession s, String mailbox) throws SQLException {
    remembered.removeIf(p -> p.mailbox().equals(mailbox));
    batch.removeIf(p -> p.mailbox().equals(mailbox));
    task.removeIf(p -> p.mailbox().equals(mailbox));
    PreparedStatement ps = s.prepare("DELETE FROM sources WHERE mailbox = ?");
    ps.setString(1, mailbox);
    ps.executeUpdate();
  }

  /** Deletes every pair of an agent that is going away, and forgets them at once. */
  void deleteAgent(WriteSession s, String agent) throws SQLException {
    remembered.removeIf(p -> p.agent().equals(agent));
    batch.removeIf(p -> p.agent().equals(agent));
    task.removeIf(p -> p.agent().equals(agent));
    PreparedStatement ps = s.prepare("DELETE FROM sources WHERE agent = ?");
    ps.setString(1, agent);
    ps.executeUpdate();
  }

  void taskKept() {
    batch.addAll(task);
    task.clear();
  }

  void taskDropped() {
    task.clear();
  }

  void batchCommitted() {
    if (remembered.size() + batch.size() > MAX_REMEMBERED) {
      remembered.clear();
    }
    remembered.addAll(batch);
    batch.clear();
  }

  void batchFailed() {
    task.clear();
    batch.clear();
  }
}
