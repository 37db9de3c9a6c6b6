package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Spool} in a SQLite file of its own (WAL, {@code synchronous=FULL}; sends in the table
 * {@code spool}, its {@linkplain #records() records} in {@code records}), with group commit: one
 * platform thread owns the connection, takes every waiting operation (up to {@value #MAX_BATCH})
 * and runs them in one transaction, so concurrent appends share one sync. Reads go through the same
 * thread: a spool is read only while it is replayed or while a retried send looks for its key,
 * never on a hot path.
 *
 * <p>Limits are kept without reading the file: the entry count and body bytes are held in memory
 * (read once at open), and an append reserves its room before it is queued, so concurrent appends
 * cannot together pass the limits. Back-pressure: the queue holds {@value #QUEUE} operations; a
 * caller finding it full waits up to 10 s, then gets {@link MailroomException.Unavailable}.
 *
 * <p>A batch whose transaction fails (a full disk, a read-only directory, an I/O error) is rolled
 * back whole: every operation in it fails with an {@link MailroomException.Unavailable} that names
 * the file system's fault when that is the cause ({@link StoreFaults}), and an append's room is
 * given back. The next batch starts a transaction of its own, so the spool takes writes again as
 * soon as the disk does.
 */
public final class SqliteSpool implements Spool {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteSpool.class);
  static final String FILE = "spool.db";
  private static final int MAX_BATCH = 1024;
  private static final int QUEUE = 8192;
  private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(10);

  private static final String INSERT =
      "INSERT INTO spool (id, sender, idempotency_key, accepted_at, body) VALUES (?, ?, ?, ?, ?)"
          + " RETURNING position";
  private static final String DELETE = "DELETE FROM spool WHERE position = ?";
  private static final String OLDEST =
      "SELECT position, id, sender, idempotency_key, accepted_at, body FROM spool"
          + " ORDER BY position LIMIT ?";
  private static final String INSERT_RECORD = "INSERT INTO records (body) VALUES (?)";
  private static final String OLDEST_RECORDS =
      "SELECT position, body FROM records ORDER BY position LIMIT ?";
  private static final String DELETE_RECORD = "DELETE FROM records WHERE position = ?";
  private static final String FIND =
      "SELECT id FROM spool WHERE sender = ? AND idempotency_key = ? ORDER BY position LIMIT 1";

  /** One operation for the writer thread, run inside a batch's transaction. */
  @FunctionalInterface
  private interface Work<T> {
    T run(CachedConnection c) throws SQLException;
  }

  private record Task<T>(Work<T> work, CompletableFuture<T> done) {}

  private final CachedConnection connection;
  private final StoreFaults faults;
  private final ArrayBlockingQueue<Task<?>> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread writer;
  private final Room sends;
  private volatile @Nullable Instant oldest; // written by the writer thread only
  private volatile boolean closed;
  private final RecordLane records;

  private SqliteSpool(CachedConnection connection, StoreFaults faults, Room sends, Room records) {
    this.connection = connection;
    this.faults = faults;
    this.sends = sends;
    this.records = new RecordLane(records);
    this.writer = Thread.ofPlatform().name("mailroom-spool").daemon(true).unstarted(this::run);
  }

  /**
   * Opens (or creates) the spool in {@code dir}, as the file {@value #FILE}, with what an earlier
   * process left in it.
   */
  public static SqliteSpool open(Path dir, Limits limits) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(FILE);
      CachedConnection c = CachedConnection.openWriter(file);
      try {
        c.execute("PRAGMA wal_autocheckpoint = 1000");
        c.execute(
            "CREATE TABLE IF NOT EXISTS spool (position INTEGER PRIMARY KEY, id INTEGER NOT NULL,"
                + " sender TEXT NOT NULL, idempotency_key TEXT, accepted_at INTEGER NOT NULL,"
                + " body BLOB NOT NULL)");
        c.execute(
            "CREATE INDEX IF NOT EXISTS spool_keys ON spool (sender, idempotency_key)"
                + " WHERE idempotency_key IS NOT NULL");
        c.execute(
            "CREATE TABLE IF NOT EXISTS records (position INTEGER PRIMARY KEY,"
                + " body BLOB NOT NULL)");
        Room sends = Room.of(c, "spool", limits, "sends");
        SqliteSpool spool =
            new SqliteSpool(
                c, new StoreFaults(file), sends, Room.of(c, "records", limits, "records"));
        spool.oldest = spool.readOldest(c);
        spool.writer.start();
        if (sends.entries() > 0) {
          LOG.info(
              "spool opened with {} entries ({} bytes) to replay", sends.entries(), sends.bytes());
        }
        return spool;
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (SQLException | java.io.IOException e) {
      throw new MailroomException.Unavailable("cannot open the spool in " + dir, e);
    }
  }

  @Override
  public List<Entry> append(List<Send> sends) {
    if (sends.isEmpty()) {
      return List.of();
    }
    long size = 0;
    for (Send send : sends) {
      size += send.body().length;
    }
    this.sends.reserve(sends.size(), size);
    boolean stored = false;
    try {
      List<Entry> appended =
          submit(
              c -> {
                PreparedStatement ps = c.prepare(INSERT);
                List<Entry> out = new ArrayList<>(sends.size());
                for (Send send : sends) {
                  ps.setLong(1, send.id().value());
                  ps.setString(2, send.sender().value());
                  ps.setString(3, send.idempotencyKey().orElse(null));
                  ps.setLong(4, send.acceptedAt().toEpochMilli());
                  ps.setBytes(5, send.body());
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.add(new Entry(rs.getLong(1), send));
                  }
                }
                if (oldest == null) {
                  oldest = sends.getFirst().acceptedAt();
                }
                return out;
              });
      stored = true;
      return appended;
    } finally {
      if (!stored) {
        this.sends.release(sends.size(), size);
      }
    }
  }

  @Override
  public List<Entry> oldest(int max) {
    return submit(c -> read(c, max));
  }

  @Override
  public void remove(List<Entry> removed) {
    if (removed.isEmpty()) {
      return;
    }
    long[] gone =
        submit(
            c -> {
              PreparedStatement ps = c.prepare(DELETE);
              long count = 0;
              long size = 0;
              for (Entry e : removed) {
                ps.setLong(1, e.position());
                if (ps.executeUpdate() == 1) {
                  count++;
                  size += e.body().length;
                }
              }
              oldest = readOldest(c);
              return new long[] {count, size};
            });
    sends.release(gone[0], gone[1]);
  }

  @Override
  public Optional<MessageId> find(AgentId sender, String idempotencyKey) {
    return submit(
        c -> {
          PreparedStatement ps = c.prepare(FIND);
          ps.setString(1, sender.value());
          ps.setString(2, idempotencyKey);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(MessageId.of(rs.getLong(1))) : Optional.empty();
          }
        });
  }

  @Override
  public Stats stats() {
    synchronized (sends) {
      return new Stats(
          sends.entries,
          sends.bytes,
          sends.entries == 0 ? Optional.empty() : Optional.ofNullable(oldest));
    }
  }

  @Override
  public Records records() {
    return records;
  }

  /**
   * The records lane: the table {@code records}, written and read through the same writer thread
   * and its batches, with its own count and bytes against the spool's limits.
   */
  private final class RecordLane implements Records {
    private final Room room;

    RecordLane(Room room) {
      this.room = room;
    }

    @Override
    public void append(List<byte[]> bodies) {
      if (bodies.isEmpty()) {
        return;
      }
      long added = 0;
      for (byte[] b : bodies) {
        added += b.length;
      }
      room.reserve(bodies.size(), added);
      boolean stored = false;
      try {
        submit(
            c -> {
              PreparedStatement ps = c.prepare(INSERT_RECORD);
              for (byte[] b : bodies) {
                ps.setBytes(1, b);
                ps.executeUpdate();
              }
              return null;
            });
        stored = true;
      } finally {
        if (!stored) {
          room.release(bodies.size(), added);
        }
      }
    }

    @Override
    public List<Entry> oldest(int max) {
      return submit(
          c -> {
            PreparedStatement ps = c.prepare(OLDEST_RECORDS);
            ps.setInt(1, max);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getBytes(2)));
              }
            }
            return out;
          });
    }

    @Override
    public void remove(List<Entry> entries) {
      if (entries.isEmpty()) {
        return;
      }
      long[] gone =
          submit(
              c -> {
                PreparedStatement ps = c.prepare(DELETE_RECORD);
                long n = 0;
                long bytes = 0;
                for (Entry e : entries) {
                  ps.setLong(1, e.position());
                  if (ps.executeUpdate() == 1) {
                    n++;
                    bytes += e.body().length;
                  }
                }
                return new long[] {n, bytes};
              });
      room.release(gone[0], gone[1]);
    }

    @Override
    public long size() {
      return room.entries();
    }
  }

  /**
   * What one lane holds against the spool's limits, kept in memory (read once at open): what is
   * written, and what appends under way have reserved, so that concurrent appends cannot together
   * pass the limits.
   */
  private static final class Room {
    private final Limits limits;
    private final String what;
    private long entries; // guarded by this
    private long bytes; // guarded by this

    private Room(Limits limits, String what, long entries, long bytes) {
      this.limits = limits;
      this.what = what;
      this.entries = entries;
      this.bytes = bytes;
    }

    /** The room what {@code table} holds takes now. */
    static Room of(CachedConnection c, String table, Limits limits, String what)
        throws SQLException {
      try (ResultSet rs =
          c.prepare("SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM " + table)
              .executeQuery()) {
        rs.next();
        return new Room(limits, what, rs.getLong(1), rs.getLong(2));
      }
    }

    /**
     * Takes room for {@code n} entries of {@code size} bytes in all.
     *
     * @throws FullException if they do not fit (then nothing is taken)
     */
    synchronized void reserve(long n, long size) {
      if (entries + n > limits.maxEntries() || bytes + size > limits.maxBytes()) {
        throw new FullException(
            "the spool is full ("
                + entries
                + " "
                + what
                + ", "
                + bytes
                + " bytes; limits "
                + limits.maxEntries()
                + " and "
                + limits.maxBytes()
                + ")");
      }
      entries += n;
      bytes += size;
    }

    synchronized void release(long n, long size) {
      entries -= n;
      bytes -= size;
    }

    synchronized long entries() {
      return entries;
    }

    synchronized long bytes() {
      return bytes;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.interrupt();
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }

  private @Nullable Instant readOldest(CachedConnection c) throws SQLException {
    List<Entry> first = read(c, 1);
    return first.isEmpty() ? null : first.getFirst().acceptedAt();
  }

  private static List<Entry> read(CachedConnection c, int max) throws SQLException {
    PreparedStatement ps = c.prepare(OLDEST);
    ps.setInt(1, max);
    List<Entry> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Entry(
                rs.getLong(1),
                new Send(
                    MessageId.of(rs.getLong(2)),
                    AgentId.of(rs.getString(3)),
                    Optional.ofNullable(rs.getString(4)),
                    Instant.ofEpochMilli(rs.getLong(5)),
                    rs.getBytes(6))));
      }
    }
    return out;
  }

  /** Runs {@code work} on the writer thread and waits until its batch is committed. */
  private <T> T submit(Work<T> work) {
    if (closed) {
      throw new MailroomException.Unavailable("the spool is closed", null);
    }
    Task<T> task = new Task<>(work, new CompletableFuture<>());
    try {
      if (!queue.offer(task, ENQUEUE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new MailroomException.Unavailable("the spool is overloaded", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailroomException.Unavailable("interrupted while waiting for the spool", e);
    }
    if (closed && queue.remove(task)) {
      throw new MailroomException.Unavailable("the spool is closed", null);
    }
    try {
      return task.done().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private void run() {
    List<Task<?>> batch = new ArrayList<>();
    while (!closed) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      runBatch(batch);
      batch.clear();
    }
    // Closing: fail what is still queued; nothing of it was written.
    queue.drainTo(batch);
    for (Task<?> t : batch) {
      t.done().completeExceptionally(new MailroomException.Unavailable("the spool closed", null));
    }
  }

  /** Runs a batch in one transaction; the results are given out only once it is committed. */
  private void runBatch(List<Task<?>> batch) {
    List<@Nullable Object> results = new ArrayList<>(batch.size());
    List<@Nullable RuntimeException> failures = new ArrayList<>(batch.size());
    try {
      connection.execute("BEGIN IMMEDIATE");
      for (Task<?> t : batch) {
        connection.execute("SAVEPOINT op");
        try {
          results.add(t.work().run(connection));
          failures.add(null);
          connection.execute("RELEASE op");
        } catch (SQLException | RuntimeException e) {
          try {
            connection.execute("ROLLBACK TO op");
            connection.execute("RELEASE op");
          } catch (SQLException rollback) {
            // SQLite aborted the whole transaction (disk full, I/O error); the operation's error
            // says why.
            throw e instanceof SQLException s ? s : rollback;
          }
          results.add(null);
          failures.add(
              e instanceof RuntimeException r
                  ? r
                  : faults.failed("a spool operation", (SQLException) e));
        }
      }
      connection.execute("COMMIT");
    } catch (SQLException e) {
      try {
        connection.execute("ROLLBACK");
      } catch (SQLException ignored) {
        // No transaction left to roll back.
      }
      MailroomException.Unavailable failure = faults.failed("a spool batch", e);
      for (Task<?> t : batch) {
        t.done().completeExceptionally(failure);
      }
      return;
    }
    faults.wrote();
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i), failures.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(
      Task<T> task, @Nullable Object result, @Nullable RuntimeException failure) {
    if (failure != null) {
      task.done().completeExceptionally(failure);
    } else {
      task.done().complete((T) result);
    }
  }
}
