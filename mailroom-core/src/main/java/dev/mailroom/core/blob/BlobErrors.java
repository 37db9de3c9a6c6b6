package dev.mailroom.core.blob;

import dev.mailroom.core.MailroomException;
import java.util.List;

/** The refusals every blob store gives, in the same words. */
public final class BlobErrors {
  private static final int MISSING_SHOWN = 20;

  private BlobErrors() {}

  /** No upload or blob with this id (or it was removed). */
  public static MailroomException notFound(BlobId id) {
    return new MailroomException.NotFound("no upload or blob " + id);
  }

  /** A part sent to an upload that is already complete. */
  public static MailroomException alreadyComplete(BlobId id) {
    return new MailroomException.Conflict("upload " + id + " is complete; its parts are fixed");
  }

  /** An upload that would bring its owner over the quota. */
  public static MailroomException quotaExceeded(Blob upload, long used, long quota) {
    return MailroomException.LimitExceeded.tooLarge(
        "size: "
            + upload.size()
            + " more bytes would bring "
            + upload.owner()
            + "'s uploads and blobs to "
            + (used + upload.size())
            + " bytes; the quota is "
            + quota);
  }

  /** Completing an upload that lacks the given parts. */
  public static MailroomException incomplete(Blob upload, List<Integer> missing) {
    List<Integer> shown = missing.subList(0, Math.min(MISSING_SHOWN, missing.size()));
    return new MailroomException.Conflict(
        "upload "
            + upload.id()
            + " lacks "
            + missing.size()
            + " of its "
            + upload.partCount()
            + " parts: "
            + shown
            + (missing.size() > shown.size() ? " and more" : ""));
  }

  /** Completing an upload whose bytes are not the declared ones. */
  public static MailroomException wrongSha256(Blob upload, String actual) {
    return MailroomException.InvalidRequest.checksumMismatch(
        "sha256",
        "the uploaded bytes have SHA-256 "
            + actual
            + "; the upload declared "
            + upload.declaredSha256().orElseThrow());
  }
}
