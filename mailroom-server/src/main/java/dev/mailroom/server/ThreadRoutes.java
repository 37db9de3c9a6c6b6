package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.Principal;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.ThreadService;
import dev.mailroom.core.ThreadService.ThreadSummary;
import dev.mailroom.protocol.ThreadList;
import dev.mailroom.protocol.ThreadSummaryView;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The thread routes of {@code /v1}: a thread's messages wherever they are, and summaries of the
 * caller's threads. Every answer holds only what the caller may read.
 */
final class ThreadRoutes {
  private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor", "order");
  private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");
  private static final int DEFAULT_SUMMARIES = 20;

  private final ThreadService threads;
  private final MessageViews views;
  private final JsonMapper mapper;
  private final HttpLimits http;

  ThreadRoutes(ThreadService threads, MessageViews views, JsonMapper mapper, HttpLimits http) {
    this.threads = threads;
    this.views = views;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code GET /v1/threads/{thread_id}}: the thread's messages, oldest first by default. */
  void messages(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<ThreadId> thread = threadId(ctx, errors);
    QueryParameters p = new QueryParameters(ctx.queryParamMap(), errors).allow(PAGE_PARAMETERS);
    int limit = p.limit(http);
    Order order = p.single("order", Order::parse).orElse(Order.ASC);
    Optional<CursorCodec.Cursor> cursor = p.single(CursorCodec.FIELD, CursorCodec::decode);
    ListingParser.sameOrder(cursor.map(CursorCodec.Cursor::order), order, errors);
    errors.throwIfAny();
    Page<Envelope> page =
        threads.messages(
            Exchanges.principal(ctx),
            thread.orElseThrow(),
            cursor.map(CursorCodec.Cursor::position),
            order,
            limit);
    Exchanges.json(ctx, mapper, 200, views.page(page, order));
  }

  /** {@code GET /v1/threads/{thread_id}/summary}. */
  void summary(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<ThreadId> thread = threadId(ctx, errors);
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    errors.throwIfAny();
    ThreadSummary summary = threads.summary(Exchanges.principal(ctx), thread.orElseThrow());
    Exchanges.json(ctx, mapper, 200, view(summary));
  }

  /** {@code GET /v1/threads}: the threads of the caller's mailbox, most recently active first. */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters p = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    int limit =
        p.single("limit", s -> (int) ListingParser.number(s, 1, ThreadService.MAX_SUMMARIES))
            .orElse(DEFAULT_SUMMARIES);
    Optional<CursorCodec.Cursor> cursor = p.single(CursorCodec.FIELD, CursorCodec::decode);
    ListingParser.sameOrder(cursor.map(CursorCodec.Cursor::order), Order.DESC, errors);
    errors.throwIfAny();
    Principal caller = Exchanges.principal(ctx);
    Page<ThreadSummary> page =
        threads.list(caller, cursor.map(CursorCodec.Cursor::position), limit);
    Exchanges.json(
        ctx,
        mapper,
        200,
        new ThreadList(
            page.items().stream().map(ThreadRoutes::view).toList(),
            page.next().map(id -> CursorCodec.encode(Order.DESC, id))));
  }

  private static Optional<ThreadId> threadId(Context ctx, FieldErrors errors) {
    String text = ctx.pathParam("thread_id");
    Exchanges.auditResource(ctx, "thread:" + text);
    return errors.capture("thread_id", () -> ThreadId.of(text));
  }

  static ThreadSummaryView view(ThreadSummary s) {
    return new ThreadSummaryView(
        s.thread().value(),
        s.count(),
        s.unread(),
        s.participants().stream().map(AgentId::value).toList(),
        s.first().toString(),
        s.last().toString(),
        s.lastSender().value(),
        s.lastActivity(),
        s.complete());
  }
}
