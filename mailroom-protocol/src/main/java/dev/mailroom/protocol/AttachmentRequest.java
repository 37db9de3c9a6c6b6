package dev.mailroom.protocol;

import java.util.Optional;

/**
 * One attachment of a send: a complete upload of the sender's, by id.
 *
 * @param blobId the upload's id
 * @param name the file name to show; the upload's when absent
 * @param contentType the media type to serve it as; the upload's when absent
 */
public record AttachmentRequest(
    String blobId, Optional<String> name, Optional<String> contentType) {

  /** The blob under its upload's name and type. */
  public static AttachmentRequest of(String blobId) {
    return new AttachmentRequest(blobId, Optional.empty(), Optional.empty());
  }
}
