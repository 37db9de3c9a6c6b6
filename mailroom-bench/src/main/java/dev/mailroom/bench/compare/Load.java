package dev.mailroom.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/** Load-generator threads and the publishers they use. */
final class Load {
  private Load() {}

  /** One thread's work. */
  @FunctionalInterface
  interface Task {
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code task} on {@code n} platform threads at once and waits for all; rethrows a failure.
   */
  static void inParallel(String name, int n, Task task) throws Exception {
    List<Thread> threads = new ArrayList<>(n);
    Exception[] failure = new Exception[1];
    for (int i = 0; i < n; i++) {
      int index = i;
      threads.add(
          Thread.ofPlatform()
              .name(name + "-" + i)
              .start(
                  () -> {
                    try {
                      task.run(index);
                    } catch (Exception | Error e) {
                      synchronized (failure) {
                        if (failure[0] == null) {
                          failure[0] = e instanceof Exception x ? x : new RuntimeException(e);
                        } else {
                          failure[0].addSuppressed(e);
                        }
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /** Opens {@code n} publishers to {@code destination}, before any clock starts. */
  static List<MessagingSystem.Publisher> publishers(
      MessagingSystem system, String destination, int n) throws Exception {
    List<MessagingSystem.Publisher> publishers = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        publishers.add(system.publisher(destination));
      }
    } catch (Exception e) {
      closeAll(publishers);
      throw e;
    }
    return publishers;
  }

  /** Closes every one of {@code resources}, keeping the first failure. */
  static void closeAll(List<? extends AutoCloseable> resources) throws Exception {
    Exception failure = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Hears of one answer to a pipelined publish. */
  @FunctionalInterface
  interface Answer {
    /**
     * @param sentNanos when the publish was made ({@link System#nanoTime()})
     * @param failure why it failed, or null once the system acknowledged it
     */
    void answered(long sentNanos, @Nullable Throwable failure);
  }

  /**
   * Publishes {@code payloadBytes}-byte messages through {@code p} without waiting, keeping at most
   * {@code inFlight} unanswered, until {@link System#nanoTime()} reaches {@code endNanos} or one
   * fails; {@code answer} hears of each on whatever thread its answer came on. Then waits up to
   * {@code drain} for the last answers.
   *
   * @return how many were published
   * @throws IllegalStateException if a publish failed, or answers were still missing after {@code
   *     drain}
   */
  static long pipelined(
      MessagingSystem.Publisher p,
      int inFlight,
      long endNanos,
      int payloadBytes,
      Answer answer,
      Duration drain)
      throws Exception {
    Semaphore window = new Semaphore(inFlight);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long seq = 0;
    while (System.nanoTime() < endNanos && failure.get() == null) {
      window.acquire();
      long sent = System.nanoTime();
      p.publishAsync(Payloads.create(payloadBytes, sent, seq++))
          .whenComplete(
              (ok, x) -> {
                if (x != null) {
                  failure.compareAndSet(null, x);
                }
                answer.answered(sent, x);
                window.release();
              });
    }
    if (!window.tryAcquire(inFlight, drain.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("publishes still unanswered " + drain + " after the last");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a pipelined publish failed", failure.get());
    }
    return seq;
  }

  /** Sleeps until {@link System#nanoTime()} reaches {@code deadline}; returns the time then. */
  static long sleepUntil(long deadline) {
    long now;
    while ((now = System.nanoTime()) < deadline) {
      LockSupport.parkNanos(deadline - now);
    }
    return now;
  }
}
