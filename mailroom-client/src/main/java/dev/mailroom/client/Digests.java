package dev.mailroom.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksums the upload and download routes use: a part's {@code Content-Digest} header (RFC
 * 9530), {@code crc32c=:<base64>:} as the SDK sends it (CRC-32C costs a tenth of SHA-256 on both
 * ends) or {@code sha-256=:<base64>:}; a part's checksum as the server records it ({@code crc32c}:
 * 8 lowercase hex digits, or {@code sha256}); and a file's SHA-256 as 64 lowercase hex digits (the
 * upload's {@code sha256}, the download's ETag). Stateless.
 */
final class Digests {
  static final int BUFFER = 64 * 1024;

  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The {@code Content-Digest} header value of bytes whose SHA-256 is {@code digest}. */
  static String contentDigest(byte[] digest) {
    return "sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":";
  }

  /**
   * The {@code Content-Digest} header value of bytes whose CRC-32C is {@code crc}: the base64 of
   * its 4 bytes, big-endian.
   */
  static String crc32cContentDigest(int crc) {
    byte[] bytes = {(byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc};
    return "crc32c=:" + Base64.getEncoder().encodeToString(bytes) + ":";
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** A CRC-32C as the server records a part's: 8 lowercase hex digits. */
  static String hex(int crc) {
    return HexFormat.of().toHexDigits(crc);
  }

  /** The CRC-32C of {@code length} bytes of {@code bytes} from {@code offset}. */
  static int crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** The CRC-32C of {@code length} bytes of {@code in}, read to its end or {@code length}. */
  static int crc32c(InputStream in, long length) throws IOException {
    CRC32C crc = new CRC32C();
    read(in, length, crc::update);
    return (int) crc.getValue();
  }

  /** The SHA-256 of {@code length} bytes of {@code in}, read to its end or {@code length}. */
  static byte[] of(InputStream in, long length) throws IOException {
    MessageDigest md = sha256();
    read(in, length, md::update);
    return md.digest();
  }

  /** What takes the bytes read, a buffer at a time. */
  @FunctionalInterface
  private interface Sink {
    void update(byte[] bytes, int offset, int length);
  }

  /** Reads exactly {@code length} bytes of {@code in} into {@code sink}. */
  private static void read(InputStream in, long length, Sink sink) throws IOException {
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("the file ended " + left + " bytes early; did it change?");
      }
      sink.update(buffer, 0, n);
      left -= n;
    }
  }

  /** The SHA-256 of a whole file, as hex. */
  static String ofFile(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      return hex(of(new FileSlice(channel, 0, size), size));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
