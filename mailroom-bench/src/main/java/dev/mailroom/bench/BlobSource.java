package dev.mailroom.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The file a blob benchmark uploads: {@code size} random bytes written a part at a time and synced,
 * with the CRC-32C of each part (as a {@code Content-Digest} header, {@code crc32c=:<base64>:},
 * wants it) and the SHA-256 of the whole file, taken while it is written. A client that uploads a
 * file must checksum each part too; the bench does it here, before anything is timed, so that the
 * client's checksums do not take the two cores from the server while the upload is measured.
 *
 * @param file the file
 * @param size its size in bytes
 * @param partSize the size of each part but the last
 * @param partDigests each part's {@code Content-Digest} header value, by part number
 * @param sha256 the whole file's SHA-256, hex
 */
record BlobSource(Path file, long size, int partSize, List<String> partDigests, String sha256) {
  private static final int WRITE_BUFFER = 1 << 20;

  /** Writes {@code size} random bytes (a fixed seed) to {@code file} and syncs it. */
  static BlobSource create(Path file, long size, int partSize) throws IOException {
    MessageDigest whole = sha256Digest();
    CRC32C part = new CRC32C();
    SplittableRandom random = new SplittableRandom(16);
    byte[] buffer = new byte[WRITE_BUFFER];
    List<String> digests = new java.util.ArrayList<>();
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long written = 0;
      long partLeft = Math.min(partSize, size);
      while (written < size) {
        int n = (int) Math.min(Math.min(buffer.length, size - written), partLeft);
        random.nextBytes(buffer);
        whole.update(buffer, 0, n);
        part.update(buffer, 0, n);
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        written += n;
        partLeft -= n;
        if (partLeft == 0) {
          digests.add(contentDigest(part));
          partLeft = Math.min(partSize, size - written);
        }
      }
      if (size == 0) {
        digests.add(contentDigest(part));
      }
      out.force(true);
    }
    return new BlobSource(
        file, size, partSize, List.copyOf(digests), HexFormat.of().formatHex(whole.digest()));
  }

  int parts() {
    return partDigests.size();
  }

  long partOffset(int n) {
    return (long) n * partSize;
  }

  int partLength(int n) {
    return (int) Math.min(partSize, size - partOffset(n));
  }

  /**
   * The {@code Content-Digest} header value of the part {@code crc} has taken in: the base64 of its
   * CRC-32C's 4 bytes, big-endian. Resets {@code crc} for the next part.
   */
  private static String contentDigest(CRC32C crc) {
    int value = (int) crc.getValue();
    crc.reset();
    byte[] bytes = {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
    return "crc32c=:" + Base64.getEncoder().encodeToString(bytes) + ":";
  }

  /** The SHA-256 of a file, hex, read a megabyte at a time. */
  static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256Digest();
    ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (in.read(buffer.clear()) >= 0) {
        digest.update(buffer.flip());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * How fast this JVM takes SHA-256 on one core, in MiB/s: {@code bytes} of a buffer of 256 KiB
   * (the server's copy buffer) hashed over and over, after a warm-up. The server hashes every byte
   * of an upload once with SHA-256 (the whole file, by completion; each part's {@code crc32c}
   * checksum as it arrives costs a tenth of that), so this bounds what the hashing alone costs it.
   */
  static double sha256MibPerSecond(long bytes) {
    byte[] buffer = new byte[256 << 10];
    new SplittableRandom(1).nextBytes(buffer);
    MessageDigest digest = sha256Digest();
    for (int i = 0; i < 2_000; i++) { // about 500 MiB, enough for the JIT to use the intrinsic
      digest.update(buffer);
    }
    digest.digest();
    long start = System.nanoTime();
    for (long done = 0; done < bytes; done += buffer.length) {
      digest.update(buffer);
    }
    digest.digest();
    return bytes / 1048576.0 / ((System.nanoTime() - start) / 1e9);
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
