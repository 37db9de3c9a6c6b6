package dev.mailroom.core.blob;

import dev.mailroom.core.MailroomException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies one part's body to where a store keeps it, a buffer at a time, while taking its SHA-256:
 * the body is never held whole. Every blob store uses it, so every store refuses a part alike.
 */
public final class PartCopy {
  /** The size of the buffer a part is copied through. */
  public static final int BUFFER = 256 << 10;

  /** Where a store writes the part's bytes, in order. */
  @FunctionalInterface
  public interface Sink {
    void write(byte[] buffer, int length) throws IOException;
  }

  private PartCopy() {}

  /**
   * Copies exactly {@code length} bytes from {@code body} to {@code sink}, then checks that the
   * body ends there and that their SHA-256 is {@code sha256}. The caller keeps the part only when
   * this returns.
   *
   * @param n the part's number, named in refusals
   * @return the SHA-256 of the bytes, hex
   * @throws MailroomException.LimitExceeded if the body is longer than the part
   * @throws MailroomException.InvalidRequest if it is shorter, or (as a checksum mismatch) if its
   *     SHA-256 is not {@code sha256}
   * @throws IOException if reading the body or writing the sink fails
   */
  public static String copy(InputStream body, long length, String sha256, int n, Sink sink)
      throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
    long left = length;
    while (left > 0) {
      int read = body.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
      if (read == 0) {
        throw MailroomException.InvalidRequest.field(
            field(n), "the body has " + (length - left) + " bytes; the part has " + length);
      }
      digest.update(buffer, 0, read);
      sink.write(buffer, read);
      left -= read;
    }
    if (body.read() >= 0) {
      throw MailroomException.LimitExceeded.tooLarge(
          field(n) + ": the body is longer than the part's " + length + " bytes");
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(sha256)) {
      throw MailroomException.InvalidRequest.checksumMismatch(
          field(n), "the body's SHA-256 is " + actual + "; the request said " + sha256);
    }
    return actual;
  }

  /** How refusals name part {@code n}. */
  public static String field(int n) {
    return "parts[" + n + "]";
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
