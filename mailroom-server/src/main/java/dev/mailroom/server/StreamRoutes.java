package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.JsonLimitException;
import dev.mailroom.server.stream.SseTransport;
import dev.mailroom.server.stream.StreamCredential;
import dev.mailroom.server.stream.StreamFrames;
import dev.mailroom.server.stream.StreamHub;
import dev.mailroom.server.stream.StreamSession;
import dev.mailroom.server.stream.WebSocketTransport;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/stream}: a WebSocket upgrade, or Server-Sent Events with {@code Accept:
 * text/event-stream}. Query parameters: {@code last_event_id} (or the {@code Last-Event-ID} header)
 * to resume, {@code auto_ack=true} to count pushes of the agent's own mailbox as acknowledged,
 * {@code coalesce=true} to get the deliveries pushed at once together in one {@code deliveries}
 * event. Over a WebSocket the client acknowledges with {@code {"type":"ack","ids":["…"]}} (or
 * {@code "id"}); over SSE with {@code POST /v1/messages/{id}/ack}.
 */
final class StreamRoutes {
  static final String EVENT_STREAM = "text/event-stream";
  private static final Set<String> PARAMETERS = Set.of("last_event_id", "auto_ack", "coalesce");
  private static final String SESSION = "mailroom.stream";
  private static final int MAX_ACKS_PER_FRAME = 1000;

  private final StreamHub hub;
  private final Authenticator authenticator;
  private final RateLimits limits;
  private final JsonMapper mapper;
  private final StreamFrames frames;
  private final DeliverySettings settings;
  private final AuditCapture audit;
  private final StreamSends.Services sends;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();

  /** An open WebSocket: its stream, its transport, and the sends its client makes over it. */
  private record Socket(StreamSession stream, WebSocketTransport transport, StreamSends sends) {
    /**
     * Tells the client a frame was not understood, through the stream's window of unread frames (a
     * client that sends without reading is slowed down, never buffered for).
     */
    void refuse(String json) {
      try {
        transport.send("error", null, json);
      } catch (IOException e) {
        // The connection is gone or stuck: its stream ends on its own.
      }
    }
  }

  StreamRoutes(
      StreamHub hub,
      Authenticator authenticator,
      RateLimits limits,
      JsonMapper mapper,
      StreamFrames frames,
      DeliverySettings settings,
      AuditCapture audit,
      StreamSends.Services sends) {
    this.hub = hub;
    this.authenticator = authenticator;
    this.limits = limits;
    this.mapper = mapper;
    this.frames = frames;
    this.settings = settings;
    this.audit = audit;
    this.sends = sends;
  }

  private record Options(boolean autoAck, Optional<MessageId> resumeAfter, boolean coalesce) {}

