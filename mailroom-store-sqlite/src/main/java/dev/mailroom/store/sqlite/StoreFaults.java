package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.StorageFault;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Tells the file system faults behind a failed write of one SQLite file (a full disk, a read-only
 * data directory) from other database failures, and remembers the fault the file is in until a
 * write commits again. The {@link FileBlobStore} keeps one for its directory, fed with the {@link
 * IOException}s of its writes.
 *
 * <p>Nothing is checked while writes succeed: a failure is classified when it happens, by SQLite's
 * result code ({@code SQLITE_FULL}, {@code SQLITE_READONLY}) or the error the operating system gave
 * ({@code ENOSPC}, {@code EDQUOT}, {@code EROFS}), and only an error that names no cause looks at
 * the file system (read-only, or under {@link #LOW_SPACE} left). Only while the disk is full does a
 * commit ask the file system for its free space, to tell when the fault ends.
 *
 * <p>Logs one line when the file enters a fault (or another one) and one when it leaves it, never
 * one per refused write. Thread-safe.
 */
final class StoreFaults {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFaults.class);

  /** Less space than this left on the disk makes an I/O error a full disk. */
  static final long LOW_SPACE = 1L << 20;

  private static final int SQLITE_FULL = SQLiteErrorCode.SQLITE_FULL.code;
  private static final int SQLITE_READONLY = SQLiteErrorCode.SQLITE_READONLY.code;
  private static final int SQLITE_IOERR = SQLiteErrorCode.SQLITE_IOERR.code;
  private static final int SQLITE_CANTOPEN = SQLiteErrorCode.SQLITE_CANTOPEN.code;

  /** How the operating system words each fault (Linux and macOS). */
  private static final List<String> DISK_FULL_ERRORS =
      List.of("no space left on device", "disk quota exceeded", "not enough space");

  private static final List<String> READ_ONLY_ERRORS = List.of("read-only file system");

  private final Path file;
  private final @Nullable Path dir;
  private final AtomicReference<@Nullable StorageFault> current = new AtomicReference<>();

  private StoreFaults(Path file, @Nullable Path dir) {
    this.file = file;
    this.dir = dir;
  }

  /** The faults of one file, whose directory's file system is asked. */
  StoreFaults(Path file) {
    this(file, file.toAbsolutePath().getParent());
  }

  /** The faults of the files of one directory, whose file system is asked. */
  static StoreFaults ofDirectory(Path dir) {
    return new StoreFaults(dir, dir.toAbsolutePath());
  }

  /**
   * The exception a caller sees for a failed write: a {@linkplain
   * MailroomException.Unavailable#storage storage fault} naming its cause, or (any other failure)
   * {@link Sql#unavailable}. The SQL error is logged, never passed on.
   *
   * @param operation a short name for logs
   */
  MailroomException.Unavailable failed(String operation, SQLException e) {
    Optional<StorageFault> fault = classify(e);
    if (fault.isEmpty()) {
      return Sql.unavailable(operation, e);
    }
    return entered(fault.get(), operation, e);
  }

  /**
   * The exception a caller sees for a failed write of a file: a {@linkplain
   * MailroomException.Unavailable#storage storage fault} naming its cause, or (any other failure)
   * one saying {@code otherwise}. The error is logged, never passed on: its message names paths.
   *
   * @param operation a short name for logs
   */
  MailroomException.Unavailable failed(String operation, IOException e, String otherwise) {
    Optional<StorageFault> fault = classify(e);
    if (fault.isEmpty()) {
      LOG.error("{} failed on {}", operation, file, e);
      return new MailroomException.Unavailable(otherwise, null);
    }
    return entered(fault.get(), operation, e);
  }

  private MailroomException.Unavailable entered(StorageFault f, String operation, Exception e) {
    if (current.getAndSet(f) != f) {
      LOG.warn(
          "cannot write {}: {} ({} failed: {}); writes are refused until it can again",
          file,
          f.description(),
          operation,
          e.getMessage());
    } else {
      LOG.debug("{} failed on {}: {}", operation, file, e.getMessage());
    }
    return MailroomException.Unavailable.storage(f);
  }

  /**
   * A write committed: a read-only directory is writable again, and a full disk has room again
   * unless it is still under {@link #LOW_SPACE} free (small writes may fit in room the file took
   * earlier while larger ones are still refused, so the fault lasts until space is freed).
   */
  void wrote() {
    StorageFault was = current.get();
    if (was == null || (was == StorageFault.DISK_FULL && lowOnSpace())) {
      return;
    }
    if (current.compareAndSet(was, null)) {
      LOG.info("{} takes writes again ({} no longer)", file, was.description());
    }
  }

  /** The fault the file is in: the cause of the last failed write, unless one committed since. */
  Optional<StorageFault> current() {
    return Optional.ofNullable(current.get());
  }

  /** The file system fault behind {@code e}, if that is what it is. */
  Optional<StorageFault> classify(SQLException e) {
    if (!(e instanceof SQLiteException sqlite)) {
      return Optional.empty();
    }
    SQLiteErrorCode code = sqlite.getResultCode();
    int primary = code.code & 0xff;
    if (primary == SQLITE_FULL) {
      return Optional.of(StorageFault.DISK_FULL);
    }
    if (primary == SQLITE_READONLY && code != SQLiteErrorCode.SQLITE_READONLY_DBMOVED) {
      return Optional.of(StorageFault.READ_ONLY);
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
      return fileSystemFault();
    }
    return Optional.empty();
  }

  /**
   * The file system fault behind {@code e}: the one the operating system named, else (an error
   * naming none) what the file system says about itself.
   */
  Optional<StorageFault> classify(IOException e) {
    String message =
        (e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : String.valueOf(e.getMessage()))
            .toLowerCase(Locale.ROOT);
    if (DISK_FULL_ERRORS.stream().anyMatch(message::contains)) {
      return Optional.of(StorageFault.DISK_FULL);
    }
    if (READ_ONLY_ERRORS.stream().anyMatch(message::contains)) {
      return Optional.of(StorageFault.READ_ONLY);
    }
    return fileSystemFault();
  }

  /** What the data directory's file system says about itself, asked only after an I/O error. */
  private Optional<StorageFault> fileSystemFault() {
    Optional<FileStore> store = fileStore();
    try {
      if (store.isPresent() && store.get().isReadOnly()) {
        return Optional.of(StorageFault.READ_ONLY);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot look at the file system of {}", file, e);
    }
    return lowOnSpace() ? Optional.of(StorageFault.DISK_FULL) : Optional.empty();
  }

  private boolean lowOnSpace() {
    Optional<FileStore> store = fileStore();
    try {
      return store.isPresent() && store.get().getUsableSpace() < LOW_SPACE;
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot look at the free space of {}", file, e);
      return false;
    }
  }

  private Optional<FileStore> fileStore() {
    try {
      return dir == null ? Optional.empty() : Optional.of(Files.getFileStore(dir));
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot look at the file system of {}", dir, e);
      return Optional.empty();
    }
  }
}
