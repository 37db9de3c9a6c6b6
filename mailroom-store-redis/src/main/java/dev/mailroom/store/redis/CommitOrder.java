package dev.mailroom.store.redis;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the delivery listener about this node's writes in the order Redis committed them, and
 * before each write's caller returns.
 *
 * <p>Redis runs the commands of one connection in the order they were written to it, and Lettuce
 * writes them in the order they were dispatched. So a write is dispatched under a short lock that
 * also appends it to a queue, which is then in commit order; whenever a write completes, the queue
 * is drained from its head for as long as the head is complete, telling the listener about each in
 * turn. A caller waits until its own write has been drained. The lock is held for a dispatch (no
 * round trip) and for the listener calls, which must be quick anyway.
 *
 * <p>With {@link RedisOptions#waitReplicas()} above 0 a write completes only once its replicas have
 * it ({@link ReplicaWait}), so the listener hears only of writes durable as configured; one that
 * could not be confirmed fails, and the listener is not told of it (the store asks for a resync
 * instead, as it may survive).
 *
 * <p>Thread-safe. The queue holds one entry per write in flight, so it is bounded by the callers
 * waiting on it.
 */
final class CommitOrder {
  private static final Logger LOG = LoggerFactory.getLogger(CommitOrder.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Entry<?>> inFlight = new ArrayDeque<>();

  /** A write in flight and what to tell once it is committed. */
  private static final class Entry<T> {
    final CompletableFuture<T> future;
    final Function<T, Runnable> notice;
    final CompletableFuture<Void> drained = new CompletableFuture<>();

    Entry(CompletableFuture<T> future, Function<T, Runnable> notice) {
      this.future = future;
      this.notice = notice;
    }

    void tell() {
      try {
        if (!future.isCompletedExceptionally()) {
          notice.apply(future.join()).run();
        }
      } catch (RuntimeException e) {
        LOG.error("the delivery listener failed", e);
      } finally {
        drained.complete(null);
      }
    }
  }

  /**
   * Dispatches a write, and once it and every write dispatched before it have completed, runs the
   * notice made of its result (not if it failed). Returns the write's future, completed and told.
   */
  <T> CompletableFuture<T> write(
      Supplier<CompletableFuture<T>> dispatch, Function<T, Runnable> notice) {
    Entry<T> entry;
    lock.lock();
    try {
      entry = new Entry<>(dispatch.get(), notice);
      inFlight.add(entry);
    } finally {
      lock.unlock();
    }
    entry.future.whenComplete((r, e) -> drain());
    entry.drained.join();
    return entry.future;
  }

  private void drain() {
    lock.lock();
    try {
      while (!inFlight.isEmpty() && inFlight.peek().future.isDone()) {
        inFlight.poll().tell();
      }
    } finally {
      lock.unlock();
    }
  }
}
