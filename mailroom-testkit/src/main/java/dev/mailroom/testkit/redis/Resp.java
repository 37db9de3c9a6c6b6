package dev.mailroom.testkit.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A tiny RESP2 client on a plain socket. The fixtures form clusters and check health with it so
 * that they depend neither on {@code redis-cli} (often missing on CI) nor on the client library
 * that the code under test uses: a bug there must not be able to hide behind the fixture.
 *
 * <p>Replies map to Java as: simple and bulk strings to {@link String} (UTF-8), integers to {@link
 * Long}, arrays to {@link List}, nil to {@code null}; an error reply is thrown as {@link
 * ErrorReply}. Not thread-safe: one connection, one caller.
 */
final class Resp implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to the server on {@code 127.0.0.1:port}. */
  static Resp connect(int port) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          (int) CONNECT_TIMEOUT.toMillis());
      return new Resp(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
    }
  }

  /** Connects, sends one command, reads its reply and disconnects. */
  static @Nullable Object once(int port, String... command) {
    try (Resp resp = connect(port)) {
      return resp.call(command);
    }
  }

  /** Sends {@code command} as an array of bulk strings and returns the decoded reply. */
  @Nullable Object call(String... command) {
    return call(List.of(command));
  }

  /** Sends {@code command} as an array of bulk strings and returns the decoded reply. */
  @Nullable Object call(List<String> command) {
    try {
      out.write(encode(command));
      out.flush();
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "command " + command.get(0) + " to port " + socket.getPort() + " failed", e);
    }
  }

  /** {@link #call} for a command whose reply is a string (simple or bulk). */
  String text(String... command) {
    Object reply = call(command);
    if (!(reply instanceof String s)) {
      throw new IllegalStateException(command[0] + " answered " + reply + ", not a string");
    }
    return s;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  /** The bytes of {@code command} as a RESP array of bulk strings. */
  static byte[] encode(List<String> command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(("*" + command.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : command) {
      byte[] data = arg.getBytes(StandardCharsets.UTF_8);
      bytes.writeBytes(("$" + data.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      bytes.writeBytes(data);
      bytes.writeBytes(new byte[] {'\r', '\n'});
    }
    return bytes.toByteArray();
  }

  /** Reads one reply from {@code in}. */
  static @Nullable Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the server closed the connection");
    }
    String line = readLine(in);
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new ErrorReply(line);
      case ':' -> Long.parseLong(line);
      case '$' -> readBulk(in, Integer.parseInt(line));
      case '*' -> readArray(in, Integer.parseInt(line));
      default -> throw new IOException("not a RESP2 reply: '" + (char) type + line + "'");
    };
  }

  private static @Nullable String readBulk(InputStream in, int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] data = in.readNBytes(length);
    if (data.length < length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("bulk string cut short");
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  private static @Nullable List<@Nullable Object> readArray(InputStream in, int length)
      throws IOException {
    if (length < 0) {
      return null;
    }
    List<@Nullable Object> items = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      items.add(readElement(in));
    }
    return items;
  }

  /** An element of an array: an error inside an array (e.g. from EXEC) is kept as a value. */
  private static @Nullable Object readElement(InputStream in) throws IOException {
    try {
      return read(in);
    } catch (ErrorReply e) {
      return e;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("reply line cut short");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("CR without LF in a reply line");
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing left to release.
    }
  }

  /**
   * An error reply ({@code -ERR ...}, {@code -MOVED ...}, {@code -LOADING ...}) from the server.
   */
  static final class ErrorReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErrorReply(String message) {
      super(message);
    }
  }
}
