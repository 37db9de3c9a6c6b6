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

/**
 * SHA-256 as the upload and download routes use it: a part's {@code Content-Digest} header (RFC
 * 9530: {@code sha-256=:<base64>:}) and a file's digest as 64 lowercase hex digits (the upload's
 * {@code sha256}, the download's ETag). Stateless.
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

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** The SHA-256 of {@code length} bytes of {@code in}, read to its end or {@code length}. */
  static byte[] of(InputStream in, long length) throws IOException {
    MessageDigest md = sha256();
    byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(1, length))];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException("the file ended " + left + " bytes early; did it change?");
      }
      md.update(buffer, 0, n);
      left -= n;
    }
    return md.digest();
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
