package dev.mailroom.client;

import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.SkippedMessage;
import dev.mailroom.protocol.StreamEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One WebSocket connection to {@code /v1/stream}: reads events one frame at a time, hands each to
 * the stream, and reads the next only when the stream says there is room (or later, through {@link
 * #resume()}). Thread-safe.
 */
final class StreamConnection implements WebSocket.Listener, AckSender.FrameSender {

  /** Receives the events of a connection, in order, on the connection's reading thread. */
  interface Events {
    /** Handles an event; answers whether to read the next one now. */
    boolean onEvent(StreamConnection connection, StreamEvent event);

    /**
     * Hears of deliveries that came but could not be decoded, before the event with those of its
     * deliveries that could (if any).
     *
     * @param lastId the id of the event's last delivery, decoded or not, if known
     */
    void onSkipped(List<SkippedMessage> skipped, Optional<String> lastId);
  }

  /** How a connection ended. */
  record Ended(int code, String reason) {
    static final int ABORTED = -1;
  }

  private final JsonMapper mapper;
  private final Events events;
  private final CompletableFuture<Ended> ended = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicInteger pauses = new AtomicInteger();
  private volatile long lastHeard = System.nanoTime();
  private volatile @Nullable WebSocket socket;

  private StreamConnection(JsonMapper mapper, Events events) {
    this.mapper = mapper;
    this.events = events;
  }

  /**
   * Opens a connection.
   *
   * @throws MailroomClientException if the server refused the upgrade (with its problem) or could
   *     not be reached
   */
  static StreamConnection open(
      HttpClient http,
      URI uri,
      Optional<String> token,
      Duration connectTimeout,
      JsonMapper mapper,
      Events events) {
    StreamConnection c = new StreamConnection(mapper, events);
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(connectTimeout);
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    try {
      b.buildAsync(uri, c).get(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      return c;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        throw refused(h.getResponse(), mapper);
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw MailroomClientException.connection(
          "could not open the stream at " + uri + ": " + Rest.describe(cause), cause);
    } catch (TimeoutException e) {
      throw MailroomClientException.connection(
          "opening the stream at " + uri + " timed out after " + connectTimeout.multipliedBy(2), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MailroomClientException.connection("interrupted while opening the stream", e);
    }
  }

  private static String describe(RuntimeException e) {
    return e instanceof JacksonException j ? Json.describe(j) : String.valueOf(e.getMessage());
  }

  private static MailroomClientException refused(HttpResponse<?> r, JsonMapper mapper) {
    byte[] body =
        switch (r.body()) {
          case byte[] bytes -> bytes;
          case String s -> s.getBytes(StandardCharsets.UTF_8);
          case null, default -> new byte[0];
        };
    return ErrorAnswers.of(r.statusCode(), r.headers(), body, mapper);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    lastHeard = System.nanoTime();
    partial.append(data);
    if (!last) {
      ws.request(1);
      return null;
    }
    String json = partial.toString();
    partial.setLength(0);
    StreamEvent event;
    try {
      event = StreamEvent.parse(mapper, json);
    } catch (RuntimeException e) {
      Optional<Salvage.StreamEvents> salvaged = Salvage.event(mapper, json);
      if (salvaged.isEmpty()) {
        abort("unreadable event: " + describe(e));
        return null;
      }
      events.onSkipped(salvaged.get().skipped(), salvaged.get().lastId());
      if (salvaged.get().event().isEmpty()) {
        ws.request(1);
        return null;
      }
      event = salvaged.get().event().get();
    }
    if (events.onEvent(this, event)) {
      ws.request(1);
    } else {
      pauses.incrementAndGet();
    }
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    ended.complete(new Ended(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    ended.complete(new Ended(Ended.ABORTED, "connection failed: " + Rest.describe(error)));
  }

  /** Reads the next frame: the stream has room again after {@link Events#onEvent} said no. */
  void resume() {
    pauses.decrementAndGet();
    lastHeard = System.nanoTime();
    WebSocket ws = socket;
    if (ws != null) {
      ws.request(1);
    }
  }

  /** How long nothing arrived while the connection was reading (0 while it holds back). */
  Duration silence() {
    return pauses.get() > 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastHeard);
  }

  CompletableFuture<Ended> ended() {
    return ended;
  }

  /** Sends a text frame; at most one may be on its way at a time. */
  @Override
  public CompletableFuture<?> sendText(String text) {
    WebSocket ws = socket;
    if (ws == null || ended.isDone()) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    return ws.sendText(text, true);
  }

  /** Closes politely: a close frame, then waits up to {@code grace} for the server's. */
  void close(Duration grace) {
    WebSocket ws = socket;
    if (ws == null || ended.isDone()) {
      return;
    }
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closed")
          .thenCompose(x -> ended)
          .get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      abort("closing timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort("interrupted while closing");
    }
  }

  /** Drops the connection at once. */
  void abort(String reason) {
    ended.complete(new Ended(Ended.ABORTED, reason));
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }
}
