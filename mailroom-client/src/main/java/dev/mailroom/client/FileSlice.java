package dev.mailroom.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The bytes {@code [offset, offset + length)} of a file as a stream, read with positional reads so
 * that many slices share one channel (which stays open: its owner closes it). A part of an upload
 * goes out from here, never whole in memory. Not thread-safe; each slice belongs to one reader.
 */
final class FileSlice extends InputStream {
  private final FileChannel channel;
  private long position;
  private final long end;

  FileSlice(FileChannel channel, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("need offset >= 0 and length >= 0");
    }
    this.channel = channel;
    this.position = offset;
    this.end = offset + length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (position >= end) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int want = (int) Math.min(len, end - position);
    int n = channel.read(ByteBuffer.wrap(b, off, want), position);
    if (n < 0) {
      // The file is shorter than when the upload began; the part's length no longer holds.
      throw new IOException(
          "the file ended at " + position + ", before " + end + "; did it change?");
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }
}
