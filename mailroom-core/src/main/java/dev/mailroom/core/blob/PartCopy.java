package dev.mailroom.core.blob;

import dev.mailroom.core.MailroomException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Copies one part's body to where a store keeps it, a buffer at a time, while taking the checksums
 * the request gave (SHA-256, CRC-32C or both): the body is never held whole. Every blob store uses
 * it, so every store refuses a part alike.
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
   * body ends there and that every checksum in {@code expected} is the bytes'. The caller keeps the
   * part only when this returns.
   *
   * @param expected the checksums the request gave: one or two, of different algorithms
   * @param n the part's number, named in refusals
   * @return the checksum to record the part under: its SHA-256 when one was given, else its CRC-32C
   * @throws MailroomException.LimitExceeded if the body is longer than the part
   * @throws MailroomException.InvalidRequest if it is shorter, or (as a checksum mismatch) if a
   *     checksum is not the bytes'
   * @throws IOException if reading the body or writing the sink fails
   */
  public static PartChecksum copy(
      InputStream body, long length, List<PartChecksum> expected, int n, Sink sink)
      throws IOException {
    if (expected.isEmpty()) {
      throw new IllegalArgumentException("a part is checked against at least one checksum");
    }
    MessageDigest sha256 = null;
    CRC32C crc32c = null;
    for (PartChecksum c : expected) {
      switch (c.algorithm()) {
        case SHA_256 -> sha256 = sha256();
        case CRC32C -> crc32c = new CRC32C();
      }
    }
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(length, 1))];
    long left = length;
    while (left > 0) {
      int read = body.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
      if (read == 0) {
        throw MailroomException.InvalidRequest.field(
            field(n), "the body has " + (length - left) + " bytes; the part has " + length);
      }
      if (sha256 != null) {
        sha256.update(buffer, 0, read);
      }
      if (crc32c != null) {
        crc32c.update(buffer, 0, read);
      }
      sink.write(buffer, read);
      left -= read;
    }
    if (body.read() >= 0) {
      throw MailroomException.LimitExceeded.tooLarge(
          field(n) + ": the body is longer than the part's " + length + " bytes");
    }
    PartChecksum recorded = null;
    for (PartChecksum c : expected) {
      PartChecksum actual =
          switch (c.algorithm()) {
            case SHA_256 -> PartChecksum.of(c.algorithm(), sha256.digest());
            case CRC32C -> PartChecksum.of(c.algorithm(), crc32cBytes(crc32c.getValue()));
          };
      if (!actual.equals(c)) {
        throw MailroomException.InvalidRequest.checksumMismatch(
            field(n),
            "the body's "
                + c.algorithm().wireName()
                + " is "
                + actual.hex()
                + "; the request said "
                + c.hex());
      }
      if (recorded == null || actual.algorithm() == PartChecksum.Algorithm.SHA_256) {
        recorded = actual;
      }
    }
    return recorded;
  }

  /** A CRC-32C's four bytes, big-endian, as {@code Content-Digest} carries them. */
  public static byte[] crc32cBytes(long value) {
    int v = (int) value;
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
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
