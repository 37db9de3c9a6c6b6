package dev.mailroom.client;

import dev.mailroom.protocol.Health;
import dev.mailroom.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of one Mailroom server, calling it as one agent (the bearer token's).
 *
 * <pre>{@code
 * try (MailroomClient client = MailroomClient.create(URI.create("http://127.0.0.1:8080"), token)) {
 *   client.messages().send(Draft.direct("bob").text("hi bob"));
 *   MessagePage unread = client.messages().inbox(ListQuery.builder().unread(true).build());
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> The client is immutable and thread-safe: share one across threads. Every REST
 * method blocks the calling thread until the answer (virtual threads are a good fit) and throws
 * {@link MailroomClientException} on failure. The groups ({@link #messages()}, {@link #topics()},
 * ...) are immutable views of the client. Uploads ({@link #uploads()}) send their parts on a few
 * threads of their own, which end with the upload.
 *
 * <p><b>Streams.</b> {@link #stream(StreamOptions, MessageHandler)} opens a WebSocket to {@code
 * /v1/stream} and hands every message pushed to the handler, on the stream's own thread, one at a
 * time, in the order received. What it guarantees:
 *
 * <ul>
 *   <li><b>Reconnects</b> by itself when the connection drops, the server restarts or nothing (not
 *       even a heartbeat) arrives for {@link StreamOptions#missedHeartbeats()} intervals, with
 *       exponential back-off and jitter ({@link Backoff}), resuming after the last id received
 *       ({@code last_event_id}). It gives up only when the server refuses the token or the request,
 *       when another stream of the same agent displaces it, or after {@link
 *       StreamOptions#maxReconnectAttempts()} failed attempts in a row.
 *   <li><b>Acknowledges</b> each message when the handler returns normally ({@link
 *       StreamOptions.AckMode#AUTO}) or when it calls {@link IncomingMessage#ack()} ({@link
 *       StreamOptions.AckMode#MANUAL}). A handler that throws acknowledges nothing: the server
 *       pushes the message again, up to its attempt limit, then dead-letters it.
 *   <li><b>At most once to the handler per acknowledged id</b>: the server pushes again what it did
 *       not record as acknowledged (an acknowledgement lost with a dropped connection); the stream
 *       remembers the last {@link StreamOptions#rememberedIds()} acknowledged ids, acknowledges
 *       such a push again and does not hand it to the handler. A push of an id that waits or is
 *       being handled is dropped too. Memory is per stream object: a new process starts with none.
 *   <li><b>Bounded memory and back-pressure</b>: at most {@link StreamOptions#queueCapacity()}
 *       messages (plus one batch) wait for the handler; beyond that the stream stops reading the
 *       socket until the handler catches up, so a slow handler slows only its own stream. Keep
 *       handlers quicker than the server's acknowledgement deadline (1 s, doubling per attempt, by
 *       default), or acknowledge early in manual mode: what waits unacknowledged too long is pushed
 *       again and, after its last attempt, dead-lettered.
 * </ul>
 *
 * <p>{@link #close()} closes the HTTP client if this client created it; a client built with a
 * shared {@link HttpClient} leaves it open. Open streams are closed by their own {@link
 * MessageStream#close()}.
 */
public final class MailroomClient implements AutoCloseable {
  /** The address of a server started with its defaults. */
  public static final URI DEFAULT_URI = URI.create("http://127.0.0.1:8080");

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicInteger STREAMS = new AtomicInteger();

  private final Rest rest;
  private final Duration connectTimeout;
  private final SendRetry sendRetry;
  private final boolean ownsHttp;

  private MailroomClient(
      Rest rest, Duration connectTimeout, SendRetry sendRetry, boolean ownsHttp) {
    this.rest = rest;
    this.connectTimeout = connectTimeout;
    this.sendRetry = sendRetry;
    this.ownsHttp = ownsHttp;
  }

  /** A client of the server at {@code baseUri}, as the agent whose token this is. */
  public static MailroomClient create(URI baseUri, String token) {
    return builder().baseUri(baseUri).token(token).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A client of the same server as the agent whose token this is, sharing this client's HTTP
   * client. Closing the new client never closes the HTTP client; close this one last.
   */
  public MailroomClient withToken(String token) {
    return new MailroomClient(rest.withToken(token), connectTimeout, sendRetry, false);
  }

  public URI baseUri() {
    return rest.base();
  }

  /** Sending, reading, listings, read state, acknowledgements. */
  public Messages messages() {
    return new Messages(rest, sendRetry);
  }

  /** What is owed to the caller and by it: acknowledgements and replies asked for. */
  public Obligations obligations() {
    return new Obligations(rest);
  }

  /** Conversation threads: a thread's messages wherever they are, summaries. */
  public Threads threads() {
    return new Threads(rest);
  }

  /** Full-text search over the messages the caller may read. */
  public Search search() {
    return new Search(rest);
  }

  /** Files sent in parts, to attach to sends ({@code /v1/uploads}). */
  public Uploads uploads() {
    return new Uploads(rest, sendRetry);
  }

  /** The files messages carry: list, download, open ({@code /v1/messages/{id}/attachments}). */
  public Attachments attachments() {
    return new Attachments(rest, sendRetry);
  }

  public Subscriptions subscriptions() {
    return new Subscriptions(rest);
  }

  public Topics topics() {
    return new Topics(rest);
  }

  /** The caller's dead letters (for an admin's list and purge of all: everyone's). */
  public DeadLetters deadLetters() {
    return new DeadLetters(rest, Optional.empty());
  }

  /** One agent's dead letters, handled by an admin ({@code ?agent=}). */
  public DeadLetters deadLetters(String agent) {
    return new DeadLetters(rest, Optional.of(agent));
  }

  public Agents agents() {
    return new Agents(rest);
  }

  /** Enrollments: secrets with which agents register themselves (admins only). */
  public Enrollments enrollments() {
    return new Enrollments(rest);
  }

  public Acl acl() {
    return new Acl(rest);
  }

  public Roles roles() {
    return new Roles(rest);
  }

  /** Reservations of paths in projects, and the pre-commit check ({@code /v1/reservations}). */
  public Reservations reservations() {
    return new Reservations(rest);
  }

  /** The audit log (admins only). */
  public Audit audit() {
    return new Audit(rest);
  }

  /** The log levels of the server process this client calls (admins only). */
  public LogLevels logLevels() {
    return new LogLevels(rest);
  }

  /**
   * Statistics of the system (admins only), of a mailbox (whoever may read it) and of an agent (the
   * agent itself or an admin).
   */
  public Stats stats() {
    return new Stats(rest);
  }

  /** The alert rules and firing alerts of the server process this client calls (admins only). */
  public Alerts alerts() {
    return new Alerts(rest);
  }

  /** The server's health ({@code GET /health}, no token needed); {@code DOWN} is an answer too. */
  public Health health() {
    return rest.get("health").accepting(503).fetch(Health.class);
  }

  /** The server's metrics ({@code GET /metrics}). */
  public Metrics metrics() {
    return Metrics.parse(rest.get("metrics").fetchText());
  }

  /** Opens a stream with the default options; see the class comment for its guarantees. */
  public MessageStream stream(MessageHandler handler) {
    return stream(StreamOptions.DEFAULTS, handler);
  }

  /**
   * Opens a stream of the caller's deliveries ({@code GET /v1/stream} over a WebSocket). Returns at
   * once; the stream connects in the background and keeps connecting until closed or failed. See
   * the class comment for its guarantees.
   */
  public MessageStream stream(StreamOptions options, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    ResilientStream s =
        new ResilientStream(
            after -> streamUri(after, options.serverAutoAck()),
            (uri, events) ->
                StreamConnection.open(
                    rest.http(), uri, rest.token(), connectTimeout, rest.mapper(), events),
            options,
            handler,
            rest.mapper(),
            "mailroom-stream-" + STREAMS.incrementAndGet());
    s.start();
    return s;
  }

  private URI streamUri(Optional<String> lastEventId, boolean autoAck) {
    List<Map.Entry<String, String>> query = new ArrayList<>();
    lastEventId.ifPresent(id -> query.add(Map.entry("last_event_id", id)));
    if (autoAck) {
      query.add(Map.entry("auto_ack", "true"));
    }
    // Deliveries the server has ready at once come in one frame; each is still handled on its own.
    query.add(Map.entry("coalesce", "true"));
    URI http = rest.uri(List.of("v1", "stream"), query);
    String scheme = "https".equalsIgnoreCase(http.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + http.toString().substring(http.getScheme().length()));
  }

  @Override
  public void close() {
    if (ownsHttp) {
      rest.http().close();
    }
  }

  @Override
  public String toString() {
    return "MailroomClient[" + rest.base() + "]";
  }

  /** Sets up a {@link MailroomClient}. Not thread-safe. */
  public static final class Builder {
    private URI baseUri = DEFAULT_URI;
    private Optional<String> token = Optional.empty();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private @Nullable HttpClient http;
    private SendRetry sendRetry = SendRetry.DEFAULT;
    private boolean strict;

    private Builder() {}

    /** The server, e.g. {@code http://127.0.0.1:8080}; default {@link #DEFAULT_URI}. */
    public Builder baseUri(URI value) {
      String scheme = String.valueOf(value.getScheme());
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("the server's URI must be http:// or https://");
      }
      baseUri = value;
      return this;
    }

    /** The agent's bearer token; without one only {@code health()} and {@code metrics()} work. */
    public Builder token(String value) {
      token = Optional.of(Objects.requireNonNull(value, "token"));
      return this;
    }

    /** How long opening a connection may take; default 10 s. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** How long a request may wait for its answer (a long poll: plus its wait); default 30 s. */
    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    /**
     * How sends are retried when they get no answer or {@code 503} (see {@link SendRetry}), and the
     * parts of uploads and downloads too; default {@link SendRetry#DEFAULT}, up to 30 s; {@link
     * SendRetry#NONE} never retries.
     */
    public Builder sendRetry(SendRetry value) {
      sendRetry = Objects.requireNonNull(value, "sendRetry");
      return this;
    }

    /**
     * An HTTP client to share (its own connect timeout and executor apply); the Mailroom client
     * will not close it. Default: one of its own.
     */
    public Builder httpClient(HttpClient value) {
      http = value;
      return this;
    }

    /**
     * Refuse answers with fields the SDK does not know (default: ignore them, so the SDK keeps
     * working against a newer server). For tests that the records match the server.
     */
    Builder strict(boolean value) {
      strict = value;
      return this;
    }

    public MailroomClient build() {
      JsonMapper mapper = strict ? Json.mapper() : Json.tolerantMapper();
      boolean owns = http == null;
      HttpClient client =
          http != null
              ? http
              : HttpClient.newBuilder()
                  .connectTimeout(connectTimeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build();
      return new MailroomClient(
          new Rest(client, baseUri, token, requestTimeout, mapper),
          connectTimeout,
          sendRetry,
          owns);
    }
  }
}
