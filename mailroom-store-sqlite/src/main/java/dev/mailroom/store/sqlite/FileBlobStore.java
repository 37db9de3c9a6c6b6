package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.StorageFault;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobErrors;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.spi.BlobStore;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a directory of plain files: the SQLite store's is {@code
 * <data-dir>/blobs}.
 *
 * <p>Each upload has up to three files, named by its id ({@link BlobFiles}): {@code <id>.data}
 * holds its bytes, each part written at its offset as it arrives; {@code <id>.meta} holds its
 * record ({@link BlobRecords}: owner, name, sizes, checksums, the parts received, times); and
 * {@code <id>.log} the changes since the record was written, a synced line each (a part received, a
 * part taken back, a use). A record is never changed in place: it is written whole to {@code
 * <id>.meta.tmp}, synced, renamed over the old one and the directory synced, so a crash leaves the
 * old record or the new one. It is written when the upload is created and completed, and when its
 * log has grown to {@value #LOG_LINES} lines, the log then deleted. A part is recorded only once
 * its bytes are synced; a part sent again is first taken off the record, since its bytes are about
 * to be overwritten. A removal deletes the record and the log first, then the bytes, so a crash can
 * leave at most bytes without a record; opening the store deletes those, any {@code .tmp} file left
 * behind, and writes each log into its record.
 *
 * <p>The SHA-256 of an upload is taken while its parts arrive ({@link RunningDigest}), so that its
 * completion reads only the bytes that came out of order.
 *
 * <p>Every record is read into memory when the store opens, so {@link #find}, {@link #unusedSince}
 * and {@link #usage} never touch the disk, and the bytes each owner holds are counted in memory, so
 * {@link #create}'s quota check is one step. One store owns its directory: another process (or
 * another store in this one) writing the same directory is not seen, and its temporary files may be
 * taken for a crash's when this one opens. Servers that share a file system therefore cannot share
 * one directory through it.
 *
 * <p>Thread-safe. Each upload has a lock that orders the changes of its record, and so makes a
 * {@link #remove} and a {@link #touch} of one blob come one after the other. A part's bytes are
 * copied outside that lock, under a lock of the part alone: parts of one upload are written at
 * once, two writes of one part one after the other. {@link #complete} holds the upload's lock while
 * it finishes the SHA-256, so no part can be sent again meanwhile. Blobs are read without a lock: a
 * blob removed while a stream reads it is read to its end (its file is unlinked, not yet gone).
 *
 * <p>Failures: a write the file system refuses throws {@link MailroomException.Unavailable}, a
 * {@linkplain MailroomException.Unavailable#storage storage fault} when the disk is full or
 * read-only; the error itself, which names paths, is logged and never passed on. A part whose body
 * cannot be read (the client broke off) throws {@link UncheckedIOException}. Either way nothing of
 * the part is recorded.
 */
public final class FileBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);

  /** How long an upload's log grows before it is written into the record. */
  static final int LOG_LINES = 1024;

  private final BlobFiles files;
  private final ConcurrentHashMap<BlobId, Entry> index;
  private final Map<AgentId, Long> usage; // guarded by itself
  private volatile boolean closed;

  /**
   * One upload or blob: its record as last written, and the locks that order its changes. Locks,
   * not monitors: a virtual thread that blocks on file I/O inside {@code synchronized} holds its
   * carrier thread (Java 21).
   */
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    final ConcurrentHashMap<Integer, ReentrantLock> partLocks = new ConcurrentHashMap<>();
    volatile Blob blob;
    volatile @Nullable RunningDigest digest; // while open; written under lock
    boolean removed; // guarded by lock
    int logLines; // guarded by lock

    Entry(Blob blob, BlobFiles files) {
      this.blob = blob;
      this.digest = blob.complete() ? null : new RunningDigest(files, () -> this.blob, this::part);
    }

    ReentrantLock part(int n) {
      return partLocks.computeIfAbsent(n, k -> new ReentrantLock());
    }
  }

  private FileBlobStore(BlobFiles files, List<Blob> records) {
    this.files = files;
    this.index = new ConcurrentHashMap<>();
    this.usage = new HashMap<>();
    for (Blob b : records) {
      index.put(b.id(), new Entry(b, files));
      count(b.owner(), b.size());
    }
  }

  /**
   * Opens the store in {@code dir} (created, with its parents, if missing) with what it holds:
   * reads every record, and deletes bytes without a record and temporary files, which a crash
   * leaves. A record that cannot be read is logged and left alone, with its bytes.
   *
   * @return the open store; close it when done
   * @throws MailroomException.Unavailable if the directory cannot be created or listed (naming a
   *     full disk or a read-only file system when that is the cause)
   */
  public static FileBlobStore open(Path dir) {
    BlobFiles files = BlobFiles.open(dir);
    FileBlobStore store = new FileBlobStore(files, files.recover());
    LOG.info("opened the blob store {} ({} uploads and blobs)", files.dir(), store.index.size());
    return store;
  }

  /** The directory the store keeps its files in. */
  public Path dir() {
    return files.dir();
  }

  /** The fault the directory is in: the cause of the last failed write, unless one went since. */
  Optional<StorageFault> fault() {
    return files.fault();
  }

  @Override
  public void create(Blob upload, long quota) {
    ensureOpen();
    if (index.containsKey(upload.id())) {
      throw new IllegalArgumentException("upload " + upload.id() + " exists");
    }
    synchronized (usage) {
      long used = usage.getOrDefault(upload.owner(), 0L);
      if (used + upload.size() > quota) {
        throw BlobErrors.quotaExceeded(upload, used, quota);
      }
      count(upload.owner(), upload.size());
    }
    try {
      files.create(upload);
    } catch (RuntimeException e) {
      count(upload.owner(), -upload.size());
      throw e;
    }
    index.put(upload.id(), new Entry(upload, files));
  }

  @Override
  public Optional<Blob> find(BlobId id) {
    ensureOpen();
    Entry e = index.get(id);
    return e == null ? Optional.empty() : Optional.of(e.blob);
  }

  @Override
  public Blob writePart(
      BlobId id, int n, InputStream body, List<PartChecksum> expected, Instant now) {
    Entry e = entry(id);
    Blob upload = e.blob;
    if (upload.complete()) {
      throw BlobErrors.alreadyComplete(id);
    }
    long length = upload.partLength(n);
    ReentrantLock part = e.part(n);
    Blob recorded;
    part.lock();
    try {
      forget(e, n);
      PartChecksum actual = files.copyPart(id, n, upload.partOffset(n), length, body, expected);
      recorded = record(e, new Blob.Part(n, length, actual), now);
    } finally {
      part.unlock();
    }
    RunningDigest digest = e.digest;
    if (digest != null) {
      digest.advance();
    }
    return recorded;
  }

  /** Takes part {@code n} off the record, if it is on it, before its bytes are overwritten. */
  private void forget(Entry e, int n) {
    e.lock.lock();
    try {
      Blob current = usable(e);
      RunningDigest digest = e.digest;
      if (digest != null) {
        digest.resent(n);
      }
      if (current.hasPart(n)) {
        Blob updated = current.withoutPart(n);
        log(e, updated, BlobRecords.dropLine(n), "take back a part");
      }
    } finally {
      e.lock.unlock();
    }
  }

  /** Records a part whose bytes are synced. */
  private Blob record(Entry e, Blob.Part part, Instant now) {
    e.lock.lock();
    try {
      if (e.removed) {
        // The upload went while the part was copied, which may have made its data file again.
        files.deleteBytes(e.blob.id());
      }
      Blob current = usable(e);
      Blob updated = current.withPart(part, now);
      log(e, updated, BlobRecords.partLine(part, now), "record a part");
      return updated;
    } finally {
      e.lock.unlock();
    }
  }

  @Override
  public Blob complete(BlobId id, Instant now) {
    Entry e = entry(id);
    e.lock.lock();
    try {
      if (e.removed) {
        throw BlobErrors.notFound(id);
      }
      Blob upload = e.blob;
      if (upload.complete()) {
        return upload;
      }
      List<Integer> missing = upload.missingParts();
      if (!missing.isEmpty()) {
        throw BlobErrors.incomplete(upload, missing);
      }
      String sha256 = Objects.requireNonNull(e.digest, "an open upload's digest").finish(upload);
      if (upload.declaredSha256().isPresent() && !upload.declaredSha256().get().equals(sha256)) {
        throw BlobErrors.wrongSha256(upload, sha256);
      }
      Blob done = upload.completed(sha256, now);
      rewrite(e, done, "complete an upload");
      e.partLocks.clear();
      e.digest = null;
      return done;
    } finally {
      e.lock.unlock();
    }
  }

  @Override
  public InputStream open(BlobId id, long offset, long length) {
    Blob blob = find(id).filter(Blob::complete).orElseThrow(() -> BlobErrors.notFound(id));
    if (offset < 0 || length < 0 || offset + length > blob.size()) {
      throw new IllegalArgumentException("range outside the blob");
    }
    return files.read(id, offset, length);
  }

  @Override
  public boolean touch(BlobId id, Instant now) {
    ensureOpen();
    Entry e = index.get(id);
    if (e == null) {
      return false;
    }
    e.lock.lock();
    try {
      Blob blob = e.blob;
      if (e.removed || !blob.complete()) {
        return false;
      }
      Blob touched = blob.usedAt(now);
      log(e, touched, BlobRecords.usedLine(now), "touch a blob");
      return true;
    } finally {
      e.lock.unlock();
    }
  }

  @Override
  public boolean remove(BlobId id, Instant unusedBefore) {
    ensureOpen();
    Entry e = index.get(id);
    if (e == null) {
      return false;
    }
    Blob blob;
    e.lock.lock();
    try {
      blob = e.blob;
      if (e.removed || !blob.lastUsed().isBefore(unusedBefore)) {
        return false;
      }
      files.deleteRecord(id);
      e.removed = true;
      index.remove(id, e);
      count(blob.owner(), -blob.size());
    } finally {
      e.lock.unlock();
    }
    files.deleteBytes(id);
    return true;
  }

  @Override
  public List<Blob> unusedSince(boolean complete, Instant before, int max) {
    ensureOpen();
    return index.values().stream()
        .map(e -> e.blob)
        .filter(b -> b.complete() == complete && b.lastUsed().isBefore(before))
        .sorted(Comparator.comparing(Blob::lastUsed).thenComparing(b -> b.id().value()))
        .limit(max)
        .toList();
  }

  @Override
  public long usage(AgentId owner) {
    ensureOpen();
    synchronized (usage) {
      return usage.getOrDefault(owner, 0L);
    }
  }

  @Override
  public Map<AgentId, Long> usage() {
    ensureOpen();
    synchronized (usage) {
      return Map.copyOf(usage);
    }
  }

  /** Refuses every call from now on. Holds no file open, so there is nothing else to release. */
  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new MailroomException.Unavailable("the blob store is closed", null);
    }
  }

  private Entry entry(BlobId id) {
    ensureOpen();
    Entry e = index.get(id);
    if (e == null) {
      throw BlobErrors.notFound(id);
    }
    return e;
  }

  /**
   * Makes {@code updated} the upload's state through a line of its log; the caller holds the
   * upload's lock. A log that has grown long is then written into the record. The line goes first
   * even then, so that the log always holds every change the record does not: applying it again
   * after a crash between the two, as opening the store does, changes nothing.
   */
  private void log(Entry e, Blob updated, String line, String operation) {
    files.append(updated.id(), line, operation);
    e.blob = updated;
    if (++e.logLines >= LOG_LINES) {
      try {
        rewrite(e, updated, operation);
      } catch (RuntimeException x) {
        // The change is made; the log is written into the record after a later line instead.
        LOG.warn("cannot write the log of upload {} into its record yet", updated.id());
      }
    }
  }

  /**
   * Writes {@code updated} as the upload's record and deletes its log; the caller holds its lock.
   */
  private void rewrite(Entry e, Blob updated, String operation) {
    files.write(updated, operation);
    files.deleteLog(updated.id());
    e.logLines = 0;
    e.blob = updated;
  }

  /** The upload, if parts may still change; the caller holds its lock. */
  private static Blob usable(Entry e) {
    Blob current = e.blob;
    if (e.removed) {
      throw BlobErrors.notFound(current.id());
    }
    if (current.complete()) {
      throw BlobErrors.alreadyComplete(current.id());
    }
    return current;
  }

  private void count(AgentId owner, long bytes) {
    synchronized (usage) {
      if (usage.merge(owner, bytes, Long::sum) == 0) {
        usage.remove(owner);
      }
    }
  }
}
