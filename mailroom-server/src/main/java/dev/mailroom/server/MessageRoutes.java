package dev.mailroom.server;

import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Page;
import dev.mailroom.core.Principal;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.protocol.ReaderList;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.UnreadCount;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** The message routes of {@code /v1}: send, read one, listings, read state, readers. */
final class MessageRoutes {
  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  private final MessageService service;
  private final SendRequestMapper sendMapper;
  private final MessageViews views;
  private final ServerMetrics metrics;
  private final JsonMapper mapper;
  private final ObjectWriter sendResponses;
  private final long maxRequestBytes;

  MessageRoutes(
      MessageService service,
      SendRequestMapper sendMapper,
      ServerMetrics metrics,
      JsonMapper mapper,
      long maxRequestBytes) {
    this.service = service;
    this.sendMapper = sendMapper;
    this.views = new MessageViews(sendMapper.payloads());
    this.metrics = metrics;
    this.mapper = mapper;
    this.sendResponses = mapper.writerFor(SendResponse.class);
    this.maxRequestBytes = maxRequestBytes;
  }

  /** {@code POST /v1/messages}. */
  void send(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    Draft draft = sendMapper.map(Exchanges.body(ctx, maxRequestBytes));
    SendResult result = service.send(caller, draft);
    metrics.recordSend(result);
    boolean duplicate = result instanceof SendResult.Duplicate;
    if (duplicate) {
      ctx.header(IDEMPOTENT_REPLAYED, "true");
    }
    String id = result.id().toString();
    ctx.header("Location", "/v1/messages/" + id);
    Exchanges.json(
        ctx,
        sendResponses,
        201,
        new SendResponse(
            id,
            result.id().timestamp(),
            result.recipients(),
            duplicate ? Optional.of(true) : Optional.empty()));
  }

  /** {@code GET /v1/messages/{id}}. */
  void get(Context ctx) {
    Message message = service.get(Exchanges.principal(ctx), messageId(ctx));
    Exchanges.json(ctx, mapper, 200, views.view(message, Optional.empty()));
  }

  /** {@code GET /v1/inbox}. */
  void inbox(Context ctx) {
    Listing listing = ListingParser.parse(ctx.queryParamMap());
    Page<Envelope> page = service.inbox(Exchanges.principal(ctx), listing);
    Exchanges.json(ctx, mapper, 200, views.page(page, listing.order()));
  }

  /** {@code GET /v1/inbox/unread_count}. */
  void unreadCount(Context ctx) {
    Exchanges.json(
        ctx, mapper, 200, new UnreadCount(service.unreadCount(Exchanges.principal(ctx))));
  }

  /** {@code GET /v1/mailboxes/{name}/messages}. */
  void history(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<MailboxName> name =
        errors.capture("name", () -> MailboxName.of(ctx.pathParam("name")));
    Listing listing = ListingParser.parse(ctx.queryParamMap(), errors);
    Page<Envelope> page = service.history(Exchanges.principal(ctx), name.orElseThrow(), listing);
    Exchanges.json(ctx, mapper, 200, views.page(page, listing.order()));
  }

  /** {@code POST /v1/messages/{id}/read}. */
  void markRead(Context ctx) {
    service.markRead(Exchanges.principal(ctx), messageId(ctx));
    ctx.status(204);
  }

  /** {@code DELETE /v1/messages/{id}/read}. */
  void markUnread(Context ctx) {
    service.markUnread(Exchanges.principal(ctx), messageId(ctx));
    ctx.status(204);
  }

  /** {@code GET /v1/messages/{id}/readers}. */
  void readers(Context ctx) {
    List<ReadReceipt> receipts = service.readers(Exchanges.principal(ctx), messageId(ctx));
    List<ReaderList.Reader> readers = new ArrayList<>(receipts.size());
    for (ReadReceipt r : receipts) {
      readers.add(new ReaderList.Reader(r.reader().value(), r.readAt()));
    }
    Exchanges.json(ctx, mapper, 200, new ReaderList(readers));
  }

  private static MessageId messageId(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<MessageId> id = errors.capture("id", () -> MessageId.parse(ctx.pathParam("id")));
    errors.throwIfAny();
    return id.orElseThrow();
  }
}
