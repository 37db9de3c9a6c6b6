package dev.mailroom.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket, one request per connection ({@code Connection: close}), so that the
 * fuzzer can send what {@link java.net.http.HttpClient} refuses to: control characters in headers,
 * raw bytes in the path, two {@code Host} or {@code Content-Length} headers, unknown methods. The
 * request head is written byte for byte as ISO-8859-1 (one char, one byte), so a printed request is
 * exactly what went over the wire.
 */
final class RawHttp {
  /** The most of an answer's body kept; the rest is read and dropped. */
  static final int MAX_BODY = 8 * 1024 * 1024;

  private static final int MAX_HEAD = 256 * 1024;

  /**
   * How long the answer to a GET that is a Server-Sent Events stream is read, at most, before the
   * fuzzer hangs up; it hangs up sooner, after the first event. (A POST's stream, as MCP answers,
   * ends by itself and is read whole.)
   */
  private static final Duration STREAM_READ = Duration.ofMillis(300);

  /**
   * How long any other Server-Sent Events answer is read: a POST to {@code /mcp} answers in such a
   * stream, which ends with the response; one that does not end within this time is cut.
   */
  private static final Duration POST_STREAM_READ = Duration.ofSeconds(5);

  /**
   * How long a GET or HEAD that asks for Server-Sent Events may wait for the answer's status line:
   * a stream must say it is open before its first event, which may be long in coming.
   */
  static final Duration STREAM_HEAD_WAIT = Duration.ofSeconds(1);

  private final URI base;
  private final Duration timeout;

  RawHttp(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
  }

  URI base() {
    return base;
  }

  /** {@code host:port}, for the {@code Host} header. */
  String authority() {
    return base.getHost() + ":" + base.getPort();
  }

  /** One header line; the value is sent as ISO-8859-1 and may hold any char below 256. */
  record Header(String name, String value) {}

  /** A request exactly as it is written: no header is added on the way. */
  record Request(String method, String target, List<Header> headers, byte[] body) {
    Request {
      headers = List.copyOf(headers);
    }

    Optional<String> header(String name) {
      return headers.stream()
          .filter(h -> h.name().equalsIgnoreCase(name))
          .map(Header::value)
          .findFirst();
    }

    Request withHeaders(List<Header> replaced) {
      return new Request(method, target, replaced, body);
    }

    /** The bytes sent: request line, headers, blank line, body. */
    byte[] bytes() {
      StringBuilder head =
          new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      for (Header h : headers) {
        head.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
      byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
      byte[] all = new byte[h.length + body.length];
      System.arraycopy(h, 0, all, 0, h.length);
      System.arraycopy(body, 0, all, h.length, body.length);
      return all;
    }

    @Override
    public String toString() {
      return Printable.bytes(bytes(), 4000);
    }
  }

  /**
   * An answer; {@code status} is -1 when none came (the connection closed or timed out first).
   *
   * @param note what was unusual in reading it, or empty
   */
  record Response(int status, List<Header> headers, byte[] body, String note) {
    Optional<String> header(String name) {
      return headers.stream()
          .filter(h -> h.name().equalsIgnoreCase(name))
          .map(Header::value)
          .findFirst();
    }

    List<String> headers(String name) {
      return headers.stream()
          .filter(h -> h.name().equalsIgnoreCase(name))
          .map(Header::value)
          .toList();
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String contentType() {
      return header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      b.append(status < 0 ? "(no answer)" : "HTTP " + status)
          .append(note.isEmpty() ? "" : " [" + note + "]")
          .append('\n');
      headers.forEach(h -> b.append(h.name()).append(": ").append(h.value()).append('\n'));
      return b.append('\n').append(Printable.bytes(body, 2000)).toString();
    }
  }

  /**
   * The request with what every request needs added when it lacks it: {@code Host}, {@code
   * Connection: close} and, with a body or a method that carries one, {@code Content-Length}.
   */
  Request complete(Request r) {
    List<Header> h = new ArrayList<>(r.headers());
    if (r.header("Host").isEmpty()) {
      h.addFirst(new Header("Host", authority()));
    }
    if (r.header("Content-Length").isEmpty()
        && r.header("Transfer-Encoding").isEmpty()
        && (r.body().length > 0 || r.method().equals("POST") || r.method().equals("PUT"))) {
      h.add(new Header("Content-Length", Integer.toString(r.body().length)));
    }
    if (r.header("Connection").isEmpty()) {
      h.add(new Header("Connection", "close"));
    }
    return r.withHeaders(h);
  }

  /** Sends the request as it is and reads the answer; never throws for what the server does. */
  Response send(Request r) {
    return exchange(r, null, Duration.ZERO);
  }

  /**
   * Sends a WebSocket upgrade request; if the server switches protocols, writes {@code frames} and
   * answers the 101 with, as its body, the bytes the server sent back until it closed the
   * connection or {@code readFor} passed. Any other answer is read as {@link #send} reads it.
   */
  Response upgrade(Request r, byte[] frames, Duration readFor) {
    return exchange(r, frames, readFor);
  }

  private Response exchange(Request r, byte @Nullable [] frames, Duration readFor) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
      boolean stream =
          (r.method().equals("GET") || r.method().equals("HEAD"))
              && r.header("Accept").orElse("").contains("text/event-stream");
      Duration wait = stream ? STREAM_HEAD_WAIT : timeout;
      s.setSoTimeout((int) wait.toMillis());
      OutputStream out = s.getOutputStream();
      String writeNote = "";
      try {
        out.write(r.bytes());
        out.flush();
      } catch (IOException e) {
        writeNote = "the server closed the connection while the request was written; ";
      }
      Response answer = read(s, s.getInputStream(), r.method(), wait, writeNote);
      if (frames == null || answer.status() != 101) {
        return answer;
      }
      return afterUpgrade(s, answer, frames, readFor);
    } catch (IOException e) {
      return failed("cannot connect: " + e.getMessage());
    }
  }

