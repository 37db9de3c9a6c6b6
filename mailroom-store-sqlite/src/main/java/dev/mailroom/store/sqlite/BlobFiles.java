package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.StorageFault;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobErrors;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.blob.PartCopy;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a {@link FileBlobStore}'s directory, and every read and write of them: for each
 * upload {@code <id>.data}, its bytes; {@code <id>.meta}, its record ({@link BlobRecords}),
 * replaced whole through {@code <id>.meta.tmp}; and {@code <id>.log}, the changes made since the
 * record was written, a synced line each. A change costs one small append instead of a new record,
 * so a part's bookkeeping stays the same whatever the number of parts. It knows no rule of uploads
 * and takes no lock: the store calls it in the right order, one change of an upload at a time.
 *
 * <p>Every failed write throws {@link MailroomException.Unavailable}, classified by {@link
 * StoreFaults} (a full disk, a read-only file system), and logged with its path here; callers never
 * see the {@link IOException}, except the body's of a part (see {@link #copyPart}).
 */
final class BlobFiles {
  private static final Logger LOG = LoggerFactory.getLogger(BlobFiles.class);

  static final String META = ".meta";
  static final String DATA = ".data";
  static final String LOG_FILE = ".log";
  static final String TEMP = ".tmp";

  private static final String CANNOT_WRITE = "the blob store cannot write now";

  private final Path dir;
  private final StoreFaults faults;

  private BlobFiles(Path dir) {
    this.dir = dir;
    this.faults = StoreFaults.ofDirectory(dir);
  }

  /**
   * The files of {@code dir}, which is created (with its parents) if missing.
   *
   * @throws MailroomException.Unavailable if it cannot be
   */
  static BlobFiles open(Path dir) {
    BlobFiles files = new BlobFiles(dir.toAbsolutePath());
    try {
      if (!Files.isDirectory(files.dir)) {
        Files.createDirectories(files.dir);
      }
    } catch (IOException e) {
      throw files.cannotOpen(e);
    }
    return files;
  }

