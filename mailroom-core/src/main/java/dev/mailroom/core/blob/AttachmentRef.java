package dev.mailroom.core.blob;

import java.util.Objects;
import java.util.Optional;

/**
 * What a sender names to attach: one of its complete uploads, with the name and media type to show
 * (the upload's own when empty). The send resolves it to an {@link Attachment}.
 */
public record AttachmentRef(BlobId blob, Optional<String> name, Optional<String> contentType) {
  public AttachmentRef {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contentType, "contentType");
  }

  /** The blob under its upload's name and type. */
  public static AttachmentRef of(BlobId blob) {
    return new AttachmentRef(blob, Optional.empty(), Optional.empty());
  }
}
