package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only connections. A reader borrows one, runs its statement (each statement is
 * its own WAL snapshot of committed data) and gives it back.
 *
 * <p>No pool library is needed: the connections are opened once, never go stale (a local file has
 * no network to drop), need no validation or eviction, and their number is fixed, so a blocking
 * queue is the whole pool. Borrowing waits when every connection is busy, which bounds concurrent
 * SQLite reads to what the machine's cores can serve.
 *
 * <p>Thread-safe.
 */
final class ReadPool implements AutoCloseable {
  private final BlockingQueue<CachedConnection> idle;
  private final List<CachedConnection> all;
  private final Duration borrowTimeout;
  private volatile boolean closed;

  private ReadPool(List<CachedConnection> connections, Duration borrowTimeout) {
    this.all = List.copyOf(connections);
    this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
    this.borrowTimeout = borrowTimeout;
  }

  static ReadPool open(Path file, int size, Duration borrowTimeout) throws SQLException {
    List<CachedConnection> connections = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        connections.add(CachedConnection.openReader(file));
      }
    } catch (SQLException e) {
      connections.forEach(CachedConnection::close);
      throw e;
    }
    return new ReadPool(connections, borrowTimeout);
  }

  /**
   * Runs {@code work} on a borrowed connection.
   *
   * @throws MailroomException.Unavailable if the pool is closed, no connection frees up in time, or
   *     the database fails
   */
  <T> T read(String operation, Sql.Work<T, CachedConnection> work) {
    if (closed) {
      throw Sql.closed();
    }
    CachedConnection c;
    try {
      c = idle.poll(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailroomException.Unavailable("interrupted while waiting for the store", e);
    }
    if (c == null) {
      throw new MailroomException.Unavailable(
          closed ? "the message store is closed" : "the message store is overloaded", null);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw Sql.unavailable(operation, e);
    } finally {
      idle.add(c);
    }
  }

  /**
   * Refuses new reads, waits (briefly) for borrowed connections to come back, and closes them all.
   */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + borrowTimeout.toNanos();
    List<CachedConnection> returned = new ArrayList<>(all.size());
    while (returned.size() < all.size()) {
      CachedConnection c;
      try {
        c = idle.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (c == null) {
        break;
      }
      returned.add(c);
    }
    // A reader still holding a connection after the timeout gets an error on its next step.
    all.forEach(CachedConnection::close);
  }
}
