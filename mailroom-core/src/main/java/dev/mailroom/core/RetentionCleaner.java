package dev.mailroom.core;

import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.MessageStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background task that removes expired messages, old read state and old idempotency keys. It
 * owns one daemon thread, runs a pass every interval (passes repeat at once while a pass reports
 * more work), then the task given to follow each run (such as removing the blobs the removed
 * messages carried), and stops on {@link #close()}.
 */
public final class RetentionCleaner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionCleaner.class);
  static final int ROWS_PER_PASS = 5_000;
  private static final int MAX_PASSES_PER_RUN = 100;

  private final MessageStore store;
  private final AtomicLong removedMessages = new AtomicLong();
  private final Runnable beforeRun;
  private final Runnable afterRun;
  private final Periodic schedule;

  private RetentionCleaner(
      MessageStore store, Duration interval, Runnable beforeRun, Runnable afterRun) {
    this.store = store;
    this.beforeRun = beforeRun;
    this.afterRun = afterRun;
    // The first run is an interval away, and scheduling publishes the fields set above to it.
    this.schedule = Periodic.every("mailroom-retention", interval, this::runOnce);
  }

  /** Starts cleaning {@code store} every {@code interval}. */
  public static RetentionCleaner start(MessageStore store, Duration interval) {
    return new RetentionCleaner(store, interval, () -> {}, () -> {});
  }

  /**
   * Starts cleaning {@code store} every {@code interval}, running {@code afterRun} after each run
   * on the same thread: what it looks at is then already rid of what had expired. It handles its
   * own failures.
   */
  public static RetentionCleaner start(MessageStore store, Duration interval, Runnable afterRun) {
    return new RetentionCleaner(store, interval, () -> {}, afterRun);
  }

  /**
   * As {@link #start(MessageStore, Duration, Runnable)}, also running {@code beforeRun} on the same
   * thread before each run: what it notes (the time, say) comes before anything the run removes.
   */
  public static RetentionCleaner start(
      MessageStore store, Duration interval, Runnable beforeRun, Runnable afterRun) {
    return new RetentionCleaner(store, interval, beforeRun, afterRun);
  }

  /** Runs passes until nothing due is left (or a bound is hit); returns what was removed. */
  CleanupReport runOnce() {
    beforeRun.run();
    long messages = 0;
    long reads = 0;
    long keys = 0;
    boolean more = true;
    try {
      for (int pass = 0; more && pass < MAX_PASSES_PER_RUN; pass++) {
        CleanupReport r = store.purgeExpired(ROWS_PER_PASS);
        messages += r.messages();
        reads += r.readStates();
        keys += r.idempotencyKeys();
        more = r.more();
      }
    } catch (RuntimeException e) {
      LOG.warn("retention pass failed; retrying next interval", e);
    }
    removedMessages.addAndGet(messages);
    afterRun.run();
    if (messages + reads + keys > 0) {
      LOG.debug("retention removed {} messages, {} read states, {} keys", messages, reads, keys);
    }
    return new CleanupReport(messages, reads, keys, more);
  }

  /** Expired messages removed since start. */
  public long removedMessages() {
    return removedMessages.get();
  }

  @Override
  public void close() {
    schedule.close();
  }
}
