package dev.mailroom.store.redis;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartCopy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bytes of uploads and blobs: each part in chunks of at most {@link #chunkSize()} bytes, chunk
 * {@code k} holding the part's bytes from {@code k * chunkSize()}, each under a key of its own
 * named by the upload, the part and the write that stored it ({@link KeySpace#chunk}). Two writes
 * of one part never share a key, so a refused or abandoned write cannot spoil the part another one
 * stored. Chunk keys span slots: each is written, read and deleted by a command of its own, never
 * by a script; a chunk's write is confirmed on its master's replicas as a script's writes are
 * ({@link RedisLink#write}), before the part that holds it is recorded. At most one chunk of a part
 * or a blob is held in memory at a time.
 *
 * <p>Thread-safe; a {@link Writer} or a stream from {@link #open} serves one caller.
 */
final class BlobChunks {
  /** The largest chunk, unless a test asks for smaller ones. */
  static final int CHUNK = 1 << 20;

  /** How many chunk keys one round trip deletes. */
  private static final int DELETE_BATCH = 512;

  private final RedisLink link;
  private final KeySpace keys;
  private final int chunkSize;

  BlobChunks(RedisLink link, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
    }
    this.link = link;
    this.keys = link.keys();
    this.chunkSize = chunkSize;
  }

  int chunkSize() {
    return chunkSize;
  }

  /** How many chunks hold {@code length} bytes. */
  int count(long length) {
    return (int) ((length + chunkSize - 1) / chunkSize);
  }

  /** The key of chunk {@code k} of part {@code n}, as write {@code write} stores it. */
  byte[] key(BlobId id, int n, long write, int k) {
    return Codec.utf8(keys.chunk(id.value(), n, write, k));
  }

  /** A sink that stores the {@code length} bytes of part {@code n} as write {@code write}. */
  Writer writer(BlobId id, int n, long write, long length) {
    return new Writer(id, n, write, length);
  }

  /**
   * Deletes the first {@code count} chunks of write {@code write} of part {@code n} (missing keys
   * are no matter).
   */
  void delete(BlobId id, int n, long write, int count) {
    List<byte[]> doomed = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      doomed.add(key(id, n, write, k));
    }
    delete(doomed);
  }

  /** Deletes every chunk a record names: its parts' and its strays'. */
  void deleteAll(BlobRecord record) {
    Blob blob = record.blob();
    List<byte[]> doomed = new ArrayList<>();
    for (Map.Entry<Integer, Long> w : record.writes().entrySet()) {
      addKeys(doomed, blob, w.getKey(), w.getValue());
    }
    for (Map.Entry<Long, Integer> s : record.strays().entrySet()) {
      addKeys(doomed, blob, s.getValue(), s.getKey());
    }
    delete(doomed);
  }

  private void addKeys(List<byte[]> out, Blob blob, int n, long write) {
    if (n < 0 || n >= blob.partCount()) {
      return;
    }
    for (int k = 0; k < count(blob.partLength(n)); k++) {
      out.add(key(blob.id(), n, write, k));
    }
  }

  private void delete(List<byte[]> doomed) {
    for (int from = 0; from < doomed.size(); from += DELETE_BATCH) {
      List<byte[]> batch = doomed.subList(from, Math.min(doomed.size(), from + DELETE_BATCH));
      // One key a command: in a Cluster every chunk is in a slot of its own.
      link.pipelined(batch, (c, key) -> c.unlink(key));
    }
  }

  /**
   * The bytes {@code offset} to {@code offset + length} of the parts a record names, read a chunk
   * (or what the range wants of it) at a time. A chunk found missing fails the read with {@link
   * MissingChunk}; Redis failing fails it with an {@link IOException} whose cause says so.
   */
  InputStream open(BlobRecord record, long offset, long length) {
    return new Reader(record, offset, offset + length);
  }

  /**
   * Collects a part's bytes into chunks as {@link PartCopy#copy} hands them over, storing each as
   * soon as it is full. {@link #started()} says how many chunk keys it may have written, which a
   * refused write deletes.
   */
  final class Writer implements PartCopy.Sink {
    private final BlobId id;
    private final int n;
    private final long write;
    private long left;
    private byte[] chunk;
    private int filled;
    private int started;

    private Writer(BlobId id, int n, long write, long length) {
      this.id = id;
      this.n = n;
      this.write = write;
      this.left = length;
      this.chunk = new byte[(int) Math.min(chunkSize, length)];
    }

    @Override
    public void write(byte[] buffer, int length) {
      int at = 0;
      while (at < length) {
        if (chunk.length == 0) {
          throw new IllegalStateException("more bytes than the part holds");
        }
        int take = Math.min(length - at, chunk.length - filled);
        System.arraycopy(buffer, at, chunk, filled, take);
        filled += take;
        at += take;
        if (filled == chunk.length) {
          store();
        }
      }
    }

    private void store() {
      byte[] key = key(id, n, write, started);
      byte[] full = chunk;
      // Counted before it is sent: a SET whose answer is lost may still have been made.
      started++;
      link.write(key, c -> c.set(key, full));
      left -= full.length;
      chunk = new byte[(int) Math.min(chunkSize, left)];
      filled = 0;
    }

    /** How many chunk keys it may have written. */
    int started() {
      return started;
    }
  }

  /** Reads a range of a blob a chunk at a time, fetching each when the reader gets to it. */
  private final class Reader extends InputStream {
    private final Blob blob;
    private final Map<Integer, Long> writes;
    private final long end;

    /** Where the next fetch begins: just past {@code current}. */
    private long position;

    private byte[] current = new byte[0];
    private int at;

    private Reader(BlobRecord record, long offset, long end) {
      this.blob = record.blob();
      this.writes = record.writes();
      this.position = offset;
      this.end = end;
    }

    @Override
    public int read() throws IOException {
      if (at == current.length && !fill()) {
        return -1;
      }
      return current[at++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (at == current.length && !fill()) {
        return -1;
      }
      int n = Math.min(len, current.length - at);
      System.arraycopy(current, at, b, off, n);
      at += n;
      return n;
    }

    @Override
    public long skip(long n) {
      if (n <= 0) {
        return 0;
      }
      long buffered = Math.min(n, current.length - at);
      at += (int) buffered;
      long further = Math.min(n - buffered, end - position);
      position += further;
      return buffered + further;
    }

    @Override
    public int available() {
      return current.length - at;
    }

    /** Fetches what the range wants of the next chunk; false at the range's end. */
    private boolean fill() throws IOException {
      if (position >= end) {
        return false;
      }
      int n = (int) (position / blob.partSize());
      long inPart = position - blob.partOffset(n);
      int k = (int) (inPart / chunkSize);
      long from = inPart - (long) k * chunkSize;
      long chunkLength = Math.min(chunkSize, blob.partLength(n) - (long) k * chunkSize);
      long want = Math.min(chunkLength - from, end - position);
      Long write = writes.get(n);
      if (write == null) {
        throw new IOException("blob " + blob.id() + " lacks part " + n);
      }
      byte[] key = key(blob.id(), n, write, k);
      byte[] got;
      try {
        got =
            from == 0 && want == chunkLength
                ? link.call(() -> link.sync().get(key))
                : link.call(() -> link.sync().getrange(key, from, from + want - 1));
      } catch (MailroomException e) {
        throw new IOException(e.getMessage(), e);
      }
      if (got == null || got.length != want) {
        throw new MissingChunk(blob.id(), n, k);
      }
      current = got;
      at = 0;
      position += want;
      return true;
    }
  }

  /** A chunk that is not there (or not whole): the blob was removed, or its part replaced. */
  static final class MissingChunk extends IOException {
    private static final long serialVersionUID = 1L;

    MissingChunk(BlobId id, int n, int k) {
      super("chunk " + k + " of part " + n + " of blob " + id + " is gone (removed meanwhile)");
    }
  }
}