  private static Options options(Map<String, List<String>> query, @Nullable String lastEventId) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(query, errors).allow(PARAMETERS);
    boolean autoAck = q.single("auto_ack", ListingParser::bool).orElse(false);
    boolean coalesce = q.single("coalesce", ListingParser::bool).orElse(false);
    Optional<MessageId> after = q.single("last_event_id", s -> MessageId.parse(s.strip()));
    if (after.isEmpty() && lastEventId != null && !lastEventId.isBlank()) {
      after = errors.capture("last_event_id", () -> MessageId.parse(lastEventId.strip()));
    }
    errors.throwIfAny();
    return new Options(autoAck, after, coalesce);
  }

  /** {@code GET /v1/stream} without an upgrade: SSE, on this request's own virtual thread. */
  void sse(Context ctx) {
    Options o = options(ctx.queryParamMap(), ctx.header("Last-Event-ID"));
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains(EVENT_STREAM)) {
      throw MailroomException.InvalidRequest.field(
          "Accept",
          "GET /v1/stream is a WebSocket upgrade, or Server-Sent Events with Accept: "
              + EVENT_STREAM);
    }
    Authenticator.Authenticated caller =
        authenticator.authenticateFully(
            Authenticator.authorization(ctx.req().getHeaders("Authorization")));
    try {
      ctx.res().setStatus(200);
      ctx.res().setContentType(EVENT_STREAM + ";charset=utf-8");
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
      var out = ctx.res().getOutputStream();
      var session =
          hub.open(
              caller.agent().id(),
              credential(caller),
              new SseTransport(out),
              o.autoAck(),
              o.resumeAfter(),
              o.coalesce());
      audit.streamOpened(ctx);
      hub.run(session);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Authenticates the upgrade request; a refusal is an ordinary HTTP problem answer. */
  void beforeUpgrade(Context ctx) {
    Authenticator.Authenticated caller =
        limits.admit(
            authenticator,
            Authenticator.authorization(ctx.req().getHeaders("Authorization")),
            ctx.ip());
    Exchanges.principal(ctx, caller.principal());
    Options o = options(ctx.queryParamMap(), ctx.header("Last-Event-ID"));
    hub.checkCapacity(caller.agent().id()); // refused as an HTTP 503 before the upgrade
    ctx.attribute(SESSION, new Pending(caller, o));
  }

  private static StreamCredential credential(Authenticator.Authenticated who) {
    return new StreamCredential(who.tokenHash(), who.agent().tokenExpiresAt());
  }

  private record Pending(Authenticator.Authenticated caller, Options options) {}

  void configure(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          Pending p = ctx.attribute(SESSION);
          if (p == null) {
            ctx.closeSession(1008, "not authenticated");
            return;
          }
          ctx.session.setIdleTimeout(settings.heartbeat().multipliedBy(4));
          var transport = new WebSocketTransport(ctx.session, settings.writeTimeout());
          StreamSession session;
          try {
            session =
                hub.open(
                    p.caller().agent().id(),
                    credential(p.caller()),
                    transport,
                    p.options().autoAck(),
                    p.options().resumeAfter(),
                    p.options().coalesce());
          } catch (MailroomException.Unavailable e) {
            ctx.closeSession(1013, "try again later"); // RFC 6455: try again later
            return;
          }
          StreamSends streamSends =
              new StreamSends(
                  sends,
                  p.caller().agent().id(),
                  p.caller().tokenHash(),
                  "ws-" + ctx.sessionId(),
                  frame -> transport.send("sent", null, frame));
          sockets.put(ctx.sessionId(), new Socket(session, transport, streamSends));
          hub.start(session);
        });
    ws.onMessage(this::clientFrame);
    ws.onClose(ctx -> closed(ctx));
    ws.onError(ctx -> closed(ctx));
  }

  private void closed(WsContext ctx) {
    Socket s = sockets.remove(ctx.sessionId());
    if (s != null) {
      s.stream().close("client closed the connection");
    }
  }

  /**
   * {@code {"type":"ack","ids":[…]}} or {@code {"type":"ack","id":"…"}}; or {@code
   * {"type":"send","ref":"…","message":{…}}} ({@link StreamSends}).
   */
  private void clientFrame(WsMessageContext ctx) {
    Socket socket = sockets.get(ctx.sessionId());
    if (socket == null) {
      return;
    }
    StreamSession h = socket.stream();
    try {
      JsonNode frame = mapper.readTree(ctx.message());
      Optional<String> malformed = JsonValues.malformedText(frame);
      if (malformed.isPresent()) {
        socket.refuse(frames.error("could not read the frame: it " + malformed.get()));
        return;
      }
      String type = frame.path("type").asString("");
      if (type.equals("send")) {
        socket.sends().frame(frame);
        return;
      }
      if (!type.equals("ack")) {
        socket.refuse(
            frames.error(
                "unknown frame type; expected {\"type\":\"ack\",\"ids\":[...]} or"
                    + " {\"type\":\"send\",\"ref\":\"...\",\"message\":{...}}"));
        return;
      }
      List<MessageId> ids = new ArrayList<>();
      if (frame.has("id")) {
        ids.add(messageId(frame.get("id")));
      }
      for (JsonNode id : frame.path("ids")) {
        if (ids.size() >= MAX_ACKS_PER_FRAME) {
          break;
        }
        ids.add(messageId(id));
      }
      if (!ids.isEmpty()) {
        h.acknowledgedByClient(ids);
      }
    } catch (JsonLimitException e) {
      socket.refuse(frames.error("could not read the frame: it " + e.getOriginalMessage()));
    } catch (JacksonException e) {
      socket.refuse(
          frames.error("could not read the frame: it is not valid JSON: " + Json.describe(e)));
    } catch (MailroomException.InvalidRequest e) {
      socket.refuse(frames.error("could not read the frame: " + e.getMessage()));
    } catch (NumberFormatException e) {
      // A number no decimal can hold (1e2147483648): the parser throws this, not a parse error.
      socket.refuse(frames.error("could not read the frame: it holds a number out of range"));
    }
  }

  /** A message id of an ack frame: a string (a number, however written, is not one). */
  private static MessageId messageId(JsonNode id) {
    if (!id.isString()) {
      throw MailroomException.InvalidRequest.field("id", "must be a message id, as a string");
    }
    return MessageId.parse(id.stringValue());
  }
}
