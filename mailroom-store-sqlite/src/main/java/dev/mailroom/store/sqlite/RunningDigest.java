package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.blob.PartCopy;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHA-256 of an upload's bytes, taken part by part as the parts arrive: whenever the part after
 * those already hashed is recorded, it is read back (from the page cache, as a rule) and hashed.
 * Completing the upload then hashes only what is left, nothing when the parts came in order, where
 * reading a large file whole at completion would keep its uploader waiting.
 *
 * <p>A part is hashed under its lock, taken with {@code tryLock}: its bytes cannot change meanwhile
 * (a writer holds that lock to send it again), and the digest never waits on a writer. A part that
 * is busy is left to the writer, which calls {@link #advance} once it lets go, so no part is
 * missed. A part sent again after it was hashed makes {@link #finish} start again from the first
 * byte ({@link #resent}), so the result is always the SHA-256 of the bytes the record describes;
 * the checksum each part was recorded under when it was hashed is compared at the end too.
 */
final class RunningDigest {
  private static final Logger LOG = LoggerFactory.getLogger(RunningDigest.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final BlobFiles files;
  private final Supplier<Blob> record;
  private final IntFunction<ReentrantLock> partLock;
  private MessageDigest digest = PartCopy.sha256(); // guarded by lock
  private final List<PartChecksum> hashed = new ArrayList<>(); // guarded by lock
  private volatile int next; // hashed.size(), readable without the lock
  private volatile boolean
      broken; // a read failed, or a hashed part was sent again: finish starts again

  /**
   * @param record the upload's current record
   * @param partLock the lock a writer of part {@code n} holds
   */
  RunningDigest(BlobFiles files, Supplier<Blob> record, IntFunction<ReentrantLock> partLock) {
    this.files = files;
    this.record = record;
    this.partLock = partLock;
  }

  /**
   * Hashes the parts that follow those already hashed, as far as they are recorded and not being
   * written; returns at once if another thread is doing so. Never throws: a part that cannot be
   * read is logged and leaves the work to {@link #finish}.
   */
  void advance() {
    while (!broken && lock.tryLock()) {
      try {
        hashRecorded();
      } finally {
        lock.unlock();
      }
      // A writer that recorded the next part while this thread held the lock found it taken.
      if (!nextIsReady()) {
        return;
      }
    }
  }

  /**
   * Part {@code n} is about to be written again: if it was hashed already, what was hashed may not
   * be its bytes any more, so {@link #finish} starts again (a CRC-32C, unlike a SHA-256, does not
   * tell two contents apart reliably). The caller holds the part's lock.
   */
  void resent(int n) {
    if (n < next) {
      broken = true;
    }
  }

  private boolean nextIsReady() {
    Blob blob = record.get();
    int n = next;
    return !broken
        && !blob.complete()
        && n < blob.partCount()
        && blob.hasPart(n)
        && !partLock.apply(n).isLocked();
  }

  private void hashRecorded() {
    while (!broken) {
      int n = hashed.size();
      ReentrantLock part = partLock.apply(n);
      if (!part.tryLock()) {
        return;
      }
      try {
        Blob blob = record.get();
        Optional<Blob.Part> recorded = blob.complete() ? Optional.empty() : blob.part(n);
        if (recorded.isEmpty()) {
          return;
        }
        files.hash(blob.id(), blob.partOffset(n), recorded.get().size(), digest);
        hashed.add(recorded.get().checksum());
        next = hashed.size();
      } catch (IOException | RuntimeException e) {
        LOG.debug("cannot hash part {} ahead; the upload is hashed whole when complete", n, e);
        broken = true;
      } finally {
        part.unlock();
      }
    }
  }

  /**
   * The SHA-256 of every byte of {@code upload}, whose parts are all recorded and cannot change
   * while this runs (the caller holds the upload's lock, which a part sent again must take first).
   *
   * @throws MailroomException.Unavailable if the bytes cannot be read
   */
  String finish(Blob upload) {
    lock.lock();
    try {
      if (broken || !stillHashed(upload)) {
        digest = PartCopy.sha256();
        hashed.clear();
        broken = false;
      }
      for (int n = hashed.size(); n < upload.partCount(); n++) {
        Blob.Part part = upload.part(n).orElseThrow();
        files.hash(upload.id(), upload.partOffset(n), part.size(), digest);
        hashed.add(part.checksum());
      }
      next = hashed.size();
      // A copy, so that this digest still holds every part if the completion fails after all.
      return HexFormat.of().formatHex(copy(digest).digest());
    } catch (IOException e) {
      broken = true;
      LOG.error("cannot read the bytes of upload {}", upload.id(), e);
      throw new MailroomException.Unavailable("the blob store cannot read the upload now", null);
    } finally {
      lock.unlock();
    }
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }

  /** Whether every part hashed still has the bytes it had then. */
  private boolean stillHashed(Blob upload) {
    for (int n = 0; n < hashed.size(); n++) {
      Optional<Blob.Part> part = upload.part(n);
      if (part.isEmpty() || !part.get().checksum().equals(hashed.get(n))) {
        return false;
      }
    }
    return true;
  }
}
