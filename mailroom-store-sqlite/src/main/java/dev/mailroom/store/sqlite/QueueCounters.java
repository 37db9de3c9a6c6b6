package dev.mailroom.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writer's copy of {@code queues}: how many deliveries are pending per subscription. Sends read
 * and change it in memory, so checking a thousand queue bounds costs no statement at all; the
 * values a batch changed are written to {@code queues} once, inside the batch's transaction just
 * before it commits, so the table (which readers see) always matches the committed rows.
 *
 * <p>Changes are staged like the other facts of {@link WriteSession}: a task's are kept when its
 * savepoint is released and dropped when it is rolled back; a batch's are published when it commits
 * and dropped when it fails.
 *
 * <p>Confined to the writer thread.
 */
final class QueueCounters {
  private final Map<String, Long> committed;
  private final Map<String, Long> batch = new HashMap<>();
  private final Map<String, Long> task = new HashMap<>();

  private QueueCounters(Map<String, Long> committed) {
    this.committed = committed;
  }

  static QueueCounters load(CachedConnection c) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (ResultSet rs =
        c.prepare("SELECT subscription, pending FROM queues WHERE pending > 0").executeQuery()) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return new QueueCounters(counts);
  }

  /** The pending count of a queue as the running task sees it. */
  long pending(String key) {
    Long n = task.get(key);
    if (n == null) {
      n = batch.get(key);
    }
    if (n == null) {
      n = committed.get(key);
    }
    return n == null ? 0 : n;
  }

  /** Changes a count by {@code delta} (never below zero); returns the new count. */
  long add(String key, long delta) {
    long n = Math.max(0, pending(key) + delta);
    task.put(key, n);
    return n;
  }

  void taskKept() {
    batch.putAll(task);
    task.clear();
  }

  void taskDropped() {
    task.clear();
  }

  /** Writes the counts the batch changed; runs inside the batch's transaction. */
  void flush(CachedConnection c) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    StringBuilder set = new StringBuilder(batch.size() * 24).append('[');
    List<String> zero = new ArrayList<>();
    for (Map.Entry<String, Long> e : batch.entrySet()) {
      if (e.getValue() == 0) {
        zero.add(e.getKey());
        continue;
      }
      if (set.length() > 1) {
        set.append(',');
      }
      set.append("[\"").append(e.getKey()).append("\",").append(e.getValue()).append(']');
    }
    if (set.length() > 1) {
      PreparedStatement upsert =
          c.prepare(
              "INSERT INTO queues (subscription, pending)"
                  + " SELECT value ->> 0, value ->> 1 FROM json_each(?) WHERE 1"
                  + " ON CONFLICT (subscription) DO UPDATE SET pending = excluded.pending");
      upsert.setString(1, set.append(']').toString());
      upsert.executeUpdate();
    }
    if (!zero.isEmpty()) {
      PreparedStatement delete =
          c.prepare("DELETE FROM queues WHERE subscription IN (SELECT value FROM json_each(?))");
      delete.setString(1, Json.strings(zero));
      delete.executeUpdate();
    }
  }

  void batchCommitted() {
    for (Map.Entry<String, Long> e : batch.entrySet()) {
      if (e.getValue() == 0) {
        committed.remove(e.getKey());
      } else {
        committed.put(e.getKey(), e.getValue());
      }
    }
    batch.clear();
  }

  void batchFailed() {
    batch.clear();
    task.clear();
  }
}
