package dev.mailroom.store.sqlite;

import dev.mailroom.core.Periodic;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>A writer that never pauses starves that: each passive checkpoint copies what was committed
 * when it began, but by its end the writer has appended more, so the log is never all copied, never
 * starts over and grows without bound (SQLite's "checkpoint starvation"), slowing every read and
 * write. Nor can a checkpoint that waits for SQLite's write lock get it: the writer takes it again
 * right after each commit, and SQLite's lock is not fair. So once the log holds more than {@code
 * limit} bytes after a passive checkpoint, this thread takes {@link #batches()} (a fair lock the
 * writer holds while it runs a batch, so it gets it between two batches) and runs a {@code
 * TRUNCATE} checkpoint: it copies the few frames committed since the passive one, waits for readers
 * still on the log's pages to finish (at most {@link #BUSY_TIMEOUT}) and empties the log. The
 * writer is held for that time, about once every {@code limit} bytes written, and never on a store
 * whose writer pauses now and then.
 *
 * <p>Owns one connection and one platform thread ({@code mailroom-sqlite-checkpoint}) until closed.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  /** How often the log is copied into the database file. */
  static final Duration INTERVAL = Duration.ofMillis(100);

  /** How large the log may grow before a checkpoint holds the writer to empty it (bytes). */
  static final long LIMIT = CachedConnection.WAL_SIZE_LIMIT;

  /**
   * How long a {@code TRUNCATE} checkpoint waits for the writer's batch and then for readers, while
   * it holds the writer; one that runs out leaves the log for the next.
   */
  static final Duration BUSY_TIMEOUT = Duration.ofMillis(500);

  /** The bytes a log frame adds to a page. */
  private static final int FRAME_HEADER = 24;

  private final CachedConnection connection;
  private final ReentrantLock batches = new ReentrantLock(true);
  private final long frameLimit;
  private final Periodic periodic;
  private boolean failing;

  private Checkpointer(CachedConnection connection, Duration interval, long frameLimit) {
    this.connection = connection;
    this.frameLimit = frameLimit;
    this.periodic = Periodic.every("mailroom-sqlite-checkpoint", interval, this::checkpoint);
  }

  /**
   * Starts checkpoints of {@code file} every {@code interval}, emptying a log larger than {@code
   * limit} bytes.
   */
  static Checkpointer start(Path file, Duration interval, long limit) throws SQLException {
    CachedConnection c = CachedConnection.openCheckpointer(file);
    try {
      c.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
      long pageSize;
      try (Statement s = c.connection().createStatement();
          ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        pageSize = rs.next() ? rs.getLong(1) : 4096;
      }
      return new Checkpointer(c, interval, Math.max(1, limit / (pageSize + FRAME_HEADER)));
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /** Runs on the checkpoint thread only. */
  private void checkpoint() {
    try {
      if (run("PASSIVE") > frameLimit) {
        batches.lock();
        try {
          run("TRUNCATE");
        } finally {
          batches.unlock();
        }
      }
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

  /** The lock the writer holds while it runs a batch ({@link GroupCommitWriter#start}). */
  Lock batches() {
    return batches;
  }

  /** Runs a checkpoint of this mode; returns how many frames the log holds after it. */
  private long run(String mode) throws SQLException {
    try (Statement s = connection.connection().createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
      return rs.next() ? rs.getLong(2) : 0;
    }
  }

  /** Stops the thread (waiting for a checkpoint under way), then closes the connection. */
  @Override
  public void close() {
    periodic.close();
    connection.close();
  }
}
