package dev.mailroom.core.blob;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.MessageStore;
import java.io.InputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads, the attachments made of them, and the removal of what nothing needs any more.
 *
 * <p>Who may do what: an upload is its owner's. Only the owner adds parts, completes it and
 * attaches the blob to its sends; the owner and an admin may abort it; the owner, an admin and an
 * observer may see it. Everyone else is told it is forbidden (the id is 128 random bits: knowing
 * one is no leak). Downloading an attachment is checked on its message, not here.
 *
 * <p>A blob lives while a message refers to it. {@link #collect()} removes an open upload no part
 * has reached for {@link BlobLimits#uploadTtl()}, and a complete blob no live message refers to
 * once {@link BlobLimits#grace()} has passed since its completion or its last attachment to a send;
 * the grace covers a send between its attachment check and its message being stored (a node's spool
 * included), and a completed upload not yet sent. A removal is conditional in the store ({@link
 * BlobStore#remove}), so a send that attaches the blob after the check keeps it.
 */
public final class BlobService {
  private static final Logger LOG = LoggerFactory.getLogger(BlobService.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int COLLECT_BATCH = 500;

  private final BlobStore store;
  private final MessageStore messages;
  private final InstantSource clock;
  private final BlobLimits limits;

  public BlobService(
      BlobStore store, MessageStore messages, InstantSource clock, BlobLimits limits) {
    this.store = store;
    this.messages = messages;
    this.clock = clock;
    this.limits = limits;
  }

  public BlobLimits limits() {
    return limits;
  }

  /**
   * Begins an upload.
   *
   * @param partSize the part size, or empty for the default (an upload smaller than a part has one
   *     part of its own size)
   * @param sha256 the SHA-256 the bytes must have (hex), if the uploader knows it
   * @throws MailroomException.Forbidden if the caller holds neither the agent nor the admin role
   *     (an observer), as for sends
   * @throws MailroomException.InvalidRequest naming the field that breaks its rule
   * @throws MailroomException.LimitExceeded (413) if the size exceeds the largest blob, or the
   *     caller's quota would be exceeded
   */
  public Blob create(
      Principal caller,
      String name,
      String contentType,
      long size,
      Optional<Integer> partSize,
      Optional<String> sha256) {
    if (!caller.isAdmin() && !caller.roles().contains(Role.AGENT)) {
      throw new MailroomException.Forbidden("only agents and admins may upload");
    }
    if (size < 0) {
      throw MailroomException.InvalidRequest.field("size", "must not be negative");
    }
    if (size > limits.maxBlobBytes()) {
      throw MailroomException.LimitExceeded.tooLarge(
          "size: " + size + " bytes; the largest upload is " + limits.maxBlobBytes() + " bytes");
    }
    int part = partSize.orElse(limits.defaultPartSize());
    if (part < BlobLimits.MIN_PART_SIZE || part > BlobLimits.MAX_PART_SIZE) {
      throw MailroomException.InvalidRequest.field(
          "part_size",
          "must be " + BlobLimits.MIN_PART_SIZE + "-" + BlobLimits.MAX_PART_SIZE + " bytes");
    }
    if (Blob.partCount(size, part) > BlobLimits.MAX_PARTS) {
      throw MailroomException.InvalidRequest.field(
          "part_size",
          "is too small: "
              + size
              + " bytes would take more than "
              + BlobLimits.MAX_PARTS
              + " parts");
    }
    sha256.ifPresent(s -> checkSha256("sha256", s));
    Blob upload =
        Blob.open(
            BlobId.random(),
            caller.id(),
            FileNames.check("name", name),
            MediaTypes.check("content_type", contentType),
            size,
            part,
            sha256,
            clock.instant());
    store.create(upload, limits.quotaBytes());
    return upload;
  }

  /**
   * An upload or blob the caller may see.
   *
   * @throws MailroomException.NotFound if there is none
   * @throws MailroomException.Forbidden if it is another agent's
   */
  public Blob get(Principal caller, BlobId id) {
    Blob blob = find(id);
    if (!caller.id().equals(blob.owner())
        && !caller.isAdmin()
        && !caller.roles().contains(Role.OBSERVER)) {
      throw forbidden(id);
    }
    return blob;
  }

  /**
   * Stores part {@code n} of the caller's open upload (see {@link BlobStore#writePart}).
   *
   * @param expected the checksums the request gave for the part (one or two)
   * @throws MailroomException.NotFound if there is no such upload or no such part number
   * @throws MailroomException.Forbidden if it is another agent's
   * @throws MailroomException.Conflict if it is complete
   */
  public Blob putPart(
      Principal caller, BlobId id, int n, InputStream body, List<PartChecksum> expected) {
    Blob upload = owned(caller, id);
    if (upload.complete()) {
      throw BlobErrors.alreadyComplete(id);
    }
    if (n < 0 || n >= upload.partCount()) {
      throw new MailroomException.NotFound(
          "upload " + id + " has parts 0 to " + (upload.partCount() - 1) + "; there is no " + n);
    }
    return store.writePart(id, n, body, expected, clock.instant());
  }

  /**
   * Completes the caller's upload (see {@link BlobStore#complete}).
   *
   * @throws MailroomException.Forbidden if it is another agent's
   */
  public Blob complete(Principal caller, BlobId id) {
    owned(caller, id);
    return store.complete(id, clock.instant());
  }

  /**
   * Removes an upload, or a blob no message refers to, with its bytes; its owner or an admin may.
   *
   * @throws MailroomException.Conflict if a message refers to the blob
   */
  public void delete(Principal caller, BlobId id) {
    Blob blob = find(id);
    if (!caller.id().equals(blob.owner()) && !caller.isAdmin()) {
      throw forbidden(id);
    }
    Instant now = clock.instant();
    if (blob.complete() && !messages.referenced(Set.of(id)).isEmpty()) {
      throw new MailroomException.Conflict(
          "blob " + id + " is attached to a message; it goes when the message does");
    }
    // A send that attaches it from now on keeps it (its touch is not before now).
    if (!store.remove(id, now.plusNanos(1)) && store.find(id).isPresent()) {
      throw new MailroomException.Conflict("blob " + id + " was just attached to a message");
    }
  }

  /**
   * The attachments a send from the caller carries: each a complete blob of its own, under the name
   * and type it gives or the upload's.
   *
   * @throws MailroomException.InvalidRequest naming {@code attachments[i]...} for a bad name or
   *     type, or too many attachments
   * @throws MailroomException.NotFound if a blob does not exist
   * @throws MailroomException.Forbidden if a blob is another agent's
   * @throws MailroomException.Conflict if an upload is not complete
   */
  public List<Attachment> resolve(Principal caller, List<AttachmentRef> refs) {
    if (refs.isEmpty()) {
      return List.of(); // the usual send: nothing to look up
    }
    if (refs.size() > limits.maxAttachments()) {
      throw MailroomException.InvalidRequest.field(
          "attachments", "a message carries at most " + limits.maxAttachments());
    }
    List<Attachment> attachments = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      AttachmentRef ref = refs.get(i);
      String field = "attachments[" + i + "]";
      Blob blob =
          store
              .find(ref.blob())
              .orElseThrow(
                  () ->
                      new MailroomException.NotFound(
                          field + ".blob_id: no upload or blob " + ref.blob()));
      if (!blob.owner().equals(caller.id())) {
        throw new MailroomException.Forbidden(
            field + ".blob_id: blob " + ref.blob() + " is another agent's upload");
      }
      if (!blob.complete()) {
        throw new MailroomException.Conflict(
            field + ".blob_id: upload " + ref.blob() + " is not complete");
      }
      attachments.add(
          blob.attachment(
              ref.name().map(n -> FileNames.check(field + ".name", n)),
              ref.contentType().map(t -> MediaTypes.check(field + ".content_type", t))));
    }
    return attachments;
  }

  /**
   * {@link #resolve}, then marks each blob used now, so that {@link #collect()} keeps it while the
   * message is being stored.
   *
   * @throws MailroomException.NotFound if a blob was removed meanwhile
   */
  public List<Attachment> attach(Principal caller, List<AttachmentRef> refs) {
    List<Attachment> attachments = resolve(caller, refs);
    if (attachments.isEmpty()) {
      return attachments;
    }
    Instant now = clock.instant();
    for (int i = 0; i < attachments.size(); i++) {
      BlobId id = attachments.get(i).blob();
      if (!store.touch(id, now)) {
        throw new MailroomException.NotFound(
            "attachments[" + i + "].blob_id: blob " + id + " is gone");
      }
    }
    return attachments;
  }

  /**
   * Bytes {@code offset} to {@code offset + length} of an attachment's blob. The caller has checked
   * that the reader may read the message carrying it.
   */
  public InputStream open(Attachment attachment, long offset, long length) {
    return store.open(attachment.blob(), offset, length);
  }

  /** The bytes an agent's uploads and blobs hold, counted against its quota. */
  public long usage(AgentId agent) {
    return store.usage(agent);
  }

  /** {@link #usage(AgentId)} of every agent that holds any upload or blob. */
  public Map<AgentId, Long> usage() {
    return store.usage();
  }

  /** What one {@link #collect()} removed. */
  public record Collected(int uploads, int blobs) {}

  /**
   * Removes abandoned uploads, and blobs no live message refers to once their grace has passed.
   * Safe on several nodes at once: every removal is conditional in the store.
   */
  public Collected collect() {
    return collect(clock.instant());
  }

  /** The time on the service's clock. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * As {@link #collect()}, as of {@code now}. Run after a retention run, it should be the time
   * taken before that run began: a blob whose last message expired by then is then sure to find the
   * message removed, where with a later time it could be taken for idle while the run had not yet
   * seen that message expire, be kept as still carried, and wait another grace.
   */
  public Collected collect(Instant now) {
    int uploads = 0;
    Instant abandoned = now.minus(limits.uploadTtl());
    for (Blob upload : store.unusedSince(false, abandoned, COLLECT_BATCH)) {
      if (store.remove(upload.id(), abandoned)) {
        uploads++;
      }
    }
    int blobs = 0;
    Instant idle = now.minus(limits.grace());
    List<Blob> candidates = store.unusedSince(true, idle, COLLECT_BATCH);
    if (!candidates.isEmpty()) {
      Set<BlobId> ids = new HashSet<>();
      candidates.forEach(b -> ids.add(b.id()));
      Set<BlobId> kept = messages.referenced(ids);
      for (Blob blob : candidates) {
        if (kept.contains(blob.id())) {
          // Looked at again after another grace, so that the next pass reaches other blobs.
          store.touch(blob.id(), now);
        } else if (store.remove(blob.id(), idle)) {
          // Conditional: the touch of a send that attached it since keeps it.
          blobs++;
        }
      }
    }
    if (uploads + blobs > 0) {
      LOG.info("removed {} abandoned uploads and {} blobs no message refers to", uploads, blobs);
    }
    return new Collected(uploads, blobs);
  }

  private Blob owned(Principal caller, BlobId id) {
    Blob blob = find(id);
    if (!caller.id().equals(blob.owner())) {
      throw forbidden(id);
    }
    return blob;
  }

  private Blob find(BlobId id) {
    return store.find(id).orElseThrow(() -> BlobErrors.notFound(id));
  }

  private static MailroomException.Forbidden forbidden(BlobId id) {
    return new MailroomException.Forbidden("upload " + id + " is another agent's");
  }

  private static void checkSha256(String field, String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw MailroomException.InvalidRequest.field(
          field, "must be a SHA-256 as 64 lowercase hex digits");
    }
  }
}
