package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An upload, or the blob it became, as the API shows it.
 *
 * @param id the upload's id, which is the blob's id once complete
 * @param state {@code open} or {@code complete}
 * @param owner the agent that uploads it
 * @param name the file name
 * @param contentType the media type
 * @param size the size in bytes
 * @param partSize the size of every part but the last
 * @param parts how many parts the file is cut into, numbered from 0
 * @param received the parts stored so far, by number
 * @param missing the numbers of the parts not yet stored
 * @param sha256 the file's SHA-256 once complete
 * @param declaredSha256 the SHA-256 given when the upload began, if any
 * @param createdAt when the upload began
 * @param lastUsedAt when a part last arrived, it was completed or last attached to a send
 * @param expiresAt for an open upload: when it is removed if no part arrives before
 */
public record UploadView(
    String id,
    String state,
    String owner,
    String name,
    String contentType,
    long size,
    int partSize,
    int parts,
    List<PartView> received,
    List<Integer> missing,
    Optional<String> sha256,
    Optional<String> declaredSha256,
    Instant createdAt,
    Instant lastUsedAt,
    Optional<Instant> expiresAt) {

  /**
   * One part stored: its number, its length and the checksum it was sent with: its SHA-256 (hex),
   * or, when it came with a CRC-32C alone, that (8 hex digits).
   */
  public record PartView(int n, long size, Optional<String> sha256, Optional<String> crc32c) {}

  public UploadView {
    received = received == null ? List.of() : List.copyOf(received);
    missing = missing == null ? List.of() : List.copyOf(missing);
  }

  /** Whether the upload is complete: a blob to attach. */
  public boolean complete() {
    return "complete".equals(state);
  }
}
