package dev.mailroom.core.blob;

import java.util.Objects;

/**
 * A file a message carries: a complete blob under the name and media type its sender gave it.
 *
 * @param blob the blob holding the bytes
 * @param name the file name shown to recipients (see {@link FileNames})
 * @param contentType the media type (see {@link MediaTypes})
 * @param size the blob's size in bytes
 * @param sha256 the blob's SHA-256, 64 lowercase hex digits
 */
public record Attachment(BlobId blob, String name, String contentType, long size, String sha256) {
  public Attachment {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(sha256, "sha256");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }
}
