package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.spi.StoreObserver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer with group commit. One platform thread owns the only write connection. Every
 * write is a task on a bounded queue; the thread takes a task, drains up to {@code maxBatch - 1}
 * more, runs them all in one transaction with a savepoint around each, and commits once, so one
 * sync to disk covers the whole batch. Callers block until the commit, so a write returns only once
 * it is durable.
 *
 * <p>A task that fails rolls back to its savepoint and fails alone with its own error; the others
 * in its batch proceed. If the transaction itself cannot begin or commit, every task of the batch
 * fails with {@link MailroomException.Unavailable} and nothing of it is stored: SQLite rolls the
 * transaction back (on a full disk or an I/O error it does so on its own), the session drops what
 * it staged in memory, and the writer opens its connection again, so that the next batch starts
 * clean whatever state the failure left the driver in.
 *
 * <p>Faults of the file system (a full disk, a read-only data directory) are told apart by {@link
 * StoreFaults}: such a batch fails with an {@link MailroomException.Unavailable} naming the cause.
 * While the store is in a fault and no write comes, the writer tries a small write of its own every
 * {@link #PROBE_INTERVAL}, so the store notices by itself when the disk takes writes again, and its
 * health says so, even with no traffic.
 *
 * <p>Background writes ({@link #executeInBackground}, the audit log's) are durable like the others
 * but nobody's answer waits for them, so they need no commit of their own: a batch holding only
 * background writes waits up to {@link #BACKGROUND_LINGER} for a write that someone waits for, and
 * rides in its commit. A send and the audit records of the requests before it thus take one sync,
 * not two.
 *
 * <p>Back-pressure: when the queue is full a caller waits up to the enqueue timeout, then fails
 * with {@link MailroomException.Unavailable}. Memory is bounded by the queue capacity.
 *
 * <p>Thread-safe: any thread may {@link #execute}; the tasks themselves run on the writer thread.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  static final String THREAD_NAME = "mailroom-sqlite-writer";

  /** How long a batch of background writes waits for a foreground write to commit with. */
  static final Duration BACKGROUND_LINGER = Duration.ofMillis(10);

  /** How often an idle writer in a fault tries whether the file takes writes again. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

  private final WriteSession session;
  private final StoreFaults faults;
  private final ArrayBlockingQueue<Task<?>> queue;
  private final int maxBatch;
  private final Duration enqueueTimeout;
  private final Duration linger;
  private final Thread thread;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong committedTasks = new AtomicLong();
  private final Task<?> stop = new Task<>("stop", null, false);
  private final Lock batches;
  private volatile boolean closed;
  private volatile StoreObserver observer = StoreObserver.NONE;
  private boolean reopen; // writer thread only: the connection must be opened again

  private GroupCommitWriter(
      WriteSession session,
      StoreFaults faults,
      Lock batches,
      int maxBatch,
      int capacity,
      Duration timeout,
      Duration linger) {
    this.session = session;
    this.batches = batches;
    this.faults = faults;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.enqueueTimeout = timeout;
    this.linger = linger;
    this.thread = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::run);
  }

  /**
   * Starts the writer thread.
   *
   * @param batches held by the writer while it runs a batch, so that whoever takes it holds the
   *     writer between two batches ({@link Checkpointer#batches()})
   * @param linger how long a batch of background writes waits for a foreground write ({@link
   *     #BACKGROUND_LINGER} outside tests)
   */
  static GroupCommitWriter start(
      WriteSession session,
      StoreFaults faults,
      Lock batches,
      int maxBatch,
      int queueCapacity,
      Duration enqueueTimeout,
      Duration linger) {
    GroupCommitWriter writer =
        new GroupCommitWriter(
            session, faults, batches, maxBatch, queueCapacity, enqueueTimeout, linger);
    writer.thread.start();
    return writer;
  }

  /**
   * Runs {@code work} on the writer and waits until its batch is committed.
   *
   * @param operation a short name for logs
   * @return what {@code work} returned, once durable
   * @throws MailroomException.Unavailable if the writer is closed, the queue stays full for the
   *     enqueue timeout, or the database fails (naming the fault when the file system is the cause)
   * @throws RuntimeException whatever {@code work} threw (its changes are rolled back)
   */
  <T> T execute(String operation, Sql.Work<T, WriteSession> work) {
    return execute(new Task<>(operation, work, false));
  }

  /**
   * As {@link #execute}, for a write nobody's answer waits for: it may wait up to {@link
   * #BACKGROUND_LINGER} to share the commit of a foreground write.
   */
  <T> T executeInBackground(String operation, Sql.Work<T, WriteSession> work) {
    return execute(new Task<>(operation, work, true));
  }

  private <T> T execute(Task<T> task) {
    if (closed) {
      throw Sql.closed();
    }
    boolean queued;
    try {
      queued = queue.offer(task, enqueueTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailroomException.Unavailable("interrupted while waiting for the store", e);
    }
    if (!queued) {
      throw new MailroomException.Unavailable("store overloaded", null);
    }
    // close() may have drained the queue between our check and our offer; then nobody would run
    // the task. Whoever removes it (we here, or close()) fails it.
    if (closed && queue.remove(task)) {
      throw Sql.closed();
    }
    try {
      // Not interruptible on purpose: the outcome is decided by the writer within one batch, and
      // a caller that gave up early could not tell whether its write was stored.
      return task.future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private void run() {
    List<Task<?>> batch = new ArrayList<>(Math.min(maxBatch, 4096));
    boolean stopping = false;
    try {
      while (true) {
        Task<?> first = stopping ? queue.poll() : next();
        if (first == null && stopping) {
          break;
        }
        if (first == null) {
          batch.add(new Task<>("write probe", probe(), true));
          runBatch(batch);
          batch.clear();
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        if (!stopping && batch.size() < maxBatch && onlyBackground(batch)) {
          Task<?> carrier = pollUninterruptibly(linger);
          if (carrier != null) {
            batch.add(carrier);
            queue.drainTo(batch, maxBatch - batch.size());
          }
        }
        if (batch.remove(stop)) {
          stopping = true;
        }
        if (!batch.isEmpty()) {
          runBatch(batch);
        }
        batch.clear();
      }
    } catch (Throwable t) {
      LOG.error("the SQLite writer stopped unexpectedly; the store refuses writes from now on", t);
      closed = true;
      try {
        // The batch may be half done; none of it may ever be committed (not even by close()).
        session.rollback();
      } catch (SQLException | RuntimeException rollback) {
        t.addSuppressed(rollback);
      }
      fail(batch, new MailroomException.Unavailable("the message store is unavailable", null));
    } finally {
      closed = true;
      List<Task<?>> left = new ArrayList<>();
      queue.drainTo(left);
      left.remove(stop);
      fail(left, Sql.closed());
    }
  }

  /** The next task; null when the store is in a fault and none came within the probe interval. */
  private @Nullable Task<?> next() {
    return faults.current().isEmpty() ? takeUninterruptibly() : pollUninterruptibly(PROBE_INTERVAL);
  }

  private static Sql.Work<@Nullable Void, WriteSession> probe() {
    return s -> {
      s.probe();
      return null;
    };
  }

  private static boolean onlyBackground(List<Task<?>> batch) {
    for (Task<?> task : batch) {
      if (!task.background) {
        return false;
      }
    }
    return true;
  }

  /**
   * The next task within {@code wait}, or null; only close() stops the writer (an interrupt starts
   * the wait again: background writes wait a little longer, never less).
   */
  private @Nullable Task<?> pollUninterruptibly(Duration wait) {
    while (true) {
      try {
        return queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        LOG.debug("writer interrupted; ignoring");
      }
    }
  }

  private Task<?> takeUninterruptibly() {
    while (true) {
      try {
        return queue.take();
      } catch (InterruptedException e) {
        // Only close() stops the writer, by queueing the stop marker.
        LOG.debug("writer interrupted; ignoring");
      }
    }
  }

  /** Sets who is told how long each batch took, from its first statement to its commit. */
  void observe(StoreObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  private void runBatch(List<Task<?>> batch) {
    batches.lock();
    try {
      long start = System.nanoTime();
      boolean committed = runBatchFrom(batch);
      observer.timed("commit", System.nanoTime() - start, !committed);
    } finally {
      batches.unlock();
    }
  }

  /** Runs a batch; whether it was committed. */
  private boolean runBatchFrom(List<Task<?>> batch) {
    if (reopen && !reopened(batch)) {
      return false;
    }
    // The write connection is never in autocommit mode: the driver opens the next transaction as
    // soon as the last one ends, so a batch starts right away with its first savepoint.
    for (Task<?> task : batch) {
      try {
        session.prepare("SAVEPOINT task").execute();
      } catch (SQLException e) {
        batchFailed(batch, "savepoint", e);
        return false;
      }
      try {
        task.runOn(session);
        session.prepare("RELEASE task").execute();
        session.taskKept();
      } catch (SQLException | RuntimeException e) {
        session.taskDropped();
        task.failure =
            e instanceof SQLException s ? faults.failed(task.operation, s) : (RuntimeException) e;
        try {
          session.prepare("ROLLBACK TO task").execute();
          session.prepare("RELEASE task").execute();
        } catch (SQLException rollback) {
          // SQLite aborted the whole transaction (disk full, I/O error): nothing of it survives,
          // and the task's error, not the rollback's, says why.
          batchFailed(batch, task.operation, e instanceof SQLException s ? s : rollback);
          return false;
        }
      }
    }
    try {
      session.beforeCommit();
      session.commit();
    } catch (SQLException e) {
      batchFailed(batch, "commit", e);
      return false;
    }
    session.batchCommitted();
    faults.wrote();
    commits.incrementAndGet();
    committedTasks.addAndGet(batch.size());
    for (Task<?> task : batch) {
      task.complete();
    }
    return true;
  }

  private void batchFailed(List<Task<?>> batch, String step, SQLException e) {
    session.batchFailed();
    try {
      session.rollback();
    } catch (SQLException ignored) {
      // There may be no transaction left to roll back; either way nothing of the batch remains.
      LOG.debug("rollback after a failed {} failed too", step, ignored);
    }
    fail(batch, faults.failed(step + " of a batch of " + batch.size(), e));
    // The driver does not notice a transaction SQLite ended on its own (it then runs the next
    // batch's statements outside any transaction), nor that a file it could not write was opened
    // read-only: a fresh connection starts clean.
    reopen = true;
    reopened(List.of());
  }

  /**
   * Opens the write connection again; if that fails, fails {@code batch} (nothing of it ran) and
   * leaves the reopening to the next batch.
   */
  private boolean reopened(List<Task<?>> batch) {
    try {
      session.reopen();
      reopen = false;
      return true;
    } catch (SQLException e) {
      if (batch.isEmpty()) {
        LOG.debug("reopening the write connection failed; trying again with the next write", e);
      } else {
        fail(batch, faults.failed("opening the write connection", e));
      }
      return false;
    }
  }

  private static void fail(List<Task<?>> tasks, RuntimeException e) {
    for (Task<?> task : tasks) {
      task.future.completeExceptionally(e);
    }
  }

  /** How many transactions the writer has committed. */
  long commits() {
    return commits.get();
  }

  /** How many tasks those transactions held (successful or rolled back to their savepoint). */
  long committedTasks() {
    return committedTasks.get();
  }

  /** Tasks waiting for the writer. */
  int queueDepth() {
    return queue.size();
  }

  boolean isRunning() {
    return !closed && thread.isAlive();
  }

  /**
   * Stops accepting writes, lets the writer finish everything already queued, and waits for it to
   * stop. Safe to call more than once.
   */
  @Override
  public void close() {
    closed = true;
    while (thread.isAlive()) {
      try {
        if (queue.offer(stop, 100, TimeUnit.MILLISECONDS)) {
          thread.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Task<?>> left = new ArrayList<>();
    queue.drainTo(left);
    left.remove(stop);
    fail(left, Sql.closed());
  }

  private static final class Task<T> {
    final String operation;
    final Sql.@Nullable Work<T, WriteSession> work;
    final boolean background;
    final CompletableFuture<T> future = new CompletableFuture<>();
    @Nullable T result;
    @Nullable RuntimeException failure;

    Task(String operation, Sql.@Nullable Work<T, WriteSession> work, boolean background) {
      this.operation = operation;
      this.work = work;
      this.background = background;
    }

    void runOn(WriteSession session) throws SQLException {
      if (work != null) {
        result = work.run(session);
      }
    }

    void complete() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }
  }
}
