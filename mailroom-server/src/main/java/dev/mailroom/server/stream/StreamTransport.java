package dev.mailroom.server.stream;

import java.io.IOException;

/** One client connection a stream writes events to: a WebSocket or an SSE response. */
public interface StreamTransport {

  /**
   * Sends one event. Blocks while the client is slow to read, up to the configured write timeout;
   * only the calling stream waits.
   *
   * @param type the event type ({@code message}, {@code batch}, {@code heartbeat}, ...)
   * @param id the event id a client resumes from ({@code Last-Event-ID}), or null
   * @param json the event as a JSON object
   * @throws IOException if the connection is gone or the client too slow
   */
  void send(String type, String id, String json) throws IOException;

  /** Ends the connection, telling the client why where the transport can. Idempotent. */
  void close(String reason);
}
