package dev.mailroom.server.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 written by hand on a socket, for requests {@link java.net.http.HttpClient} refuses to
 * send (control characters in a header, bytes that are not UTF-8 in a path, very long lines). One
 * request per connection ({@code Connection: close}).
 */
final class RawHttp {
  /** An answer: its status, its headers (names in lower case, last value kept) and its body. */
  record Answer(int status, Map<String, String> headers, String body) {
    Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code head} (the request line and headers, each line ended by CRLF, without the empty
   * line that ends them) and {@code body}, and reads the whole answer.
   */
  static Answer send(URI server, String head, byte[] body) {
    try (Socket socket = new Socket(server.getHost(), server.getPort())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Answer send(URI server, String head) {
    return send(server, head, new byte[0]);
  }

  /**
   * Reads the head, then the body as its headers frame it: {@code Content-Length} bytes, chunks up
   * to the last, nothing after a {@code 101} (the connection then speaks another protocol), else
   * until the server closes.
   */
  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).strip().split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
    }
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String body;
    if (status == 101) {
      body = "";
    } else if (headers.containsKey("content-length")) {
      body =
          new String(
              in.readNBytes(Integer.parseInt(headers.get("content-length"))),
              StandardCharsets.UTF_8);
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunked(new String(readAll(in), StandardCharsets.UTF_8));
    } else {
      body = new String(readAll(in), StandardCharsets.UTF_8);
    }
    return new Answer(status, headers, body);
  }

  private static byte[] readAll(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // a reset after the answer: what came is the answer
    }
    return out.toByteArray();
  }

  private static String dechunked(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
