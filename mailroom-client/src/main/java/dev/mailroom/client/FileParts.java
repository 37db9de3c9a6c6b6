package dev.mailroom.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The parts of a file: each read twice, once for its CRC-32C and once as it goes out, straight from
 * the file with positional reads on one shared channel, so that no part is ever held in memory and
 * a part that must go again is simply read again. Thread-safe.
 */
final class FileParts implements PartSource, AutoCloseable {
  private final FileChannel channel;
  private final int partSize;
  private final long size;
  private final Queue<Integer> pending;

  private FileParts(FileChannel channel, int partSize, long size, List<Integer> parts) {
    this.channel = channel;
    this.partSize = partSize;
    this.size = size;
    this.pending = new ConcurrentLinkedQueue<>(parts);
  }

  /** The parts {@code parts} of {@code file}, cut into {@code partSize} bytes each. */
  static FileParts open(Path file, int partSize, long size, List<Integer> parts)
      throws IOException {
    return new FileParts(FileChannel.open(file, StandardOpenOption.READ), partSize, size, parts);
  }

  @Override
  public Optional<Part> next(Worker worker) throws IOException {
    Integer n = pending.poll();
    if (n == null) {
      return Optional.empty();
    }
    long offset = PartSource.offset(n, partSize);
    long length = PartSource.length(n, partSize, size);
    Supplier<InputStream> bytes = () -> new FileSlice(channel, offset, length);
    int crc32c = Digests.crc32c(bytes.get(), length);
    return Optional.of(new Part(n, length, crc32c, bytes, () -> PartSource.body(length, bytes)));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
