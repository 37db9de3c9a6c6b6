package dev.mailroom.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An agent's {@code /v1/stream} over the JDK's WebSocket client, with what it received: the text
 * events in one queue, pongs and the close (as {@code closed <code> <reason>}) in another. Events
 * are queued by the client's thread and read by the test's. Close it to let go of its connection.
 */
final class StreamClient implements WebSocket.Listener, AutoCloseable {
  private final HttpClient client = HttpClient.newHttpClient();
  private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> signals = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket ws;

  private StreamClient(URI server, String token) {
    URI uri = URI.create(server.toString().replaceFirst("^http", "ws") + "/v1/stream");
    ws =
        client
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(uri, this)
            .join();
  }

  /**
   * Opens the stream of the agent of {@code token}.
   *
   * @throws java.util.concurrent.CompletionException if the upgrade is refused
   */
  static StreamClient open(URI server, String token) {
    return new StreamClient(server, token);
  }

  WebSocket socket() {
    return ws;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      events.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    signals.add("pong " + StandardCharsets.UTF_8.decode(message));
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    signals.add("closed " + statusCode + " " + reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    signals.add("closed 1006 (the connection failed)");
  }

  /** {@code pong}, {@code closed <code> <reason>}, or what else happened within the wait. */
  String awaitPongOrClose(String ping, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      String s = signals.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (s == null) {
        return "no pong within " + wait.toSeconds() + " s";
      }
      if (s.equals("pong " + ping)) {
        return "pong";
      }
      if (s.startsWith("closed")) {
        return s;
      }
    }
  }

  /** The next event or close within the wait, or null. */
  String next(Duration wait) throws InterruptedException {
    String event = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    return event != null ? event : signals.poll();
  }

  /** The events received and not read yet. */
  List<String> drained() {
    List<String> got = new ArrayList<>();
    events.drainTo(got);
    return got;
  }

  @Override
  public void close() {
    ws.abort();
    client.close();
  }
}
