package dev.mailroom.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The parts of a stream that can be read only once: each worker reads the next part, in order, into
 * its own buffer, which holds it until it is stored (so a retry sends it again from memory, and at
 * most one part per worker is ever held). Each part's CRC-32C is taken from the buffer, and the
 * SHA-256 of the whole stream on the way, to check the server's. Only the first {@code size} bytes
 * of the stream are read; it is not closed here. Thread-safe.
 */
final class StreamParts implements PartSource {
  private final InputStream in;
  private final int partSize;
  private final long size;
  private final int parts;
  private final MessageDigest whole = Digests.sha256();
  private int next;

  StreamParts(InputStream in, int partSize, long size, int parts) {
    this.in = in;
    this.partSize = partSize;
    this.size = size;
    this.parts = parts;
  }

  @Override
  public synchronized Optional<Part> next(Worker worker) throws IOException {
    if (next >= parts) {
      return Optional.empty();
    }
    int n = next++;
    int length = (int) PartSource.length(n, partSize, size);
    byte[] buffer = worker.buffer(length);
    int read = in.readNBytes(buffer, 0, length);
    if (read < length) {
      throw new IOException(
          "the stream ended after "
              + (PartSource.offset(n, partSize) + read)
              + " bytes, not the "
              + size
              + " given");
    }
    whole.update(buffer, 0, length);
    return Optional.of(
        new Part(
            n,
            length,
            Digests.crc32c(buffer, 0, length),
            () -> new ByteArrayInputStream(buffer, 0, length),
            () -> HttpRequest.BodyPublishers.ofByteArray(buffer, 0, length)));
  }

  /** The SHA-256 (hex) of everything read, once every part has been. */
  synchronized String sha256() {
    return Digests.hex(whole.digest());
  }
}
