package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded storage backend: a single SQLite file in WAL mode, and the files of uploads and
 * attachments in the directory {@value #BLOBS} beside it ({@link FileBlobStore}).
 *
 * <p>Writes are durable before they return ({@code synchronous=FULL}: the commit is synced to disk)
 * and are group-committed: one writer thread runs every write, batching whatever is queued into one
 * transaction and one sync, so concurrent senders share the cost of the sync. Reads run on a fixed
 * pool of read-only connections and see every committed write. Agent mailboxes are bounded by
 * {@link RetentionPolicy#maxInboxSize()}; shared and topic mailboxes are bounded only by expiry.
 *
 * <p>The returned {@link Storage} is thread-safe; it owns two platform threads ({@code
 * mailroom-sqlite-writer} and the {@link Checkpointer}'s) and {@code readConnections + 2}
 * connections until it is closed.
 */
public final class SqliteStorage {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

  /** The directory of the blob store, beside the database file. */
  public static final String BLOBS = "blobs";

  private SqliteStorage() {}

  /**
   * Opens (creating if needed, with its parent directories) and migrates the database file, and
   * opens the blob store in {@value #BLOBS} beside it.
   *
   * @param options the file and the writer's and readers' settings
   * @param clock the time for ids, expiry and retention; the store never reads the system clock
   * @param retention inbox bound, read-state retention and dedupe window
   * @return an open store; close it to stop its writer and release the file
   * @throws MailroomException.Unavailable if the file cannot be opened, created or migrated, or the
   *     blob directory cannot be opened (its message names a full disk or a read-only data
   *     directory when that is the cause)
   */
  public static Storage open(
      SqliteOptions options, InstantSource clock, RetentionPolicy retention) {
    return open(options, clock, retention, GroupCommitWriter.BACKGROUND_LINGER, Checkpointer.LIMIT);
  }

  /** As {@link #open(SqliteOptions, InstantSource, RetentionPolicy)}; tests set the linger. */
  static Storage open(
      SqliteOptions options,
      InstantSource clock,
      RetentionPolicy retention,
      Duration backgroundLinger) {
    return open(options, clock, retention, backgroundLinger, Checkpointer.LIMIT);
  }

  /**
   * As {@link #open(SqliteOptions, InstantSource, RetentionPolicy)}; tests set the linger and the
   * size of write-ahead log the {@link Checkpointer} empties (bytes).
   */
  static Storage open(
      SqliteOptions options,
      InstantSource clock,
      RetentionPolicy retention,
      Duration backgroundLinger,
      long walLimit) {
    Path file = options.file().toAbsolutePath();
    try {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      LOG.error("cannot create the directory of {}", file, e);
      throw new MailroomException.Unavailable("cannot create the directory of " + file, e);
    }
    StoreFaults faults = new StoreFaults(file);
    CachedConnection writeConnection = null;
    GroupCommitWriter writer = null;
    Checkpointer checkpointer = null;
    ReadPool readers = null;
    try {
      writeConnection = CachedConnection.openWriter(file);
      Schema.migrate(writeConnection);
      writeConnection.execute("PRAGMA analysis_limit = 1000");
      writeConnection.execute("PRAGMA optimize = 0x10002");
      WriteSession session = WriteSession.open(writeConnection, clock);
      // From here on the writer manages transactions (one per batch) through the driver.
      writeConnection.connection().setAutoCommit(false);
      readers = ReadPool.open(file, options.readConnections(), options.enqueueTimeout());
      checkpointer = Checkpointer.start(file, Checkpointer.INTERVAL, walLimit);
      writer =
          GroupCommitWriter.start(
              session,
              faults,
              checkpointer.batches(),
              options.maxBatch(),
              options.queueCapacity(),
              options.enqueueTimeout(),
              backgroundLinger);
      SqliteMessageStore messages = new SqliteMessageStore(writer, readers, clock, retention);
      SqliteDeliveryStore deliveries = new SqliteDeliveryStore(writer, readers, session, clock);
      // Opened last, so that a database that cannot open says why first.
      FileBlobStore blobs = FileBlobStore.open(file.resolveSibling(BLOBS));
      LOG.info(
          "opened SQLite store {} (schema {}, {} messages)",
          file,
          Schema.VERSION,
          session.messageCount());
      return new SqliteBackend(
          file,
          writeConnection,
          session,
          faults,
          writer,
          checkpointer,
          readers,
          messages,
          deliveries,
          blobs);
    } catch (SQLException e) {
      closeAll(writer, checkpointer, readers, writeConnection);
      LOG.error("cannot open the SQLite store {}", file, e);
      String cause = faults.classify(e).map(f -> ": " + f.description()).orElse("");
      throw new MailroomException.Unavailable(
          "cannot open the message store at " + file + cause, e);
    } catch (RuntimeException e) {
      closeAll(writer, checkpointer, readers, writeConnection);
      throw e;
    }
  }

  /** Closes what a failed open had opened, last opened first. */
  private static void closeAll(
      @Nullable GroupCommitWriter writer,
      @Nullable Checkpointer checkpointer,
      @Nullable ReadPool readers,
      @Nullable CachedConnection writeConnection) {
    if (writer != null) {
      writer.close();
    }
    if (checkpointer != null) {
      checkpointer.close();
    }
    if (readers != null) {
      readers.close();
    }
    if (writeConnection != null) {
      writeConnection.close();
    }
  }
}
