package dev.mailroom.core.blob;

import dev.mailroom.core.MailroomException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An upload, and once it is complete the blob it became: 32 lowercase hex digits (128 random bits),
 * so that one agent cannot guess another's.
 */
public record BlobId(String value) {
  private static final Pattern RULE = Pattern.compile("[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public BlobId {
    if (!RULE.matcher(value).matches()) {
      throw MailroomException.InvalidRequest.field(
          "blob_id", "is not an upload or blob id (32 lowercase hex digits)");
    }
  }

  /** Parses an id a caller gave, naming {@code field} if it is malformed. */
  public static BlobId parse(String field, String value) {
    if (!RULE.matcher(value).matches()) {
      throw MailroomException.InvalidRequest.field(
          field, "is not an upload or blob id (32 lowercase hex digits)");
    }
    return new BlobId(value);
  }

  public static BlobId random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new BlobId(HexFormat.of().formatHex(bytes));
  }

  @Override
  public String toString() {
    return value;
  }
}
