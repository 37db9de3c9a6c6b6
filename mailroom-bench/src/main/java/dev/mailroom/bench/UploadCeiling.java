package dev.mailroom.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The ceiling of an upload on this machine: a process that does what a verified, durable upload in
 * parts needs and nothing else, for the same client over the same loopback. Each {@code PUT
 * /parts/<n>} body is read straight from the socket into a direct buffer, checksummed and written
 * at the part's offset of one file, which is then synced ({@code fdatasync}); its CRC-32C is
 * checked against the {@code crc32c} of its {@code Content-Digest}, as the clients send it. The
 * whole file's SHA-256 is taken as the parts arrive, in order, by reading back each part once the
 * ones before it are in (as the file blob store does); {@code POST /complete} answers it, {@code
 * POST /reset} starts a new file (the earlier ones stay, as the server's blobs and the bench's
 * copies do, so that each writes into memory alike). No framework, no JSON, no authentication, no
 * record of the parts but a bit set: what is left of the upload's time in Mailroom is its HTTP
 * server, routing, checks and bookkeeping.
 *
 * <p>Runs as a process of its own: {@code UploadCeiling <port> <file-prefix> <size> <part-size>};
 * the files are {@code <file-prefix>-1.bin} on. One platform thread per connection; HTTP/1.1 with
 * {@code Content-Length} bodies only.
 */
final class UploadCeiling {
  private static final int BUFFER = 1 << 20;

  private final String prefix;
  private final long size;
  private final int partSize;
  private final Object lock = new Object();
  private FileChannel data; // guarded by lock
  private int uploads; // guarded by lock
  private BitSet received = new BitSet(); // guarded by lock
  private final ReentrantLock hashing = new ReentrantLock();
  private MessageDigest whole = sha256(); // guarded by hashing
  private volatile int hashed; // written under hashing

  private UploadCeiling(String prefix, long size, int partSize) {
    this.prefix = prefix;
    this.size = size;
    this.partSize = partSize;
  }

  public static void main(String[] args) throws IOException {
    UploadCeiling ceiling =
        new UploadCeiling(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]));
    ceiling.reset();
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
      while (true) {
        SocketChannel connection = server.accept();
        Thread.ofPlatform().daemon().start(() -> ceiling.serve(connection));
      }
    }
  }

  private void serve(SocketChannel connection) {
    ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).flip();
    try (connection) {
      while (true) {
        String request = line(connection, in);
        if (request == null) {
          return;
        }
        long length = 0;
        String digest = "";
        for (String header = line(connection, in); !header.isEmpty(); ) {
          int colon = header.indexOf(':');
          String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = header.substring(colon + 1).trim();
          if (name.equals("content-length")) {
            length = Long.parseLong(value);
          } else if (name.equals("content-digest")) {
            digest = value;
          }
          header = line(connection, in);
        }
        String path = request.split(" ")[1];
        String answer;
        if (path.startsWith("/parts/")) {
          answer = part(Integer.parseInt(path.substring(7)), length, digest, connection, in);
        } else {
          skip(length, connection, in);
          answer = path.equals("/complete") ? complete() : reset();
        }
        byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out =
            ByteBuffer.wrap(
                ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n" + answer)
                    .getBytes(StandardCharsets.US_ASCII));
        while (out.hasRemaining()) {
          connection.write(out);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("upload ceiling: " + e);
    }
  }

  private String part(int n, long length, String digest, SocketChannel from, ByteBuffer in)
      throws IOException {
    FileChannel channel;
    synchronized (lock) {
      channel = data;
    }
    CRC32C crc = new CRC32C();
    long position = (long) n * partSize;
    for (long left = length; left > 0; ) {
      if (!in.hasRemaining()) {
        fill(from, in);
      }
      ByteBuffer slice = in.slice(in.position(), (int) Math.min(in.remaining(), left));
      crc.update(slice.duplicate());
      while (slice.hasRemaining()) {
        position += channel.write(slice, position);
      }
      in.position(in.position() + slice.limit());
      left -= slice.limit();
    }
    channel.force(false);
    int value = (int) crc.getValue();
    byte[] got = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    if (!Base64.getEncoder().encodeToString(got).equals(crc32c(digest))) {
      throw new IllegalStateException("part " + n + ": CRC-32C mismatch");
    }
    synchronized (lock) {
      received.set(n);
    }
    // As the store does: whoever finds the hashing free hashes what is in; one thread at a time.
    while (hashing.tryLock()) {
      try {
        while (isIn(hashed)) {
          hash(channel, hashed);
          hashed++;
        }
      } finally {
        hashing.unlock();
      }
      if (!isIn(hashed)) {
        break;
      }
    }
    return "ok";
  }

  private boolean isIn(int n) {
    synchronized (lock) {
      return received.get(n);
    }
  }

  private void hash(FileChannel data, int n) throws IOException {
    long offset = (long) n * partSize;
    long end = Math.min(size, offset + partSize);
    ByteBuffer buffer = ByteBuffer.allocate(256 << 10);
    for (long position = offset; position < end; ) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
      int read = data.read(buffer, position);
      if (read < 0) {
        throw new EOFException();
      }
      whole.update(buffer.flip());
      position += read;
    }
  }

  private String complete() {
    hashing.lock();
    try {
      return HexFormat.of().formatHex(whole.digest());
    } finally {
      hashing.unlock();
    }
  }

  private String reset() throws IOException {
    synchronized (lock) {
      if (data != null) {
        data.close();
      }
      // A new file for each upload, the earlier ones kept, as the server keeps its blobs.
      data =
          FileChannel.open(
              Path.of(prefix + "-" + ++uploads + ".bin"),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      received = new BitSet();
    }
    hashing.lock();
    try {
      whole = sha256();
      hashed = 0;
      return "reset";
    } finally {
      hashing.unlock();
    }
  }

  /** The base64 of the {@code crc32c} member of a {@code Content-Digest} header value. */
  private static String crc32c(String digest) {
    for (String member : digest.split(",")) {
      String m = member.trim();
      if (m.startsWith("crc32c=:") && m.endsWith(":") && m.length() > "crc32c=:".length()) {
        return m.substring("crc32c=:".length(), m.length() - 1);
      }
    }
    throw new IllegalStateException("no crc32c in Content-Digest: " + digest);
  }

  private static void skip(long length, SocketChannel from, ByteBuffer in) throws IOException {
    for (long left = length; left > 0; ) {
      if (!in.hasRemaining()) {
        fill(from, in);
      }
      int step = (int) Math.min(in.remaining(), left);
      in.position(in.position() + step);
      left -= step;
    }
  }

  /** A line of the head without its CRLF, or null if the connection ends before one begins. */
  private static String line(SocketChannel from, ByteBuffer in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (!in.hasRemaining()) {
        if (from.read(in.clear()) < 0) {
          in.flip();
          if (line.isEmpty()) {
            return null;
          }
          throw new EOFException();
        }
        in.flip();
      }
      byte b = in.get();
      if (b == '\n') {
        return line.toString();
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
  }

  private static void fill(SocketChannel from, ByteBuffer in) throws IOException {
    in.clear();
    if (from.read(in) < 0) {
      throw new EOFException();
    }
    in.flip();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
