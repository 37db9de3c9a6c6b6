package dev.mailroom.server.stream;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.jspecify.annotations.Nullable;

/**
 * A stream over a WebSocket: each event is one text frame. At most {@link #WINDOW} frames are in
 * Jetty's hands at once; a client that reads slower than that makes {@link #send} wait, up to the
 * write timeout, after which the connection is treated as broken.
 */
public final class WebSocketTransport implements StreamTransport {
  /** Close code for a stream superseded or ended by the server (private range, RFC 6455 §7.4.2). */
  public static final int CLOSE_ENDED = 4000;

  private static final int WINDOW = 64;
  private static final int MAX_REASON = 120; // a close reason must fit in 123 bytes

  private final Session session;
  private final Duration writeTimeout;
  private final Semaphore window = new Semaphore(WINDOW);
  private volatile @Nullable Throwable failure;

  public WebSocketTransport(Session session, Duration writeTimeout) {
    this.session = session;
    this.writeTimeout = writeTimeout;
  }

  @Override
  public void send(String type, @Nullable String id, String json) throws IOException {
    Throwable failed = failure;
    if (failed != null || !session.isOpen()) {
      throw new IOException("websocket closed", failed);
    }
    try {
      if (!window.tryAcquire(writeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException("client did not read for " + writeTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    session.sendText(
        json,
        Callback.from(
            window::release,
            x -> {
              failure = x;
              window.release();
            }));
  }

  @Override
  public void close(String reason) {
    if (session.isOpen()) {
      String r = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
      session.close(CLOSE_ENDED, r, Callback.NOOP);
    }
  }
}
