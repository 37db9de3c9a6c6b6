package dev.mailroom.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background task run on its own named daemon thread every interval (measured from the end of one
 * run to the start of the next), until {@link #close()} stops it and waits for a run under way. The
 * task must handle its own failures; one that throws is not run again.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final String name;
  private final ScheduledExecutorService executor;

  private Periodic(String name) {
    this.name = name;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
  }

  /** Starts running {@code task} every {@code interval}, the first time one interval from now. */
  public static Periodic every(String name, Duration interval, Runnable task) {
    Periodic periodic = new Periodic(name);
    long millis = interval.toMillis();
    periodic.executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    return periodic;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("{} did not stop within {} s", name, CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
