package dev.mailroom.store.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the embedded SQLite store is set up.
 *
 * @param file the database file; its parent directories are created when missing
 * @param readConnections how many read-only connections serve reads concurrently (1–64)
 * @param maxBatch the most writes the writer commits in one transaction (one sync) (1–65536)
 * @param queueCapacity how many writes may wait for the writer before senders are refused
 * @param enqueueTimeout how long a write waits for room in a full queue before it fails with {@link
 *     dev.mailroom.core.MailroomException.Unavailable} ({@code 0} refuses at once)
 */
public record SqliteOptions(
    Path file, int readConnections, int maxBatch, int queueCapacity, Duration enqueueTimeout) {

  public static final int DEFAULT_READ_CONNECTIONS = 4;
  public static final int DEFAULT_MAX_BATCH = 1024;
  public static final int DEFAULT_QUEUE_CAPACITY = 8192;
  public static final Duration DEFAULT_ENQUEUE_TIMEOUT = Duration.ofSeconds(5);

  static final int MAX_READ_CONNECTIONS = 64;
  static final int MAX_MAX_BATCH = 65_536;

  public SqliteOptions {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(enqueueTimeout, "enqueueTimeout");
    if (readConnections < 1 || readConnections > MAX_READ_CONNECTIONS) {
      throw new IllegalArgumentException(
          "read connections must be between 1 and " + MAX_READ_CONNECTIONS);
    }
    if (maxBatch < 1 || maxBatch > MAX_MAX_BATCH) {
      throw new IllegalArgumentException("max batch must be between 1 and " + MAX_MAX_BATCH);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1");
    }
    if (enqueueTimeout.isNegative()) {
      throw new IllegalArgumentException("enqueue timeout must not be negative");
    }
  }

  /** The options for {@code file} with every other setting at its default. */
  public static SqliteOptions of(Path file) {
    return new SqliteOptions(
        file,
        DEFAULT_READ_CONNECTIONS,
        DEFAULT_MAX_BATCH,
        DEFAULT_QUEUE_CAPACITY,
        DEFAULT_ENQUEUE_TIMEOUT);
  }
}
