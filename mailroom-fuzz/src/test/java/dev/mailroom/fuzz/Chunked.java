package dev.mailroom.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reads an HTTP/1.1 chunked body (RFC 9112 §7.1), trailers dropped. */
final class Chunked {
  private Chunked() {}

  static void decode(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = line(in);
      int semicolon = sizeLine.indexOf(';');
      long size =
          Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailer fields
        }
        return;
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new IOException("the connection closed within a chunk");
      }
      out.write(chunk);
      line(in); // the CRLF after the chunk
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("the connection closed within a chunk's size line");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
