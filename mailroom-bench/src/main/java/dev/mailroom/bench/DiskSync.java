package dev.mailroom.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The disk's own sync latency: a 4 KiB write and {@code fdatasync} ({@link FileChannel#force} with
 * {@code false}) in a loop, one thread, on the data directory's file system. The baseline every
 * durable send stands on: no Mailroom send can be answered faster than its sync.
 */
final class DiskSync {
  private DiskSync() {}

  static Report run(Path dir, Duration measure) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("fdatasync.probe");
    Histogram h = new Histogram(3_600_000_000_000L, 3);
    ByteBuffer block = ByteBuffer.allocateDirect(4096);
    long stalls = 0;
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long end = System.nanoTime() + measure.toNanos();
      long position = 0;
      while (System.nanoTime() < end) {
        block.clear();
        long start = System.nanoTime();
        ch.write(block, position);
        ch.force(false);
        long took = System.nanoTime() - start;
        h.recordValue(took);
        if (took > 50_000_000L) {
          stalls++;
        }
        position = (position + 4096) % (256L * 4096); // a 1 MiB ring, like a WAL being reused
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return new Report("fdatasync_4k")
        .put("seconds", measure.toSeconds())
        .put("stalls_over_50ms", stalls)
        .latencies("", h);
  }
}
