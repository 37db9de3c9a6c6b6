package dev.mailroom.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Puts a machine's page cache in the state of a server that has run for a while: full, so that a
 * new write takes pages the kernel reclaims from older cached files rather than free memory.
 *
 * <p>The difference matters on a virtual machine whose host takes back the memory its guest leaves
 * free (a virtio balloon with free page reporting, as on the machine of docs/BENCHMARKS.md): there
 * writing 1 GiB of new page cache into such memory took {@code cp} 1.1–2.2 s of system time, and
 * onto the pages of a file just deleted or reclaimed 0.2–0.4 s; the server's uploads paid the same
 * difference. With free memory left, whichever step of a benchmark comes first gets the expensive
 * memory and the one after the cheap, so the order of the steps, not what they do, would decide the
 * comparison.
 */
final class PageCache {
  private static final long MARGIN = 256L << 20;
  private static final int BUFFER = 8 << 20;

  private PageCache() {}

  /** The machine's free memory in bytes ({@code MemFree} of /proc/meminfo), or 0 if unknown. */
  static long freeBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemFree:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
      }
    }
    return 0;
  }

  /**
   * Writes {@code file} with as many bytes as the machine has free memory, less a margin, and syncs
   * it, so that its clean pages fill the page cache. The caller deletes it once done measuring.
   *
   * @return the bytes written
   */
  static long fill(Path file) throws IOException {
    long size = Math.max(0, freeBytes() - MARGIN);
    ByteBuffer zeros = ByteBuffer.allocateDirect(BUFFER);
    try (FileChannel out =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (long written = 0; written < size; ) {
        zeros.clear().limit((int) Math.min(BUFFER, size - written));
        written += out.write(zeros);
      }
      out.force(true);
    }
    return size;
  }
}
