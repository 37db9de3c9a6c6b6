package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Page;
import dev.mailroom.core.Principal;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.delivery.DeliveryService;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.protocol.AckResult;
import dev.mailroom.protocol.AskResponse;
import dev.mailroom.protocol.InboxSummary;
import dev.mailroom.protocol.ReaderList;
import dev.mailroom.protocol.SendBatchResponse;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.UnreadCount;
import dev.mailroom.server.stream.Presence;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** The message routes of {@code /v1}: send, read one, listings, read state, readers. */
final class MessageRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(MessageRoutes.class);

  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  /** Set on the answer to a send the node kept in its spool because its store was down. */
  static final String SPOOLED = "Mailroom-Spooled";

  static final String WAIT_SECONDS = "wait_seconds";
  static final long MAX_WAIT_SECONDS = 60;
  static final String TIMEOUT_SECONDS = "timeout_seconds";
  static final long DEFAULT_ASK_SECONDS = 30;
  private static final Set<String> READER_LIST_PARAMETERS = Set.of("limit", "cursor");
  private static final String FORMAT = "format";
  private static final String TEXT = "text/plain";

  private final MessageService service;
  private final DeliveryService deliveries;
  private final SendRequestMapper sendMapper;
  private final MessageViews views;
  private final ServerMetrics metrics;
  private final JsonMapper mapper;
  private final ObjectWriter sendResponses;
  private final ObjectWriter batchResponses;
  private final long maxRequestBytes;
  private final HttpLimits http;
  private final InboxSummaries summaries;
  private final Presence presence;

  /**
   * The (message, agent) pairs this node recorded as delivered lately, so that polling the same
   * unread page again writes nothing.
   */
  private final LruMap<String, Boolean> delivered = new LruMap<>(MAX_DELIVERED_REMEMBERED);

  static final int MAX_DELIVERED_REMEMBERED = 50_000;

  MessageRoutes(
      MessageService service,
      DeliveryService deliveries,
      SendRequestMapper sendMapper,
      ServerMetrics metrics,
      JsonMapper mapper,
      long maxRequestBytes,
      HttpLimits http,
      Presence presence) {
    this.service = service;
    this.deliveries = deliveries;
    this.sendMapper = sendMapper;
    this.views = sendMapper.views();
    this.metrics = metrics;
    this.mapper = mapper;
    this.sendResponses = mapper.writerFor(SendResponse.class);
    this.batchResponses = mapper.writerFor(SendBatchResponse.class);
    this.maxRequestBytes = maxRequestBytes;
    this.http = http;
    this.summaries = new InboxSummaries(service, mapper);
    this.presence = presence;
  }

  /** The thread routes, over the same service and views. */
  ThreadRoutes threads() {
    return new ThreadRoutes(service.threads(), views, mapper, http);
  }

  /** The search route, over the same service and views. */
  SearchRoutes search() {
    return new SearchRoutes(service.search(), views, mapper, http);
  }

  /** {@code POST /v1/messages}. */
  void send(Context ctx) {
    long accepted = System.nanoTime();
    Principal caller = Exchanges.principal(ctx);
    Draft draft = draft(ctx);
    SendResult result = service.send(caller, draft);
    metrics.recordSendLatency(System.nanoTime() - accepted);
    metrics.recordSend(draft.mode(), result);
    if (result instanceof SendResult.Duplicate) {
      ctx.header(IDEMPOTENT_REPLAYED, "true");
    }
    if (result instanceof SendResult.Spooled) {
      ctx.header(SPOOLED, "true");
    }
    String id = result.id().toString();
    ctx.header("Location", "/v1/messages/" + id);
    Exchanges.json(ctx, sendResponses, 201, response(result));
  }

  /**
   * {@code POST /v1/messages/batch}: up to {@value SendRequestMapper#MAX_BATCH} sends in one
   * request, stored in order and answered once all are durable (on SQLite in one commit). A message
   * that would be refused refuses the batch, naming it; then nothing is sent.
   */
  void sendBatch(Context ctx) {
    long accepted = System.nanoTime();
    Principal caller = Exchanges.principal(ctx);
    List<Draft> drafts =
        sendMapper.mapBatch(Exchanges.body(ctx, maxRequestBytes)).stream()
            .map(d -> TraceContext.carry(ctx, d, mapper))
            .toList();
    String first = drafts.getFirst().target().map(MailboxName::value).orElse("*");
    Exchanges.auditResource(
        ctx, drafts.size() == 1 ? first : first + " (+" + (drafts.size() - 1) + " more)");
    List<SendResult> results = service.sendAll(caller, drafts, SendRequestMapper.BATCH_FIELD);
    metrics.recordSendLatency(System.nanoTime() - accepted);
    List<SendResponse> sent = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      metrics.recordSend(drafts.get(i).mode(), results.get(i));
      sent.add(response(results.get(i)));
    }
    if (results.stream().anyMatch(r -> r instanceof SendResult.Spooled)) {
      ctx.header(SPOOLED, "true");
    }
    Exchanges.json(ctx, batchResponses, 201, new SendBatchResponse(sent));
  }

  /**
   * {@code POST /v1/messages/ask?timeout_seconds=N}: sends the body as {@link #send} does, then
   * waits up to N seconds (default 30, at most 60) for the first reply in the message's thread.
   */
  void ask(Context ctx) throws InterruptedException {
    long accepted = System.nanoTime();
    FieldErrors errors = new FieldErrors();
    Optional<Long> timeout =
        new QueryParameters(ctx.queryParamMap(), errors)
            .allow(Set.of(TIMEOUT_SECONDS))
            .single(TIMEOUT_SECONDS, s -> ListingParser.number(s, 0, MAX_WAIT_SECONDS));
    errors.throwIfAny();
    Principal caller = Exchanges.principal(ctx);
    Draft draft = draft(ctx);
    MessageService.Asked asked =
        service.ask(caller, draft, Duration.ofSeconds(timeout.orElse(DEFAULT_ASK_SECONDS)));
    metrics.recordSendLatency(System.nanoTime() - accepted);
    metrics.recordSend(draft.mode(), asked.sent());
    Exchanges.json(
        ctx,
        mapper,
        200,
        new AskResponse(
            response(asked.sent()),
            asked.thread().value(),
            asked.reply().map(e -> views.view(e.message(), e.readAt())),
            asked.reply().isEmpty()));
  }

  /** The send a request's body describes, carrying its trace context; its target is audited. */
  private Draft draft(Context ctx) {
    Draft draft =
        TraceContext.carry(ctx, sendMapper.map(Exchanges.body(ctx, maxRequestBytes)), mapper);
    Exchanges.auditResource(ctx, draft.target().map(MailboxName::value).orElse("*"));
    return draft;
  }

  /** The answer to one send. */
  static SendResponse response(SendResult result) {
    return new SendResponse(
        result.id().toString(),
        result.id().timestamp(),
        result.recipients(),
        result instanceof SendResult.Duplicate ? Optional.of(true) : Optional.empty(),
        result instanceof SendResult.Spooled ? Optional.of(true) : Optional.empty());
  }

  /** {@code GET /v1/messages/{id}}. */
  void get(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    Message message = service.get(caller, messageId(ctx));
    recordDelivered(caller, List.of(new Envelope(message, Optional.empty())));
    Exchanges.json(ctx, mapper, 200, views.view(message, Optional.empty()));
  }

  /**
   * Records that the caller was handed these messages (those not yet read, and not yet recorded by
   * this node): one write at most.
   */
  private void recordDelivered(Principal caller, List<Envelope> page) {
    List<Envelope> fresh = new ArrayList<>();
    for (Envelope e : page) {
      if (e.readAt().isEmpty()
          && !e.message().sender().equals(caller.id())
          && delivered.get(e.message().id() + " " + caller.id().value()).isEmpty()) {
        fresh.add(e);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    try {
      service.obligations().delivered(caller.id(), fresh);
    } catch (MailroomException.Unavailable e) {
      // A read answers while the store cannot write (a full or read-only disk, Redis failing
      // over); the marks wait for a later fetch.
      LOG.debug("delivery marks of {} not recorded: {}", caller.id(), e.getMessage());
      return;
    }
    for (Envelope e : fresh) {
      delivered.put(e.message().id() + " " + caller.id().value(), Boolean.TRUE);
    }
  }

  /**
   * {@code GET /v1/inbox}; with {@code wait_seconds=N} (at most {@value #MAX_WAIT_SECONDS}) an
   * empty answer waits up to N seconds for the first matching message (a long poll).
   */
  void inbox(Context ctx) throws InterruptedException {
    FieldErrors errors = new FieldErrors();
    Optional<Long> waitSeconds =
        new QueryParameters(ctx.queryParamMap(), errors)
            .single(WAIT_SECONDS, s -> ListingParser.number(s, 0, MAX_WAIT_SECONDS));
    Map<String, List<String>> listingQuery = new HashMap<>(ctx.queryParamMap());
    listingQuery.remove(WAIT_SECONDS);
    Listing listing = ListingParser.parse(listingQuery, errors, http);
    Principal caller = Exchanges.principal(ctx);
    Page<Envelope> page;
    if (waitSeconds.isPresent() && waitSeconds.get() > 0) {
      // A waiting long poll is a connection: the agent shows online while it waits.
      try (Presence.Connection c = presence.connected(caller.id())) {
        page = service.inbox(caller, listing, Duration.ofSeconds(waitSeconds.get()));
      }
    } else {
      page = service.inbox(caller, listing);
    }
    recordDelivered(caller, page.items());
    Exchanges.json(ctx, mapper, 200, views.page(page, listing.order()));
  }

  /**
   * {@code POST /v1/messages/{id}/ack}: acknowledges the delivery of a message to the caller,
   * records the time for the sender's receipts, and meets the message's obligation when an
   * acknowledgement does.
   */
  void acknowledge(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    MessageId id = messageId(ctx);
    Message message = service.get(caller, id);
    int acked = deliveries.acknowledge(caller, List.of(id));
    service.obligations().acknowledged(caller, message);
    metrics.acknowledged(1);
    Exchanges.json(ctx, mapper, 200, new AckResult(id.toString(), acked > 0));
  }

  /** {@code GET /v1/inbox/unread_count}. */
  void unreadCount(Context ctx) {
    Exchanges.json(
        ctx, mapper, 200, new UnreadCount(service.unreadCount(Exchanges.principal(ctx))));
  }

  /**
   * {@code GET /v1/inbox/summary}: the caller's unread count, top senders and newest unread
   * messages; as JSON, or as a few lines of text for a model's context with {@code format=text} or
   * an {@code Accept} that lists {@code text/plain}.
   */
  void summary(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<Boolean> text =
        new QueryParameters(ctx.queryParamMap(), errors)
            .allow(Set.of(FORMAT))
            .single(FORMAT, MessageRoutes::isText);
    errors.throwIfAny();
    boolean asText =
        text.orElseGet(
            () ->
                Optional.ofNullable(ctx.header("Accept"))
                    .filter(a -> MediaTypes.lists(a, TEXT))
                    .isPresent());
    InboxSummary summary = summaries.summarize(Exchanges.principal(ctx));
    if (asText) {
      ctx.status(200)
          .contentType(TEXT + "; charset=utf-8")
          .result(InboxSummaryText.render(summary));
    } else {
      Exchanges.json(ctx, mapper, 200, summary);
    }
  }

  private static boolean isText(String format) {
    return switch (format) {
      case "text" -> true;
      case "json" -> false;
      default -> throw new IllegalArgumentException("must be json or text");
    };
  }

  /** {@code GET /v1/mailboxes/{name}/messages}. */
  void history(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<MailboxName> name =
        errors.capture("name", () -> MailboxName.of(ctx.pathParam("name")));
    Listing listing = ListingParser.parse(ctx.queryParamMap(), errors, http);
    Page<Envelope> page = service.history(Exchanges.principal(ctx), name.orElseThrow(), listing);
    Exchanges.json(ctx, mapper, 200, views.page(page, listing.order()));
  }

  /** {@code POST /v1/messages/{id}/read}; reading also acknowledges the delivery. */
  void markRead(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    MessageId id = messageId(ctx);
    service.markRead(caller, id);
    ctx.status(204);
  }

  /** {@code DELETE /v1/messages/{id}/read}. */
  void markUnread(Context ctx) {
    service.markUnread(Exchanges.principal(ctx), messageId(ctx));
    ctx.status(204);
  }

  /**
   * {@code GET /v1/messages/{id}/readers?limit=&cursor=}: who read it, by read time and then by
   * reader, a page at a time.
   */
  void readers(Context ctx) {
    MessageId id = messageId(ctx);
    FieldErrors errors = new FieldErrors();
    QueryParameters q =
        new QueryParameters(ctx.queryParamMap(), errors).allow(READER_LIST_PARAMETERS);
    NamedPaging.Request<ReadReceipt> r =
        NamedPaging.request(q, http, CursorCodec.Named.READERS, MessageRoutes::readerPosition);
    errors.throwIfAny();
    NamedPaging.Page<ReadReceipt> page =
        NamedPaging.cut(
            service.readers(Exchanges.principal(ctx), id, r.after(), r.limit() + 1),
            r.limit(),
            CursorCodec.Named.READERS,
            MessageRoutes::readerPosition);
    List<ReaderList.Reader> readers = new ArrayList<>(page.items().size());
    for (ReadReceipt receipt : page.items()) {
      readers.add(new ReaderList.Reader(receipt.reader().value(), receipt.readAt()));
    }
    Exchanges.json(ctx, mapper, 200, new ReaderList(readers, page.next()));
  }

  /** A reader's place in the listing, as a cursor holds it: {@code <read time in ms>:<reader>}. */
  private static String readerPosition(ReadReceipt receipt) {
    return receipt.readAt().toEpochMilli() + ":" + receipt.reader().value();
  }

  private static ReadReceipt readerPosition(String position) {
    int colon = position.indexOf(':');
    try {
      if (colon > 0) {
        return new ReadReceipt(
            AgentId.of(position.substring(colon + 1)),
            Instant.ofEpochMilli(Long.parseLong(position.substring(0, colon))));
      }
    } catch (NumberFormatException e) {
      // a time that is not a number is refused below, as a position without one is
    }
    throw new IllegalArgumentException("is not a cursor of the readers of a message");
  }

  static MessageId messageId(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<MessageId> id = errors.capture("id", () -> MessageId.parse(ctx.pathParam("id")));
    errors.throwIfAny();
    return id.orElseThrow();
  }
}
