package dev.mailroom.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Raw SQLite inserts with the same durability as a Mailroom send (WAL, synchronous=FULL: each
 * acknowledged insert is synced), without HTTP, JSON or Mailroom: the baseline that Mailroom's
 * figures are divided by.
 */
final class SqliteBaseline {
  private SqliteBaseline() {}

  /** {@code threads} connections, each inserting one row per transaction (one sync per row). */
  static Report perInsertCommit(Path dir, int threads, Duration measure, int payloadBytes)
      throws Exception {
    Path file = fresh(dir, "raw-per-insert.db");
    AtomicLong ids = new AtomicLong();
    LongAdder done = new LongAdder();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    byte[] payload = new byte[payloadBytes];
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (Connection c = open(file);
                        PreparedStatement insert = c.prepareStatement(INSERT)) {
                      while (running.get()) {
                        bind(insert, ids.incrementAndGet(), payload);
                        insert.executeUpdate();
                        done.increment();
                      }
                    } catch (SQLException e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    running.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = done.sum();
    for (Thread w : workers) {
      w.join();
    }
    return new Report("sqlite_raw_per_insert_commit")
        .put("threads", threads)
        .put("payload_bytes", payloadBytes)
        .put("inserts_per_s", Report.round(count / seconds));
  }

  /** One connection inserting {@code batch} rows per transaction: the group-commit ceiling. */
  static Report batched(Path dir, int batch, Duration measure, int payloadBytes) throws Exception {
    Path file = fresh(dir, "raw-batched.db");
    byte[] payload = new byte[payloadBytes];
    long count = 0;
    long start = System.nanoTime();
    long end = start + measure.toNanos();
    try (Connection c = open(file);
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      while (System.nanoTime() < end) {
        for (int i = 0; i < batch; i++) {
          bind(insert, ++count, payload);
          insert.executeUpdate();
        }
        c.commit();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Report("sqlite_raw_batched_commit")
        .put("batch", batch)
        .put("payload_bytes", payloadBytes)
        .put("inserts_per_s", Report.round(count / seconds));
  }

  private static final String INSERT =
      "INSERT INTO raw(id, mailbox, sender, payload, created_at) VALUES (?, ?, ?, ?, ?)";

  private static void bind(PreparedStatement insert, long id, byte[] payload) throws SQLException {
    insert.setLong(1, id);
    insert.setString(2, "rcpt" + (id % 8));
    insert.setString(3, "sender" + (id % 32));
    insert.setBytes(4, payload);
    insert.setLong(5, System.currentTimeMillis());
  }

  private static Path fresh(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
    try (Connection c = open(file);
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE raw(id INTEGER PRIMARY KEY, mailbox TEXT NOT NULL, sender TEXT NOT NULL,"
              + " payload BLOB NOT NULL, created_at INTEGER NOT NULL)");
    }
    return file;
  }

  private static Connection open(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=60000");
    }
    return c;
  }
}
