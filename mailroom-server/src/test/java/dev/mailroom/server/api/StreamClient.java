package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A test client of {@code GET /v1/stream}, over a WebSocket or SSE: it collects the events the
 * server pushes so a test can take them in order.
 */
abstract class StreamClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  /** One pushed event: its SSE id (null over a WebSocket) and its JSON. */
  record Event(@Nullable String id, JsonNode json) {
    String type() {
      return json.get("type").asString();
    }
  }

  protected final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

  /** The next event that is not a heartbeat, or fails after {@code wait}. */
  Event next(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Event e;
      try {
        e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(x);
      }
      assertThat(e).as("an event within %s", wait).isNotNull();
      if (!e.type().equals("heartbeat")) {
        return e;
      }
    }
  }

  Event next() {
    return next(WAIT);
  }

  /** The next event, which must be a pushed message; returns it. */
  Event nextMessage() {
    Event e = next();
    assertThat(e.type()).as("%s", e.json()).isEqualTo("message");
    return e;
  }

  /** The next {@code n} pushed messages' ids, in order. */
  List<String> messageIds(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(nextMessage().json().get("id").asString());
    }
    return ids;
  }

  /** Nothing but heartbeats arrives within {@code wait}. */
  void assertQuiet(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      Event e;
      try {
        e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(x);
      }
      if (e != null) {
        assertThat(e.type()).as("no push expected, got %s", e.json()).isEqualTo("heartbeat");
      }
    }
  }

  /** Acknowledges messages the way this transport does. */
  abstract void ack(List<String> ids);

  /** Drops the connection abruptly, without a closing handshake. */
  abstract void abort();

  @Override
  public abstract void close();

  // ----- WebSocket -----

  static Ws webSocket(URI base, String token, String query) {
    return new Ws(base, token, query);
  }

  static final class Ws extends StreamClient implements WebSocket.Listener {
    private final HttpClient http = ApiClient.newHttpClient();
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    private volatile @Nullable Integer closeCode;

    private final boolean reading;

    Ws(URI base, String token, String query) {
      this(base, token, query, true);
    }

    /** A client that, unless {@code reading}, takes the first event and then stops reading. */
    Ws(URI base, String token, String query, boolean reading) {
      this.reading = reading;
      URI uri = URI.create("ws://" + base.getAuthority() + "/v1/stream" + query);
      socket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(uri, this)
              .join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        events.add(new Event(null, Json.parse(partial.toString())));
        partial.setLength(0);
      }
      if (reading) {
        ws.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode = statusCode;
      return null;
    }

    @Nullable Integer closeCode() {
      return closeCode;
    }

    @Override
    void ack(List<String> ids) {
      socket.sendText(Json.write(Json.object("type", "ack", "ids", ids)), true).join();
    }

    void sendRaw(String text) {
      socket.sendText(text, true).join();
    }

    @Override
    void abort() {
      socket.abort();
      http.shutdownNow();
    }

    @Override
    public void close() {
      try {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // not closed cleanly: abort below
      }
      socket.abort();
      http.shutdownNow(); // close() would wait for a socket whose peer is still writing
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      // the test sees the missing events
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1);
      return null;
    }
  }

  // ----- SSE -----

  static Sse sse(ApiClient acks, URI base, String token, String query, @Nullable String lastId) {
    return new Sse(acks, base, token, query, lastId);
  }

  static final class Sse extends StreamClient {
    private final ApiClient acks;
    private final HttpClient http = ApiClient.newHttpClient();
    private final Thread reader;
    private volatile @Nullable Stream<String> lines;
    private volatile int status;

    Sse(ApiClient acks, URI base, String token, String query, @Nullable String lastId) {
      this.acks = acks;
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve("/v1/stream" + query))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "text/event-stream");
      if (lastId != null) {
        b.header("Last-Event-ID", lastId);
      }
      HttpResponse<Stream<String>> response;
      try {
        response = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      status = response.statusCode();
      lines = response.body();
      reader = Thread.ofVirtual().start(this::read);
    }

    int status() {
      return status;
    }

    private void read() {
      String id = null;
      StringBuilder data = new StringBuilder();
      try {
        for (var it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.isEmpty()) {
            if (!data.isEmpty()) {
              events.add(new Event(id, Json.parse(data.toString())));
            }
            id = null;
            data.setLength(0);
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("data: ")) {
            data.append(line.substring(6));
          }
        }
      } catch (RuntimeException e) {
        // connection closed
      }
    }

    @Override
    void ack(List<String> ids) {
      for (String id : ids) {
        Response r = acks.post("/v1/messages/" + id + "/ack", null);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
      }
    }

    @Override
    void abort() {
      close();
    }

    @Override
    public void close() {
      Stream<String> l = lines;
      if (l != null) {
        l.close();
      }
      http.shutdownNow();
      reader.interrupt();
    }
  }
}
