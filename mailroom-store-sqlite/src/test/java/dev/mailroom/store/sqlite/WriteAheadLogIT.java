package dev.mailroom.store.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log stays bounded under a writer that never pauses while readers read: passive
 * checkpoints alone never catch up with such a writer, and the log would grow with every batch.
 */
@Timeout(value = 120, unit = SECONDS)
class WriteAheadLogIT {
  /** The log size at which this test's store empties the log (bytes). */
  private static final long LIMIT = 2L << 20;

  /** Bytes of messages written in all: many times the limit. */
  private static final long WRITTEN = 40L << 20;

  @TempDir Path dir;

  @Test
  void staysBoundedUnderAWriterThatNeverPausesWithConcurrentReaders() throws Exception {
    Path file = dir.resolve("mailroom.db");
    Path wal = dir.resolve("mailroom.db-wal");
    TestClock clock = TestClock.atDefaultStart();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    String body = "x".repeat(2_000);
    long largest = 0;
    try (Storage storage =
        SqliteStorage.open(
            SqliteOptions.of(file),
            clock,
            RetentionPolicy.DEFAULTS,
            GroupCommitWriter.BACKGROUND_LINGER,
            LIMIT)) {
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        readers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      while (writing.get()) {
                        storage
                            .messages()
                            .query(
                                new MessageQuery(
                                    MailboxName.of("load"),
                                    AgentId.of("reader"),
                                    MessageFilter.NONE,
                                    Optional.empty(),
                                    Order.DESC,
                                    50));
                        reads.incrementAndGet();
                      }
                    }));
      }
      try {
        List<MessageStore.Send> batch = new ArrayList<>();
        for (long written = 0; written < WRITTEN; written += 100L * body.length()) {
          batch.clear();
          for (int i = 0; i < 100; i++) {
            batch.add(
                new MessageStore.Send(
                    Fixtures.text("writer", "load", body + written + i), Fixtures.shared("load")));
          }
          storage.messages().sendAll(batch);
          largest = Math.max(largest, size(wal));
        }
      } finally {
        writing.set(false);
        for (Thread t : readers) {
          t.join();
        }
      }
    }
    assertThat(reads.get()).as("the readers read while the writer wrote").isPositive();
    // Emptied once past the limit, so at most what the writer appends between two checkpoints
    // (100 ms) more; without that the log grows with all that is written (120 MB here).
    assertThat(largest).as("largest write-ahead log (bytes)").isLessThan(LIMIT + (16L << 20));
  }

  private static long size(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }
}
