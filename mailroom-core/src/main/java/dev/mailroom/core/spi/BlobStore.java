package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where uploads and blobs keep their bytes, and what is known of each ({@link Blob}). Neither a
 * part nor a blob is ever held whole in memory: parts stream in, blobs stream out. The store knows
 * nothing of messages: which blobs a message refers to is the message store's, and removing the
 * ones nothing refers to is {@link dev.mailroom.core.blob.BlobService}'s. Implementations are
 * thread-safe; every time they record comes from the caller. Every method may throw {@link
 * dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface BlobStore extends AutoCloseable {

  /**
   * Records a new open upload and counts its declared size against its owner, unless that would
   * bring the owner's {@link #usage(AgentId)} over {@code quota}.
   *
   * @throws dev.mailroom.core.MailroomException.LimitExceeded (too large) if the quota would be
   *     exceeded; nothing is recorded
   */
  void create(Blob upload, long quota);

  /** An upload or blob. */
  Optional<Blob> find(BlobId id);

  /**
   * Stores part {@code n} of an open upload from {@code body} through {@link
   * dev.mailroom.core.blob.PartCopy#copy}, and records it, under the checksum that returns, only
   * once its length and every checksum in {@code expected} are right. Storing a part again replaces
   * it (a retry of the same bytes changes nothing). A part refused leaves the part as it was
   * recorded before, or not received.
   *
   * @return the upload with the part recorded, {@code lastUsed} = {@code now}
   * @throws dev.mailroom.core.MailroomException.NotFound if there is no such upload
   * @throws dev.mailroom.core.MailroomException.Conflict if it is complete
   * @throws dev.mailroom.core.MailroomException as {@code PartCopy.copy} does
   * @throws java.io.UncheckedIOException if the body cannot be read (the connection broke)
   */
  Blob writePart(BlobId id, int n, InputStream body, List<PartChecksum> expected, Instant now);

  /**
   * Completes an upload whose parts have all arrived: takes the SHA-256 of its bytes, checks it
   * against the declared one, and makes it a blob ({@code lastUsed} = {@code now}). Completing a
   * complete upload returns it as it is.
   *
   * @throws dev.mailroom.core.MailroomException.NotFound if there is no such upload
   * @throws dev.mailroom.core.MailroomException.Conflict naming the parts missing
   * @throws dev.mailroom.core.MailroomException.InvalidRequest (a checksum mismatch on {@code
   *     sha256}) if the bytes are not the declared ones; the upload stays open
   */
  Blob complete(BlobId id, Instant now);

  /**
   * The bytes {@code offset} to {@code offset + length} of a complete blob, read as the stream is.
   * The caller closes it.
   *
   * @throws dev.mailroom.core.MailroomException.NotFound if there is no such complete blob
   */
  InputStream open(BlobId id, long offset, long length);

  /** Sets a complete blob's {@code lastUsed} to {@code now}; false if there is no such blob. */
  boolean touch(BlobId id, Instant now);

  /**
   * Removes an upload or blob with its bytes, and uncounts it from its owner, if it was last used
   * before {@code unusedBefore}: one check and removal, so a {@link #touch} that comes first keeps
   * it. Returns whether it was removed.
   */
  boolean remove(BlobId id, Instant unusedBefore);

  /** At most {@code max} complete blobs (or open uploads) last used before {@code before}. */
  List<Blob> unusedSince(boolean complete, Instant before, int max);

  /** The bytes counted against an owner: its open uploads' declared sizes and its blobs'. */
  long usage(AgentId owner);

  /** {@link #usage(AgentId)} of every owner that holds any. */
  Map<AgentId, Long> usage();

  @Override
  void close();
}
