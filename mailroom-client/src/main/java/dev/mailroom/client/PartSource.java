package dev.mailroom.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the parts of an upload come from: a file, read again for each attempt ({@link FileParts}),
 * or a stream read once, each part held by the worker sending it ({@link StreamParts}).
 */
interface PartSource {
  /**
   * The next part to send, or empty when none is left. Thread-safe: each worker asks for its own.
   *
   * @param worker the worker that sends it, whose buffer a part read from a stream fills
   */
  Optional<Part> next(Worker worker) throws IOException;

  /**
   * One part, ready to go: its number, length and CRC-32C (its {@code Content-Digest}), its bytes
   * to read again (for the SHA-256 a part stored by an older client is recorded with) and its body.
   */
  record Part(
      int n,
      long length,
      int crc32c,
      Supplier<InputStream> bytes,
      Supplier<HttpRequest.BodyPublisher> body) {

    /** The part's SHA-256, read again from its bytes; only needed to match an older record. */
    byte[] sha256() throws IOException {
      try (InputStream in = bytes.get()) {
        return Digests.of(in, length);
      }
    }
  }

  /** One of the threads that send parts; holds at most one part's buffer. Not thread-safe. */
  final class Worker {
    private byte[] buffer = new byte[0];

    /** A buffer of at least {@code size} bytes, this worker's for good. */
    byte[] buffer(int size) {
      if (buffer.length < size) {
        buffer = new byte[size];
      }
      return buffer;
    }
  }

  /** Where part {@code n} of a file cut into parts of {@code partSize} starts. */
  static long offset(int n, int partSize) {
    return (long) n * partSize;
  }

  /** How long part {@code n} of a file of {@code size} bytes cut into {@code partSize} is. */
  static long length(int n, int partSize, long size) {
    return Math.max(0, Math.min(partSize, size - offset(n, partSize)));
  }

  /** The body of {@code length} bytes that {@code bytes} streams, never held whole. */
  static HttpRequest.BodyPublisher body(long length, Supplier<InputStream> bytes) {
    return length == 0
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(bytes), length);
  }
}
