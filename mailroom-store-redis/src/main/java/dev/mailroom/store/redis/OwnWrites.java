package dev.mailroom.store.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * This node's writes that other nodes hear of through the events channel, so that this node hears
 * of them the same way: the delivery listener is told about every node's writes, this one's
 * included, by the events thread in the order Redis published them, which is the order Redis
 * committed them and so the order of their ids. A stream then never sees a delivery arrive after
 * one with a higher id (on which its cursor over the store relies), however many nodes send.
 *
 * <p>A tracked write carries a token in its event. The writer opens the token before running its
 * script and settles it with the outcome: confirmed (run, and on as many replicas as configured) or
 * failed. The events thread, on meeting the write's event, waits for that outcome (it may come
 * first: the event and the reply travel on different connections), tells the listener only of a
 * confirmed write (for one whose writer failed, though Redis made it, it has the streams read the
 * store again), and marks the token handled; the writer waits for that before it returns, so the
 * listener has been told when the write's caller hears of it.
 *
 * <p>Thread-safe. Holds one entry per write in flight.
 */
final class OwnWrites {
  private final AtomicLong tokens = new AtomicLong();
  private final ConcurrentHashMap<Long, Write> open = new ConcurrentHashMap<>();

  /**
   * One tracked write: its outcome, whether its events have been handled, and how many of them are
   * still to be (a batch of sends publishes one per message, all with the write's token).
   */
  private record Write(
      CompletableFuture<Boolean> outcome,
      CompletableFuture<Void> handled,
      AtomicInteger unhandled) {}

  /** Opens a token for a write about to run. */
  long open() {
    long token = tokens.incrementAndGet();
    open.put(
        token,
        new Write(new CompletableFuture<>(), new CompletableFuture<>(), new AtomicInteger(1)));
    return token;
  }

  /**
   * Runs a tracked write: opens its token, runs it, settles the token with the outcome and, if it
   * succeeded and {@code expectEvent} says it published one, waits up to {@code wait} for the
   * events thread to handle it. Failures propagate after the token is settled as failed.
   */
  <T> T run(
      java.util.function.LongFunction<T> write,
      java.util.function.Predicate<T> expectEvent,
      Supplier<Duration> wait) {
    return runMany(write, r -> expectEvent.test(r) ? 1 : 0, wait);
  }

  /**
   * As {@link #run}, for a write that publishes {@code events} (from its result) events with its
   * token: waits until the events thread has handled every one of them.
   */
  <T> T runMany(
      java.util.function.LongFunction<T> write,
      java.util.function.ToIntFunction<T> events,
      Supplier<Duration> wait) {
    long token = open();
    try {
      T result;
      try {
        result = write.apply(token);
      } catch (RuntimeException e) {
        settle(token, false, 0);
        throw e;
      }
      int expected = events.applyAsInt(result);
      settle(token, true, expected);
      if (expected > 0) {
        awaitHandled(token, wait.get());
      }
      return result;
    } finally {
      open.remove(token);
    }
  }

  /**
   * Records the outcome and how many events to expect. The events thread waits for the outcome
   * before it handles any of the write's events, so the count is set before the first is handled.
   */
  private void settle(long token, boolean confirmed, int events) {
    Write w = open.get(token);
    if (w != null) {
      w.unhandled().set(events);
      w.outcome().complete(confirmed);
    }
  }

  private void awaitHandled(long token, Duration wait) {
    Write w = open.get(token);
    if (w == null || wait.isZero()) {
      return;
    }
    try {
      w.handled().get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The events are slow or down: the write stands; the listener hears of it late, or the
      // resync after a reconnect has the streams read it from the store.
    }
  }

  /**
   * Called by the events thread for one of this node's events: whether to tell the listener. Waits
   * up to {@code max} for the writer's outcome. A token no longer open belongs to a writer that
   * stopped waiting; its write succeeded, so it is told.
   */
  boolean confirmed(long token, Duration max) {
    Write w = open.get(token);
    if (w == null) {
      return true;
    }
    try {
      return w.outcome().get(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /**
   * Called by the events thread once it is done with one of a write's events: once it has handled
   * them all, the writer may return.
   */
  void handled(long token) {
    Write w = open.get(token);
    if (w != null && w.unhandled().decrementAndGet() <= 0) {
      w.handled().complete(null);
    }
  }
}
