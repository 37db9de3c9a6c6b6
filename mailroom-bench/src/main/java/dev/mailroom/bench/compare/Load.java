package dev.mailroom.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

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

  /** Sleeps until {@link System#nanoTime()} reaches {@code deadline}; returns the time then. */
  static long sleepUntil(long deadline) {
    long now;
    while ((now = System.nanoTime()) < deadline) {
      LockSupport.parkNanos(deadline - now);
    }
    return now;
  }
}
