package dev.mailroom.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 keep-alive connection for load generation. The JDK's HttpClient costs
 * tens of microseconds of CPU per request, which on a 2-core machine is taken straight from the
 * server under test; this client costs a few. It supports exactly what the benchmarks need:
 * requests with small bodies, responses with Content-Length or chunked bodies. Not thread-safe.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final String host;
  private final byte[] line = new byte[8192];

  public RawHttp(String host, int port) throws IOException {
    this.host = host + ":" + port;
    this.socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
  }

  /** Sends one request and reads the whole response; returns the status, body in {@code sink}. */
  public int exchange(String method, String path, String token, byte[] body, StringBuilder sink)
      throws IOException {
    return exchange(method, path, token, "", body, sink);
  }

  /**
   * As {@link #exchange(String, String, String, byte[], StringBuilder)}, with {@code headers} (one
   * or more {@code Name: value} lines joined by CRLF, none if empty) added to the request.
   */
  public int exchange(
      String method, String path, String token, String headers, byte[] body, StringBuilder sink)
      throws IOException {
    StringBuilder head = new StringBuilder(256 + headers.length());
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    head.append("\r\nAuthorization: Bearer ").append(token);
    if (!headers.isEmpty()) {
      head.append("\r\n").append(headers);
    }
    if (body.length > 0) {
      head.append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length);
    }
    head.append("\r\n\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[h.length + body.length];
    System.arraycopy(h, 0, request, 0, h.length);
    System.arraycopy(body, 0, request, h.length, body.length);
    out.write(request);
    out.flush();
    return readResponse(sink);
  }

  private int readResponse(StringBuilder sink) throws IOException {
    String status = readLine();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.contains("chunked")) {
        chunked = true;
      }
    }
    sink.setLength(0);
    if (chunked) {
      for (long size = Long.parseLong(readLine().trim(), 16); size > 0; ) {
        readBody(size, sink);
        readLine();
        size = Long.parseLong(readLine().trim(), 16);
      }
      readLine();
    } else if (length > 0) {
      readBody(length, sink);
    }
    return code;
  }

  private void readBody(long length, StringBuilder sink) throws IOException {
    byte[] buf = in.readNBytes((int) length);
    if (buf.length != length) {
      throw new IOException("connection closed mid-body");
    }
    sink.append(new String(buf, StandardCharsets.UTF_8));
  }

  private String readLine() throws IOException {
    int n = 0;
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r' && n < line.length) {
        line[n++] = (byte) b;
      }
    }
    return new String(line, 0, n, StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
