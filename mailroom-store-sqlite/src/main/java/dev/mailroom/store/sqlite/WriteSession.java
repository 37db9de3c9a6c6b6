package dev.mailroom.store.sqlite;

import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageIdGenerator;
import dev.mailroom.core.spi.ChangeListener;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a write task sees while the writer runs it: the write connection, the clock, and the id
 * generator. Ids are handed out here, inside the transaction that stores them, so id order is
 * commit order.
 *
 * <p>It also keeps the writer's in-memory facts (the highest id assigned, the message count) in
 * step with what is committed: a task's changes are staged, kept when its savepoint is released,
 * dropped when it is rolled back, and published only after the batch commits. The changes a task
 * made (a message stored, deliveries acknowledged, a subscription saved, ...) are staged the same
 * way and told to the {@link ChangeListener} right after the commit, in the order the tasks ran, so
 * the listener hears them in commit order, before the tasks' callers hear of their outcome, and
 * never hears of a change that was rolled back.
 *
 * <p>Confined to the writer thread, except {@link #messageCount()} and {@link #listen}.
 */
final class WriteSession {
  private static final Logger LOG = LoggerFactory.getLogger(WriteSession.class);
  private static final String LAST_ID = "last_id";
  private static final String WRITE_PROBE = "write_probe";
  private static final String PUT_META =
      "INSERT INTO meta (key, value) VALUES (?, ?)"
          + " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

  private final CachedConnection connection;
  private final InstantSource clock;
  private final MessageIdGenerator ids;
  private final AtomicLong messageCount;
  private final QueueCounters counters;
  private final Sources sources = new Sources();
  private long lastId;
  private long persistedLastId;
  private long taskMessages;
  private long batchMessages;
  private final List<Consumer<ChangeListener>> taskChanges = new ArrayList<>();
  private final List<Consumer<ChangeListener>> batchChanges = new ArrayList<>();
  private volatile ChangeListener listener = ChangeListener.NONE;

  private WriteSession(
      CachedConnection connection,
      InstantSource clock,
      long lastId,
      long messageCount,
      QueueCounters counters) {
    this.connection = connection;
    this.counters = counters;
    this.clock = clock;
    this.lastId = lastId;
    this.persistedLastId = lastId;
    this.ids = new MessageIdGenerator(clock, lastId);
    this.messageCount = new AtomicLong(messageCount);
  }

  /**
   * A session that continues after every id ever assigned in this file: the larger of the highest
   * stored id and the recorded high-water mark, so an id is never reused even when the newest
   * messages were deleted and the clock went back.
   */
  static WriteSession open(CachedConnection connection, InstantSource clock) throws SQLException {
    long lastId =
        Math.max(single(connection, "SELECT MAX(id) FROM messages"), recordedLastId(connection));
    long count = single(connection, "SELECT COUNT(*) FROM messages");
    return new WriteSession(connection, clock, lastId, count, QueueCounters.load(connection));
  }

  private static long recordedLastId(CachedConnection c) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT value FROM meta WHERE key = ?");
    ps.setString(1, LAST_ID);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static long single(CachedConnection c, String sql) throws SQLException {
    try (ResultSet rs = c.prepare(sql).executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Commits the batch's transaction; with {@code synchronous=FULL} it is on disk on return. */
  void commit() throws SQLException {
    connection.connection().commit();
  }

  void rollback() throws SQLException {
    connection.connection().rollback();
  }

  /**
   * Opens the write connection again ({@link CachedConnection#reopen}), in a transaction as the
   * writer expects. The facts held in memory stay as they are: they are those of committed batches
   * only, since a failed batch's were {@linkplain #batchFailed dropped}.
   */
  void reopen() throws SQLException {
    connection.reopen();
    connection.connection().setAutoCommit(false);
  }

  /**
   * Writes one small row of its own, so that committing it tells whether the file takes writes
   * again after a fault.
   */
  void probe() throws SQLException {
    PreparedStatement ps = connection.prepare(PUT_META);
    ps.setString(1, WRITE_PROBE);
    ps.setLong(2, clock.millis());
    ps.executeUpdate();
  }

  PreparedStatement prepare(String sql) throws SQLException {
    return connection.prepare(sql);
  }

  /** The write connection, for the readers that take any connection. */
  CachedConnection connection() {
    return connection;
  }

  InstantSource clock() {
    return clock;
  }

  /** A fresh id, greater than every id assigned before. */
  MessageId nextId() {
    MessageId id = ids.next();
    lastId = id.value();
    return id;
  }

  /** The pending counts of the delivery queues, as the running task sees them. */
  QueueCounters counters() {
    return counters;
  }

  /** The sources of agent mailboxes the writer knows are stored. */
  Sources sources() {
    return sources;
  }

  /** Records that the running task added (or, negative, removed) messages. */
  void messagesChanged(long delta) {
    taskMessages += delta;
  }

  /**
   * Records a change the running task made; the listener is told of it (by {@code tell}) once the
   * batch commits, unless the task is rolled back.
   */
  void changed(Consumer<ChangeListener> tell) {
    taskChanges.add(tell);
  }

  /** Sets the listener told about changes from the next commit on. */
  void listen(ChangeListener listener) {
    this.listener = listener;
  }

  void taskKept() {
    batchMessages += taskMessages;
    taskMessages = 0;
    batchChanges.addAll(taskChanges);
    taskChanges.clear();
    counters.taskKept();
    sources.taskKept();
  }

  void taskDropped() {
    taskMessages = 0;
    taskChanges.clear();
    counters.taskDropped();
    sources.taskDropped();
  }

  /** Runs inside the batch's transaction, just before it commits. */
  void beforeCommit() throws SQLException {
    counters.flush(connection);
    if (lastId > persistedLastId) {
      PreparedStatement ps = connection.prepare(PUT_META);
      ps.setString(1, LAST_ID);
      ps.setLong(2, lastId);
      ps.executeUpdate();
    }
  }

  /** Publishes what the batch changed; tells the listener about its changes, in task order. */
  void batchCommitted() {
    persistedLastId = lastId;
    messageCount.addAndGet(batchMessages);
    batchMessages = 0;
    counters.batchCommitted();
    sources.batchCommitted();
    if (batchChanges.isEmpty()) {
      return;
    }
    ChangeListener l = listener;
    for (Consumer<ChangeListener> change : batchChanges) {
      try {
        change.accept(l);
      } catch (RuntimeException e) {
        // A broken listener must not stop the writer; what it missed is in the store.
        LOG.error("the change listener failed", e);
      }
    }
    batchChanges.clear();
  }

  void batchFailed() {
    taskMessages = 0;
    batchMessages = 0;
    taskChanges.clear();
    batchChanges.clear();
    counters.batchFailed();
    sources.batchFailed();
  }

  /** How many messages are stored, as of the last commit. */
  long messageCount() {
    return messageCount.get();
  }
}
