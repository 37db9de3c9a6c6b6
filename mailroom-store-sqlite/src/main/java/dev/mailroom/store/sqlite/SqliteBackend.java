package dev.mailroom.store.sqlite;

import dev.mailroom.core.StorageFault;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spi.StoreObserver;
import dev.mailroom.core.spi.TopicStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite file, one writer thread with group commit, a checkpoint thread, a
 * fixed pool of read connections, and the message, agent, delivery, topic, access and audit stores
 * on top of them; beside them the {@link FileBlobStore} in the file's directory. Thread-safe.
 */
final class SqliteBackend implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteBackend.class);

  private final Path file;
  private final CachedConnection writeConnection;
  private final WriteSession session;
  private final StoreFaults faults;
  private final GroupCommitWriter writer;
  private final Checkpointer checkpointer;
  private final ReadPool readers;
  private final SqliteMessageStore messages;
  private final SqliteAgentStore agents;
  private final SqlitePresence presence;
  private final SqliteDeliveryStore deliveries;
  private final SqliteTopicStore topics;
  private final SqliteAccessStore access;
  private final SqliteAuditStore audit;
  private final FileBlobStore blobs;
  private final SqliteReservationStore reservations;
  private final SqliteObligationStore obligations;
  private final AtomicBoolean closed = new AtomicBoolean();

  SqliteBackend(
      Path file,
      CachedConnection writeConnection,
      WriteSession session,
      StoreFaults faults,
      GroupCommitWriter writer,
      Checkpointer checkpointer,
      ReadPool readers,
      SqliteMessageStore messages,
      SqliteDeliveryStore deliveries,
      FileBlobStore blobs) {
    this.file = file;
    this.writeConnection = writeConnection;
    this.session = session;
    this.faults = faults;
    this.writer = writer;
    this.checkpointer = checkpointer;
    this.readers = readers;
    this.messages = messages;
    this.presence = new SqlitePresence(writer, readers);
    this.agents = new SqliteAgentStore(writer, readers, presence);
    this.deliveries = deliveries;
    this.topics = new SqliteTopicStore(writer, readers);
    this.access = new SqliteAccessStore(writer, readers);
    this.audit = new SqliteAuditStore(writer, readers);
    this.blobs = blobs;
    this.reservations = new SqliteReservationStore(writer, readers);
    this.obligations = new SqliteObligationStore(writer, readers);
  }

  @Override
  public MessageStore messages() {
    return messages;
  }

  @Override
  public AgentStore agents() {
    return agents;
  }

  @Override
  public DeliveryStore deliveries() {
    return deliveries;
  }

  @Override
  public TopicStore topics() {
    return topics;
  }

  @Override
  public AccessStore access() {
    return access;
  }

  @Override
  public AuditStore audit() {
    return audit;
  }

  /** The files of uploads and attachments, in {@code blobs} beside the database file. */
  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public ReservationStore reservations() {
    return reservations;
  }

  @Override
  public ObligationStore obligations() {
    return obligations;
  }

  @Override
  public PresenceStore presence() {
    return presence;
  }

  @Override
  public void observe(StoreObserver observer) {
    writer.observe(observer);
  }

  /** The writer thread tells the listener of each batch's changes right after it commits. */
  @Override
  public void listen(ChangeListener listener) {
    session.listen(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Cheap facts only: no query, just counters and file sizes. While the file system refuses writes
   * the store is down, and {@code fault} says why ({@code disk_full}, {@code read_only}). A fault
   * of the blob directory ({@code blobs_fault}) refuses uploads only, so the store stays up.
   */
  @Override
  public StoreHealth health() {
    Optional<StorageFault> fault = faults.current();
    Map<String, Object> details = new LinkedHashMap<>();
    fault.ifPresent(f -> details.put("fault", f.wireName()));
    details.put("path", file.toString());
    details.put("file_size_bytes", sizeOf(file) + sizeOf(Path.of(file + "-wal")));
    details.put("writer_queue_depth", writer.queueDepth());
    details.put("messages_estimate", session.messageCount());
    details.put("commits", writer.commits());
    blobs.fault().ifPresent(f -> details.put("blobs_fault", f.wireName()));
    return new StoreHealth(
        !closed.get() && writer.isRunning() && fault.isEmpty(), "sqlite", details);
  }

  private static long sizeOf(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The write connection, for tests that look at its settings. */
  CachedConnection writeConnection() {
    return writeConnection;
  }

  /** The writer, for tests that look at batching. */
  GroupCommitWriter writer() {
    return writer;
  }

  /**
   * Finishes queued writes, stops the checkpoints, then closes the readers and last the write
   * connection (the last connection to close checkpoints the WAL into the main file).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.close();
    checkpointer.close();
    readers.close();
    try {
      writeConnection.connection().setAutoCommit(true);
      writeConnection.execute("PRAGMA optimize");
    } catch (java.sql.SQLException e) {
      LOG.debug("PRAGMA optimize at close failed", e);
    }
    writeConnection.close();
    blobs.close();
    LOG.info("closed SQLite store {}", file);
  }
}
