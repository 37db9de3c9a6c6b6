package dev.mailroom.store.redis;

import dev.mailroom.core.MailroomException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Confirms that the writes of one connection reached {@code n} replicas, with {@code WAIT n
 * timeout} coalesced like a group commit.
 *
 * <p>{@code WAIT} blocks until {@code n} replicas have acknowledged every write the same
 * server-side client made before it, so one {@code WAIT} covers every write whose reply had arrived
 * before the {@code WAIT} was sent. At most one {@code WAIT} is in flight per connection: a write
 * that completes meanwhile joins the next batch, sent as soon as the one in flight returns. However
 * many writers there are, the connection carries one {@code WAIT} per round trip, and a write waits
 * at most for the rest of the {@code WAIT} in flight and one more.
 *
 * <p>A {@code WAIT} only speaks for the writes of its own session: after a reconnect the server
 * sees a new client (perhaps on another server, after a Sentinel failover) that has written
 * nothing. So the connection's {@link #sessionChanged() drops and reconnects} are counted, and a
 * write is confirmed only by a {@code WAIT} sent and answered with no drop since the write was
 * dispatched; otherwise it fails as unconfirmed.
 *
 * <p>Thread-safe. The batch holds one entry per write waiting, so it is bounded by the callers.
 */
final class ReplicaWait {
  private final RedisClusterAsyncCommands<byte[], byte[]> connection;
  private final int replicas;
  private final Duration timeout;
  private final Runnable unconfirmed;
  private final AtomicLong session = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private List<Waiter> next = new ArrayList<>();
  private boolean inFlight;

  /** A write waiting for a {@code WAIT}: the session it was dispatched in. */
  private record Waiter(long session, CompletableFuture<Void> confirmed) {}

  /**
   * @param unconfirmed told whenever writes could not be confirmed: they were made, and may
   *     survive, but their callers fail
   */
  ReplicaWait(
      RedisClusterAsyncCommands<byte[], byte[]> connection,
      int replicas,
      Duration timeout,
      Runnable unconfirmed) {
    this.connection = connection;
    this.replicas = replicas;
    this.timeout = timeout;
    this.unconfirmed = unconfirmed;
  }

  /** The current session: read before dispatching a write, passed to {@link #confirm}. */
  long session() {
    return session.get();
  }

  /** The connection dropped or came back: writes of the sessions before are unconfirmable. */
  void sessionChanged() {
    session.incrementAndGet();
  }

  /**
   * The write's result once enough replicas have it, or a failure: the write's own, or {@link
   * MailroomException.Unavailable} when its replicas could not be confirmed in time.
   */
  <T> CompletableFuture<T> confirm(CompletionStage<T> write, long dispatchedIn) {
    return write.toCompletableFuture().thenCompose(r -> enqueue(dispatchedIn).thenApply(v -> r));
  }

  private CompletableFuture<Void> enqueue(long dispatchedIn) {
    Waiter waiter = new Waiter(dispatchedIn, new CompletableFuture<>());
    List<Waiter> batch = null;
    lock.lock();
    try {
      next.add(waiter);
      if (!inFlight) {
        inFlight = true;
        batch = next;
        next = new ArrayList<>();
      }
    } finally {
      lock.unlock();
    }
    if (batch != null) {
      send(batch);
    }
    return waiter.confirmed();
  }

  /**
   * Sends one {@code WAIT} for the batch; its answer sends the next batch, if any, then settles.
   */
  private void send(List<Waiter> batch) {
    long sentIn = session.get();
    RedisFuture<Long> wait;
    try {
      wait = connection.waitForReplication(replicas, timeout.toMillis());
    } catch (RuntimeException e) {
      settle(batch, sentIn, null, e);
      return;
    }
    wait.whenComplete((acked, error) -> settle(batch, sentIn, acked, error));
  }

  private void settle(List<Waiter> batch, long sentIn, Long acked, Throwable error) {
    long answeredIn = session.get();
    List<Waiter> following = null;
    lock.lock();
    try {
      if (next.isEmpty()) {
        inFlight = false;
      } else {
        following = next;
        next = new ArrayList<>();
      }
    } finally {
      lock.unlock();
    }
    if (following != null) {
      send(following);
    }
    boolean failed = false;
    for (Waiter w : batch) {
      failed |= error != null || w.session() != sentIn || answeredIn != sentIn || acked < replicas;
      if (error != null) {
        w.confirmed().completeExceptionally(unconfirmed("WAIT failed: " + error.getMessage()));
      } else if (w.session() != sentIn || answeredIn != sentIn) {
        w.confirmed()
            .completeExceptionally(
                unconfirmed("the connection to Redis dropped before the replicas confirmed it"));
      } else if (acked < replicas) {
        w.confirmed()
            .completeExceptionally(
                unconfirmed(
                    acked + " of " + replicas + " replicas acknowledged it within " + timeout));
      } else {
        w.confirmed().complete(null);
      }
    }
    if (failed) {
      unconfirmed.run();
    }
  }

  private static MailroomException.Unavailable unconfirmed(String why) {
    return new MailroomException.Unavailable(
        "the write was made on the Redis master but not confirmed on its replicas ("
            + why
            + "); it may or may not survive a failover",
        null);
  }
}