  private static Response afterUpgrade(Socket s, Response answer, byte[] frames, Duration readFor)
      throws IOException {
    String note = "";
    try {
      s.getOutputStream().write(frames);
      s.getOutputStream().flush();
    } catch (IOException e) {
      note = "the server closed the connection while frames were written; ";
    }
    s.setSoTimeout((int) readFor.toMillis());
    Bounded got = new Bounded();
    try {
      copy(
          new Deadline(s.getInputStream(), System.nanoTime() + readFor.toNanos()),
          got,
          Long.MAX_VALUE);
      note += "closed by the server";
    } catch (SocketTimeoutException e) {
      note += "still open after " + readFor.toMillis() + " ms";
    } catch (IOException e) {
      note += "broke off: " + e.getMessage();
    }
    return new Response(101, answer.headers(), got.toByteArray(), note);
  }

  private Response read(Socket s, InputStream in, String method, Duration wait, String note)
      throws IOException {
    boolean head = method.equals("HEAD");
    try {
      while (true) {
        String headText = readHead(in);
        if (headText == null) {
          return failed(note + "the connection closed without an answer");
        }
        String[] lines = headText.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          if (colon > 0) {
            headers.add(
                new Header(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
          }
        }
        if (status >= 100 && status < 200 && status != 101) {
          continue; // 100 Continue and the like: the answer follows
        }
        Response r = new Response(status, headers, new byte[0], note);
        if (head || status == 101 || status == 204 || status == 304) {
          return r;
        }
        return body(s, in, r, method);
      }
    } catch (SocketTimeoutException e) {
      return failed(note + "no answer within " + wait.toSeconds() + " s");
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return failed(note + "an answer that is not HTTP");
    }
  }

  private static Response failed(String note) {
    return new Response(-1, List.of(), new byte[0], note);
  }

  private Response body(Socket s, InputStream raw, Response r, String method) throws IOException {
    boolean events = r.contentType().startsWith("text/event-stream");
    boolean stream = events && method.equals("GET");
    InputStream in = raw;
    if (events) {
      // A stream of events may never end: read what comes within a short while, then hang up.
      Duration readFor = stream ? STREAM_READ : POST_STREAM_READ;
      s.setSoTimeout((int) readFor.toMillis());
      in = new Deadline(raw, System.nanoTime() + readFor.toNanos());
    }
    Bounded out = new Bounded(stream);
    String note = r.note();
    try {
      if (r.header("Transfer-Encoding").filter(v -> v.equalsIgnoreCase("chunked")).isPresent()) {
        Chunked.decode(in, out);
      } else if (r.header("Content-Length").isPresent()) {
        copy(in, out, Long.parseLong(r.header("Content-Length").get().strip()));
      } else {
        copy(in, out, Long.MAX_VALUE);
      }
    } catch (FirstEvent e) {
      note += "a stream; its first event read";
    } catch (SocketTimeoutException e) {
      note +=
          events
              ? "a stream, cut after "
                  + (stream ? STREAM_READ : POST_STREAM_READ).toMillis()
                  + " ms"
              : "the body was not complete within " + timeout.toSeconds() + " s";
    } catch (IOException | NumberFormatException e) {
      note += "the body broke off: " + e.getMessage();
    }
    if (out.dropped > 0) {
      note += (note.isEmpty() ? "" : "; ") + out.dropped + " more bytes not kept";
    }
    return new Response(r.status(), r.headers(), out.toByteArray(), note);
  }

  private static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] chunk = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
      if (n < 0) {
        if (length != Long.MAX_VALUE) {
          throw new IOException("the connection closed " + left + " bytes before the end");
        }
        return;
      }
      out.write(chunk, 0, n);
      left -= n;
    }
  }

  /** The head up to the blank line, or null if the connection closed before a byte came. */
  private static @Nullable String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) { // CR LF CR LF
      int c = in.read();
      if (c < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("the connection closed within the answer's head");
      }
      head.write(c);
      last4 = (last4 << 8) | c;
      if (head.size() > MAX_HEAD) {
        throw new IOException("an answer's head over " + MAX_HEAD + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1).strip();
  }

  /** Ends a stream's reading once its time is up, even while bytes keep coming. */
  private static final class Deadline extends java.io.FilterInputStream {
    private final long deadline;

    Deadline(InputStream in, long deadline) {
      super(in);
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      check();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      return super.read(b, off, len);
    }

    private void check() throws SocketTimeoutException {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("the stream's reading time is up");
      }
    }
  }

  /** Keeps the first {@link #MAX_BODY} bytes and counts the rest; may stop at a first event. */
  private static final class Bounded extends ByteArrayOutputStream {
    private final boolean firstEventOnly;
    long dropped;

    Bounded() {
      this(false);
    }

    Bounded(boolean firstEventOnly) {
      this.firstEventOnly = firstEventOnly;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int keep = Math.max(0, Math.min(len, MAX_BODY - count));
      super.write(b, off, keep);
      dropped += len - keep;
      if (firstEventOnly && toString(StandardCharsets.ISO_8859_1).contains("\n\n")) {
        throw new FirstEvent();
      }
    }

    @Override
    public synchronized void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  /** Thrown to stop reading a stream once its first event is in. */
  private static final class FirstEvent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FirstEvent() {
      super(null, null, false, false);
    }
  }
}