  /**
   * Reads every record with its log applied, writing it anew and deleting the log; and deletes what
   * a crash leaves: temporary files, and bytes and logs without a record (a removal deletes the
   * record first). A record that cannot be read is logged and left alone, with its bytes and log.
   *
   * @return the records read
   * @throws MailroomException.Unavailable if the directory cannot be listed, or a record with a log
   *     cannot be written
   */
  List<Blob> recover() {
    List<Blob> records = new ArrayList<>();
    List<Path> orphanable = new ArrayList<>();
    List<Path> temporary = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP)) {
          temporary.add(file);
        } else if (name.endsWith(DATA) || name.endsWith(LOG_FILE)) {
          orphanable.add(file);
        } else if (name.endsWith(META)) {
          load(file).ifPresent(records::add);
        }
      }
    } catch (IOException e) {
      throw cannotOpen(e);
    }
    int deleted = 0;
    for (Path file : temporary) {
      deleted += deleteQuietly(file) ? 1 : 0;
    }
    int orphans = 0;
    for (Path file : orphanable) {
      String name = file.getFileName().toString();
      Path meta = dir.resolve(name.substring(0, name.lastIndexOf('.')) + META);
      if (!Files.exists(meta) && deleteQuietly(file)) {
        orphans++;
      }
    }
    records.replaceAll(this::applyLog);
    if (deleted + orphans > 0) {
      LOG.info(
          "deleted {} temporary files and {} files of removed uploads from {}",
          deleted,
          orphans,
          dir);
    }
    return records;
  }

  /** The record with its log applied, written anew without one, if it has a log. */
  private Blob applyLog(Blob record) {
    Path log = log(record.id());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(log);
    } catch (NoSuchFileException e) {
      return record;
    } catch (IOException e) {
      throw cannotOpen(e);
    }
    BlobRecords.Replayed replayed = BlobRecords.replay(record, bytes);
    if (replayed.ignored() > 0) {
      LOG.warn(
          "the log of upload {} ends in {} lines cut short or malformed, left out",
          record.id(),
          replayed.ignored());
    }
    write(replayed.blob(), "apply an upload's log");
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw cannotOpen(e);
    }
    return replayed.blob();
  }

  private MailroomException.Unavailable cannotOpen(IOException e) {
    LOG.error("cannot open the blob store {}", dir, e);
    String cause = faults.classify(e).map(f -> ": " + f.description()).orElse("");
    return new MailroomException.Unavailable("cannot open the blob store" + cause, null);
  }

  private static Optional<Blob> load(Path meta) {
    try {
      Blob blob = BlobRecords.decode(Files.readAllBytes(meta));
      if (!meta.getFileName().toString().equals(blob.id() + META)) {
        throw new IllegalArgumentException("the record is of " + blob.id());
      }
      return Optional.of(blob);
    } catch (IOException e) {
      LOG.error("cannot read the blob record {}; it and its bytes are left as they are", meta, e);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      LOG.error(
          "the blob record {} is damaged ({}); it and its bytes are left as they are",
          meta,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** The directory, as an absolute path. */
  Path dir() {
    return dir;
  }

  /** The fault the directory is in: the cause of the last failed write, unless one went since. */
  Optional<StorageFault> fault() {
    return faults.current();
  }

  /** Replaces the record of {@code blob} with this one: whole, synced, or not at all. */
  void write(Blob blob, String operation) {
    Path temporary = dir.resolve(blob.id() + META + TEMP);
    ByteBuffer bytes = ByteBuffer.wrap(BlobRecords.encode(blob));
    try {
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temporary, meta(blob.id()), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
    } catch (IOException x) {
      deleteQuietly(temporary);
      throw faults.failed(operation, x, CANNOT_WRITE);
    }
    faults.wrote();
  }

  /**
   * Writes the first record of an upload, with an empty data file beside it: both exist, synced, or
   * neither does.
   */
  void create(Blob upload) {
    try {
      Files.write(data(upload.id()), new byte[0]);
    } catch (IOException x) {
      throw faults.failed("create an upload", x, CANNOT_WRITE);
    }
    try {
      write(upload, "create an upload");
    } catch (RuntimeException e) {
      deleteQuietly(data(upload.id()));
      throw e;
    }
  }

  /**
   * Appends a line ({@link BlobRecords}) to the log of an upload, synced; creates the log, synced
   * into the directory, if it has none.
   */
  void append(BlobId id, String line, String operation) {
    ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
    Path log = log(id);
    try {
      boolean created = !Files.exists(log);
      try (FileChannel channel =
          FileChannel.open(
              log,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(false);
      }
      if (created) {
        syncDirectory();
      }
    } catch (IOException x) {
      throw faults.failed(operation, x, CANNOT_WRITE);
    }
    faults.wrote();
  }

  /**
   * Deletes the log of an upload, once its record holds what the log did. A crash may bring the log
   * back, which does no harm: applying it again changes nothing.
   */
  void deleteLog(BlobId id) {
    deleteQuietly(log(id));
  }

  /**
   * Deletes the record of an upload and its log, and syncs the directory so that a crash cannot
   * bring the record back once its bytes are gone too.
   */
  void deleteRecord(BlobId id) {
    try {
      Files.deleteIfExists(meta(id));
      Files.deleteIfExists(log(id));
    } catch (IOException x) {
      throw faults.failed("remove an upload's record", x, CANNOT_WRITE);
    }
    try {
      syncDirectory();
    } catch (IOException x) {
      LOG.warn("cannot sync the blob directory {}", dir, x);
    }
  }

  /** Deletes the bytes of an upload, if it has any; a failure is logged (see {@link #recover}). */
  void deleteBytes(BlobId id) {
    deleteQuietly(data(id));
  }

  /**
   * Copies a part's body into the upload's bytes at {@code offset} through {@link PartCopy#copy},
   * and syncs them.
   *
   * @return the checksum the part is recorded under
   * @throws MailroomException as {@code PartCopy.copy} does, or if the bytes cannot be written
   * @throws UncheckedIOException if the body cannot be read
   */
  PartChecksum copyPart(
      BlobId id, int n, long offset, long length, InputStream body, List<PartChecksum> expected) {
    FileChannel channel;
    try {
      channel = FileChannel.open(data(id), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException x) {
      throw faults.failed("open the bytes of an upload", x, CANNOT_WRITE);
    }
    try {
      PartChecksum actual;
      try {
        actual = PartCopy.copy(body, length, expected, n, new Sink(channel, offset));
      } catch (IOException x) {
        // The sink throws SinkFailure, so an IOException here is the body's.
        throw new UncheckedIOException(x);
      }
      channel.force(false);
      return actual;
    } catch (SinkFailure x) {
      throw faults.failed("write a part", x.io(), CANNOT_WRITE);
    } catch (IOException x) {
      throw faults.failed("sync a part", x, CANNOT_WRITE);
    } finally {
      closeQuietly(channel);
    }
  }

  /**
   * Feeds bytes {@code offset} to {@code offset + length} of an upload to {@code digest}, read a
   * buffer at a time.
   *
   * @throws IOException if they cannot be read (the caller says what that means)
   */
  void hash(BlobId id, long offset, long length, MessageDigest digest) throws IOException {
    if (length == 0) {
      return;
    }
    try (FileChannel channel = FileChannel.open(data(id), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(PartCopy.BUFFER, length));
      long position = offset;
      long end = offset + length;
      while (position < end) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw new EOFException("the file ends before byte " + end);
        }
        digest.update(buffer.flip());
        position += read;
      }
    }
  }

  /**
   * Bytes {@code offset} to {@code offset + length} of a blob, read as the stream is; the caller
   * has checked the range.
   *
   * @throws MailroomException.NotFound if the blob has no bytes (it was just removed)
   */
  InputStream read(BlobId id, long offset, long length) {
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    try {
      return new Range(FileChannel.open(data(id), StandardOpenOption.READ), offset, length);
    } catch (NoSuchFileException x) {
      throw BlobErrors.notFound(id);
    } catch (IOException x) {
      LOG.error("cannot read the bytes of blob {} in {}", id, dir, x);
      throw new MailroomException.Unavailable("the blob store cannot read the blob now", null);
    }
  }

  /** Makes the directory's entries (a rename, a new or deleted file) survive a crash. */
  private void syncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private Path meta(BlobId id) {
    return dir.resolve(id + META);
  }

  private Path data(BlobId id) {
    return dir.resolve(id + DATA);
  }

  private Path log(BlobId id) {
    return dir.resolve(id + LOG_FILE);
  }

  private static boolean deleteQuietly(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException x) {
      LOG.warn("cannot delete {}", file, x);
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException x) {
      LOG.debug("closing a blob file failed", x);
    }
  }

  /**
   * A write to the data file failed, as opposed to a read of the body: carried through {@link
   * PartCopy#copy} unchecked, so that the two are told apart.
   */
  private static final class SinkFailure extends RuntimeException {
    SinkFailure(IOException cause) {
      super(cause);
    }

    IOException io() {
      return (IOException) getCause();
    }
  }

  /** Writes a part's bytes in order from its offset on. */
  private static final class Sink implements PartCopy.Sink {
    private final FileChannel channel;
    private long position;

    Sink(FileChannel channel, long offset) {
      this.channel = channel;
      this.position = offset;
    }

    @Override
    public void write(byte[] buffer, int length) {
      ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
      try {
        while (bytes.hasRemaining()) {
          position += channel.write(bytes, position);
        }
      } catch (IOException x) {
        throw new SinkFailure(x);
      }
    }
  }

  /** Bytes {@code offset} to {@code offset + length} of a file, read as the stream is. */
  private static final class Range extends InputStream {
    private final FileChannel channel;
    private final long end;
    private long position;

    Range(FileChannel channel, long offset, long length) {
      this.channel = channel;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      int read =
          channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (read < 0) {
        throw new EOFException("the blob's file is shorter than the blob");
      }
      position += read;
      return read;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, end - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
