package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Principal;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.SendResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends over an open WebSocket: the client writes {@code
 * {"type":"send","ref":"r1","message":{...}}} (the message as {@code POST /v1/messages} takes it)
 * as often as it likes without waiting, and gets {@code {"type":"sent","ref":"r1","id":...}} for
 * each once it is durable, or {@code {"type":"error","ref":"r1","status":...}} with the problem it
 * would get over HTTP.
 *
 * <p>Frames are checked as they arrive; those that pass wait in a bounded queue (at most {@value
 * #MAX_IN_FLIGHT} per connection; beyond it a send is refused with 429) and one virtual thread per
 * connection stores them in arrival order, up to {@value SendRequestMapper#MAX_BATCH} at a time
 * through {@link MessageService#sendAll} (on SQLite one commit for all of them). If that batch is
 * refused because of one of its messages, each is sent on its own, so only that one is refused.
 * Answers therefore come in the order the sends were made. Each send is rate-limited and audited as
 * a request of its own; the token and the agent's roles are looked up again for every batch.
 *
 * <p>Answers share the stream's window of frames the client has not read yet: a client that sends
 * without reading its answers is slowed down (and its connection ends after the write timeout),
 * never buffered for. Thread-safe: {@link #frame} is called by the socket's reader; the queue hands
 * over to the sending thread, which ends whenever the queue is empty.
 */
final class StreamSends {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSends.class);

  /** The most sends one connection may have waiting for their answer. */
  static final int MAX_IN_FLIGHT = 1024;

  /** The longest {@code ref} a client may give a send. */
  static final int MAX_REF = 64;

  /** What the sends of every connection share. */
  record Services(
      MessageService messages,
      SendRequestMapper mapper,
      ServerMetrics metrics,
      AuditCapture audit,
      RateLimits limits,
      Authenticator authenticator,
      AgentStore agents,
      JsonMapper json) {}

  private record Pending(String ref, String requestId, Draft draft) {}

  /** Writes one answer frame to the client, waiting while too many are unread. */
  @FunctionalInterface
  interface Answers {
    /**
     * @throws IOException if the connection is gone, or the client has not read for the write
     *     timeout
     */
    void send(String frame) throws IOException;
  }

  private final Services services;
  private final AgentId agent;
  private final String tokenHash;
  private final String connection;
  private final Answers client;
  private volatile boolean lost;
  private final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_IN_FLIGHT);
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param connection a name for this connection, the start of its sends' request ids
   * @param client writes one answer to the client, sharing the stream's window of unread frames: a
   *     client that sends without reading the answers is slowed down, not buffered for
   */
  StreamSends(
      Services services, AgentId agent, String tokenHash, String connection, Answers client) {
    this.services = services;
    this.agent = agent;
    this.tokenHash = tokenHash;
    this.connection = connection;
    this.client = client;
  }

  /** One {@code send} frame: refused at once if it is malformed, else queued in order. */
  /**
   * The draft with the frame's {@code traceparent} in its metadata, as a REST send carries its
   * header's: the W3C trace context of this one send.
   */
  private Draft traced(JsonNode frame, Draft draft) {
    JsonNode given = frame.get(TraceContext.HEADER);
    if (given == null) {
      return draft;
    }
    Optional<String> traceparent =
        given.isString() ? TraceContext.parse(given.stringValue()) : Optional.empty();
    if (traceparent.isEmpty()) {
      throw MailroomException.InvalidRequest.field(
          TraceContext.HEADER,
          "must be a W3C traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>");
    }
    return TraceContext.carry(traceparent.get(), draft, services.json());
  }

  void frame(JsonNode frame) {
    String requestId = connection + "-" + sequence.incrementAndGet();
    JsonNode refNode = frame.get("ref");
    if (refNode == null
        || !refNode.isString()
        || refNode.stringValue().isEmpty()
        || refNode.stringValue().length() > MAX_REF) {
      refuse(
          null,
          requestId,
          MailroomException.InvalidRequest.field(
              "ref", "must be a string of 1 to " + MAX_REF + " characters, naming this send"));
      return;
    }
    String ref = refNode.stringValue();
    try {
      services.limits().admitAgent(agent);
      if (!(frame.get("message") instanceof ObjectNode message)) {
        throw MailroomException.InvalidRequest.field(
            "message", "must be an object: a message as POST /v1/messages takes it");
      }
      Draft draft;
      try {
        draft = services.mapper().map(message);
      } catch (MailroomException e) {
        throw e.forItem("message");
      }
      draft = traced(frame, draft);
      if (!queue.offer(new Pending(ref, requestId, draft))) {
        throw MailroomException.LimitExceeded.rateLimited(
            MAX_IN_FLIGHT + " sends are waiting for their answer on this stream",
            Duration.ofSeconds(1));
      }
    } catch (MailroomException e) {
      refuse(ref, requestId, e);
      return;
    }
    if (sending.compareAndSet(false, true)) {
      Thread.ofVirtual().name("stream-sends-" + agent).start(this::sendQueued);
    }
  }

  /** Sends what is queued, batch by batch, until the queue is empty. */
  private void sendQueued() {
    while (true) {
      List<Pending> batch = new ArrayList<>(SendRequestMapper.MAX_BATCH);
      queue.drainTo(batch, SendRequestMapper.MAX_BATCH);
      if (batch.isEmpty()) {
        sending.set(false);
        // A frame queued after the drain but before the flag was cleared found the flag set.
        if (queue.isEmpty() || !sending.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      try {
        send(batch);
      } catch (RuntimeException e) {
        LOG.error("stream sends of {} failed", agent, e);
        for (Pending p : batch) {
          refuse(p.ref(), p.requestId(), new MailroomException.Unavailable("send failed", e));
        }
      }
    }
  }

  private void send(List<Pending> batch) {
    Principal caller;
    try {
      caller = caller();
    } catch (MailroomException e) {
      batch.forEach(p -> refuse(p.ref(), p.requestId(), e));
      return;
    }
    List<Draft> drafts = batch.stream().map(Pending::draft).toList();
    List<SendResult> results;
    try {
      results = services.messages().sendAll(caller, drafts, "messages");
    } catch (MailroomException.Unavailable e) {
      batch.forEach(p -> refuse(p.ref(), p.requestId(), e));
      return;
    } catch (MailroomException e) {
      // One of them is refused: send each on its own, so that only that one is.
      for (Pending p : batch) {
        try {
          sent(p, services.messages().send(caller, p.draft()));
        } catch (MailroomException one) {
          refuse(p.ref(), p.requestId(), one);
        }
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      sent(batch.get(i), results.get(i));
    }
  }

  /** The sender as it is now: its token still valid, its roles as they are. */
  private Principal caller() {
    if (!services.authenticator().stillValid(agent, tokenHash)) {
      throw new MailroomException.Unauthenticated("the stream's token is no longer valid");
    }
    return services
        .agents()
        .find(agent)
        .map(a -> new Authenticator.Authenticated(a, tokenHash).principal())
        .orElseThrow(() -> new MailroomException.Unauthenticated("the agent no longer exists"));
  }

  private void sent(Pending p, SendResult result) {
    services.metrics().recordSend(p.draft().mode(), result);
    ObjectNode frame = services.json().createObjectNode();
    frame.put("type", "sent");
    frame.put("ref", p.ref());
    frame.put("id", result.id().toString());
    frame.put("timestamp", result.id().timestamp().toString());
    frame.put("recipients", result.recipients());
    if (result instanceof SendResult.Duplicate) {
      frame.put("duplicate", true);
    }
    if (result instanceof SendResult.Spooled) {
      frame.put("spooled", true);
    }
    audit(p.requestId(), target(p.draft()), 201, Optional.empty());
    answer(frame);
  }

  private void refuse(@Nullable String ref, String requestId, MailroomException e) {
    ErrorMapping mapping = ErrorMapping.of(e.code());
    ObjectNode frame = services.json().createObjectNode();
    frame.put("type", "error");
    if (ref != null) {
      frame.put("ref", ref);
    }
    frame.put("status", mapping.status());
    frame.put("problem", mapping.type());
    frame.put("detail", e.getMessage());
    frame.put("request_id", requestId);
    if (e instanceof MailroomException.InvalidRequest invalid) {
      ArrayNode errors = frame.putArray("errors");
      for (FieldError f : invalid.errors()) {
        errors.addObject().put("field", f.field()).put("message", f.message());
      }
    }
    audit(requestId, AuditCapture.NONE, mapping.status(), Optional.of(e.getMessage()));
    answer(frame);
  }

  /**
   * Writes an answer; once one could not be written the connection is lost (its stream ends on its
   * own), and the answers left are dropped: what was sent is stored all the same.
   */
  private void answer(ObjectNode frame) {
    if (lost) {
      return;
    }
    try {
      client.send(services.json().writeValueAsString(frame));
    } catch (IOException e) {
      lost = true;
      LOG.debug("stream sends of {}: the connection is lost", agent, e);
    }
  }

  private void audit(String requestId, String resource, int status, Optional<String> detail) {
    services
        .audit()
        .endpointRequest(
            requestId,
            Optional.of(agent),
            "POST",
            "/v1/messages (stream)",
            resource,
            status,
            detail);
  }

  private static String target(Draft draft) {
    return draft.target().map(MailboxName::value).orElse("*");
  }
}
