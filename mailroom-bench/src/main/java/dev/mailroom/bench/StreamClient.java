package dev.mailroom.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket stream client ({@code GET /v1/stream}) on the JDK's {@link HttpClient}: hands each
 * whole text frame to a consumer, on one thread at a time per connection, and can send {@code ack}
 * frames. Many connections share one client (one selector thread) and a small executor, so ten
 * thousand of them cost the load generator little besides their buffers.
 */
final class StreamClient implements AutoCloseable {
  private final ExecutorService executor;
  private final HttpClient http;
  private final URI uri;

  StreamClient(int port, int threads) {
    this.executor =
        Executors.newFixedThreadPool(
            threads, r -> Thread.ofPlatform().daemon().name("ws-client").unstarted(r));
    this.http =
        HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(30)).build();
    this.uri = URI.create("ws://127.0.0.1:" + port + "/v1/stream");
  }

  /** Opens one stream as the agent holding {@code token}; {@code frames} gets every text frame. */
  CompletableFuture<Connection> open(String token, Consumer<String> frames) {
    return open(token, "", frames);
  }

  /** Opens one stream with a query string ({@code "auto_ack=true"}, or empty for none). */
  CompletableFuture<Connection> open(String token, String query, Consumer<String> frames) {
    Connection c = new Connection(frames);
    return http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .buildAsync(query.isEmpty() ? uri : URI.create(uri + "?" + query), c)
        .thenApply(ws -> c);
  }

  /** The sequence number a bench payload carries ({@code "seq:N;"}), or -1. */
  static long seq(String frame) {
    int at = frame.indexOf("seq:");
    if (at < 0) {
      return -1;
    }
    long n = 0;
    for (int i = at + 4; i < frame.length(); i++) {
      char ch = frame.charAt(i);
      if (ch < '0' || ch > '9') {
        break;
      }
      n = n * 10 + (ch - '0');
    }
    return n;
  }

  /** The value of the first {@code "name":"value"} string field in a frame, or null. */
  static @Nullable String field(String frame, String name) {
    String key = "\"" + name + "\":\"";
    int at = frame.indexOf(key);
    if (at < 0) {
      return null;
    }
    int from = at + key.length();
    return frame.substring(from, frame.indexOf('"', from));
  }

  /** The event type of a frame: {@code connected}, {@code message}, {@code heartbeat}, ... */
  static String type(String frame) {
    String t = field(frame, "type");
    return t == null ? "" : t;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** One open stream. Frames arrive one at a time; {@link #ack} may be called from any thread. */
  static final class Connection implements WebSocket.Listener {
    private final Consumer<String> frames;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final List<String> toAck = new ArrayList<>();
    private @Nullable WebSocket socket;
    private boolean sending; // guarded by toAck

    Connection(Consumer<String> frames) {
      this.frames = frames;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(
        WebSocket webSocket, CharSequence data, boolean last) {
      if (last && partial.isEmpty()) {
        frames.accept(data.toString());
      } else {
        partial.append(data);
        if (last) {
          frames.accept(partial.toString());
          partial.setLength(0);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    /** Completes with the close code (-1 on an error) once the connection has ended. */
    CompletableFuture<Integer> closed() {
      return closed;
    }

    /**
     * Acknowledges a message id. Ids given while an ack frame is on its way go out together in the
     * next frame: the JDK's WebSocket takes one outstanding send at a time.
     */
    void ack(String id) {
      synchronized (toAck) {
        toAck.add(id);
        if (sending) {
          return;
        }
        sending = true;
      }
      sendAcks();
    }

    private void sendAcks() {
      String frame;
      synchronized (toAck) {
        if (toAck.isEmpty()) {
          sending = false;
          return;
        }
        frame = "{\"type\":\"ack\",\"ids\":[\"" + String.join("\",\"", toAck) + "\"]}";
        toAck.clear();
      }
      WebSocket ws = socket;
      if (ws == null) {
        return;
      }
      ws.sendText(frame, true).whenComplete((w, x) -> sendAcks());
    }

    /** Starts a normal close; {@link #closed()} completes when the server answers. */
    void close() {
      WebSocket ws = socket;
      if (ws != null && !ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(x -> ws);
      }
    }

    /** Drops the connection without a close handshake. */
    void abort() {
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
    }
  }
}
