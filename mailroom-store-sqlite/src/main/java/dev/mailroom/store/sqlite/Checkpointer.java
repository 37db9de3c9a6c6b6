package dev.mailroom.store.sqlite;

import dev.mailroom.core.Periodic;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log into the database file on a thread of its own, so that the writer's
 * commits never wait for it.
 *
 * <p>By default SQLite checkpoints on the connection that commits, once the log passes 1,000 pages:
 * that commit then also copies those pages into the main file and syncs it, and every sender in its
 * batch waits. A fan-out to a few hundred subscribers dirties that many pages in a single commit,
 * so the writer checkpointed every few batches. Here the writer never checkpoints ({@code
 * wal_autocheckpoint = 0}); this thread runs a {@code PASSIVE} checkpoint every {@link #INTERVAL},
 * which copies what is committed while the writer goes on (WAL allows one checkpointer beside one
 * writer and any readers) and never waits for a lock. The writer starts the log over once a
 * checkpoint has copied all of it; {@code journal_size_limit} on the writer truncates a log that
 * grew large back to that size then.
 *
 * <p>Owns one connection and one platform thread ({@code mailroom-sqlite-checkpoint}) until closed.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  /** How often the log is copied into the database file. */
  static final Duration INTERVAL = Duration.ofMillis(100);

  private final CachedConnection connection;
  private final Periodic periodic;
  private boolean failing;

  private Checkpointer(CachedConnection connection, Duration interval) {
    this.connection = connection;
    this.periodic = Periodic.every("mailroom-sqlite-checkpoint", interval, this::checkpoint);
  }

  static Checkpointer start(Path file, Duration interval) throws SQLException {
    return new Checkpointer(CachedConnection.openCheckpointer(file), interval);
  }

  /** Runs on the checkpoint thread only. */
  private void checkpoint() {
    try (Statement s = connection.connection().createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next();
      if (failing) {
        failing = false;
        LOG.info("checkpoints of the write-ahead log work again");
      }
    } catch (SQLException | RuntimeException e) {
      // The next run tries again; until one succeeds the log only grows.
      if (!failing) {
        failing = true;
        LOG.warn("a checkpoint of the write-ahead log failed", e);
      }
    }
  }

  /** Stops the thread (waiting for a checkpoint under way), then closes the connection. */
  @Override
  public void close() {
    periodic.close();
    connection.close();
  }
}
