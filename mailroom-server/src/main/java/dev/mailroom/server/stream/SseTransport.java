package dev.mailroom.server.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A stream over Server-Sent Events on an HTTP response: {@code id:}, {@code event:} and one {@code
 * data:} line per event (the JSON never contains a newline). Writes block while the client is slow;
 * the connector's idle timeout ends a client that stops reading altogether.
 */
public final class SseTransport implements StreamTransport {
  private final OutputStream out;
  private volatile boolean closed;

  public SseTransport(OutputStream out) {
    this.out = out;
  }

  @Override
  public void send(String type, @Nullable String id, String json) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    StringBuilder event = new StringBuilder(json.length() + 64);
    if (id != null) {
      event.append("id: ").append(id).append('\n');
    }
    event.append("event: ").append(type).append('\n');
    event.append("data: ").append(json).append("\n\n");
    out.write(event.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close(String reason) {
    closed = true;
  }
}
