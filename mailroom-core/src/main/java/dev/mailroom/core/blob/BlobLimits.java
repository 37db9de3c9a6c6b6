package dev.mailroom.core.blob;

import java.time.Duration;

/**
 * The limits of uploads and attachments.
 *
 * @param maxBlobBytes the largest upload
 * @param quotaBytes how many bytes of uploads and blobs one agent may hold at once
 * @param maxAttachments the most attachments one message may carry
 * @param defaultPartSize the part size of an upload that does not choose one
 * @param uploadTtl how long an upload may go without a part before it is abandoned and removed
 * @param grace how long a blob stays after its completion or its last attachment to a send while no
 *     message refers to it (a completed upload not yet sent, a message being stored)
 */
public record BlobLimits(
    long maxBlobBytes,
    long quotaBytes,
    int maxAttachments,
    int defaultPartSize,
    Duration uploadTtl,
    Duration grace) {

  public static final long DEFAULT_MAX_BLOB_BYTES = 1L << 30;
  public static final long DEFAULT_QUOTA_BYTES = 4L << 30;
  public static final int DEFAULT_MAX_ATTACHMENTS = 32;
  public static final int DEFAULT_PART_SIZE = 8 << 20;
  public static final int MIN_PART_SIZE = 64 << 10;
  public static final int MAX_PART_SIZE = 64 << 20;
  public static final int MAX_PARTS = 10_000;
  public static final Duration DEFAULT_UPLOAD_TTL = Duration.ofHours(24);
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  public static final BlobLimits DEFAULTS =
      new BlobLimits(
          DEFAULT_MAX_BLOB_BYTES,
          DEFAULT_QUOTA_BYTES,
          DEFAULT_MAX_ATTACHMENTS,
          DEFAULT_PART_SIZE,
          DEFAULT_UPLOAD_TTL,
          DEFAULT_GRACE);

  public BlobLimits {
    if (maxBlobBytes < 0 || quotaBytes < 0 || maxAttachments < 0) {
      throw new IllegalArgumentException("blob limits must not be negative");
    }
    if (defaultPartSize < MIN_PART_SIZE || defaultPartSize > MAX_PART_SIZE) {
      throw new IllegalArgumentException(
          "the default part size must be " + MIN_PART_SIZE + "-" + MAX_PART_SIZE + " bytes");
    }
    if (uploadTtl.isNegative() || uploadTtl.isZero() || grace.isNegative() || grace.isZero()) {
      throw new IllegalArgumentException("the upload ttl and the grace must be positive");
    }
  }
}
