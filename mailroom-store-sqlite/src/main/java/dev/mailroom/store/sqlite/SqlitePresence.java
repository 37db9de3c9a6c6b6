package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.PresenceMarks;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The SQLite {@link dev.mailroom.core.spi.PresenceStore}. A SQLite file serves one node, so the
 * online marks live in this process ({@link PresenceMarks}): a restart forgets them, as it closes
 * every connection they stood for. Last-seen times are {@code agents.last_seen_at}, written through
 * the writer without telling the change listener. Thread-safe.
 */
final class SqlitePresence extends PresenceMarks {
  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqlitePresence(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public void seen(Map<AgentId, Instant> seen) {
    if (seen.isEmpty()) {
      return;
    }
    writer.execute(
        "note last seen",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE agents SET last_seen_at = ?1"
                      + " WHERE id = ?2 AND (last_seen_at IS NULL OR last_seen_at < ?1)");
          for (Map.Entry<AgentId, Instant> e : seen.entrySet()) {
            ps.setLong(1, e.getValue().toEpochMilli());
            ps.setString(2, e.getKey().value());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Map<AgentId, Instant> lastSeen(Collection<AgentId> agents) {
    if (agents.isEmpty()) {
      return Map.of();
    }
    return readers.read(
        "read last seen",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT last_seen_at FROM agents WHERE id = ? AND last_seen_at IS NOT NULL");
          Map<AgentId, Instant> found = new HashMap<>();
          for (AgentId a : agents) {
            ps.setString(1, a.value());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                found.put(a, Instant.ofEpochMilli(rs.getLong(1)));
              }
            }
          }
          return found;
        });
  }
}
