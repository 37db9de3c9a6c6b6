package dev.mailroom.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A minimal blocking HTTP/1.1 keep-alive connection that moves request and response bodies between
 * a file and the socket without passing them through the Java heap: a request body is sent from the
 * file with {@link FileChannel#transferTo} ({@code sendfile}), a response body is read into one
 * direct buffer and written to the file from there. It exists for the same reason as {@link
 * RawHttp}: on a 2-core machine the JDK's {@code HttpClient} takes from the server under test the
 * CPU it spends copying a large body through its buffers. Answers with {@code Content-Length} or
 * chunked bodies; not thread-safe.
 */
final class FileHttp implements AutoCloseable {
  private static final int BUFFER = 1 << 20;

  private final SocketChannel channel;
  private final String host;
  private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER).flip();

  FileHttp(int port) throws IOException {
    this.channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    this.host = "127.0.0.1:" + port;
  }

  /** The status of an answer, and its length in bytes. */
  record Answer(int status, long length) {}

  /**
   * {@code PUT path} with bytes {@code offset} to {@code offset + length} of {@code file} as the
   * body and {@code headers} (whole lines, each ending in CRLF) besides the token and the length.
   * The answer's body goes to {@code sink}.
   */
  int put(
      String path,
      String token,
      String headers,
      FileChannel file,
      long offset,
      long length,
      StringBuilder sink)
      throws IOException {
    writeHead("PUT", path, token, headers + "Content-Length: " + length + "\r\n");
    for (long sent = 0; sent < length; ) {
      sent += file.transferTo(offset + sent, length - sent, channel);
    }
    return readHead(sink, null).status();
  }

  /** {@code GET path}; a {@code 200} answer's body goes to {@code out} from its position on. */
  Answer get(String path, String token, FileChannel out) throws IOException {
    writeHead("GET", path, token, "");
    return readHead(new StringBuilder(), out);
  }

  private void writeHead(String method, String path, String token, String headers)
      throws IOException {
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nAuthorization: Bearer "
            + token
            + "\r\n"
            + headers
            + "\r\n";
    ByteBuffer bytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /**
   * Reads an answer's head, then its body: into {@code file} when one is given and the status is
   * {@code 200}, else as text into {@code sink}.
   */
  private Answer readHead(StringBuilder sink, @Nullable FileChannel file) throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equals("transfer-encoding") && value.contains("chunked")) {
        chunked = true;
      }
    }
    sink.setLength(0);
    if (chunked) {
      long total = 0;
      for (long size = Long.parseLong(line().trim(), 16); size > 0; ) {
        total += size;
        body(size, sink, null);
        line();
        size = Long.parseLong(line().trim(), 16);
      }
      line();
      return new Answer(code, total);
    }
    if (length > 0) {
      body(length, sink, code == 200 ? file : null);
    }
    return new Answer(code, Math.max(length, 0));
  }

  /** Moves {@code length} body bytes to {@code file} if given, else into {@code sink}. */
  private void body(long length, StringBuilder sink, @Nullable FileChannel file)
      throws IOException {
    long left = length;
    while (left > 0) {
      if (!in.hasRemaining()) {
        fill();
      }
      int n = (int) Math.min(left, in.remaining());
      ByteBuffer slice = in.slice(in.position(), n);
      if (file != null) {
        while (slice.hasRemaining()) {
          file.write(slice);
        }
      } else {
        byte[] bytes = new byte[n];
        slice.get(bytes);
        sink.append(new String(bytes, StandardCharsets.UTF_8));
      }
      in.position(in.position() + n);
      left -= n;
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    while (true) {
      if (!in.hasRemaining()) {
        fill();
      }
      byte b = in.get();
      if (b == '\n') {
        return s.toString();
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
  }

  private void fill() throws IOException {
    in.clear();
    int read = channel.read(in);
    in.flip();
    if (read < 0) {
      throw new EOFException("the server closed the connection");
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
