package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.ObligationService;
import dev.mailroom.core.receipt.Receipt;
import dev.mailroom.protocol.ObligationList;
import dev.mailroom.protocol.ObligationView;
import dev.mailroom.protocol.ReceiptList;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receipt and obligation routes of {@code /v1}: what became of a message at each recipient, and
 * what is owed to and by the caller.
 */
final class ReceiptRoutes {
  private static final Set<String> RECEIPT_PARAMETERS = Set.of("limit", "cursor");
  private static final Set<String> OBLIGATION_PARAMETERS =
      Set.of("role", "state", "mailbox", "limit", "cursor");

  /** The states listed when none are asked for: what is still owed. */
  static final Set<Obligation.State> OWED =
      EnumSet.of(Obligation.State.OPEN, Obligation.State.OVERDUE);

  private final ObligationService obligations;
  private final JsonMapper mapper;
  private final HttpLimits http;

  ReceiptRoutes(ObligationService obligations, JsonMapper mapper, HttpLimits http) {
    this.obligations = obligations;
    this.mapper = mapper;
    this.http = http;
  }

  /**
   * {@code GET /v1/messages/{id}/receipts?limit=&cursor=}: the message's obligation and a page of
   * its recipients' receipts, by agent id; for its sender (or an admin) only.
   */
  void receipts(Context ctx) {
    MessageId id = MessageRoutes.messageId(ctx);
    Exchanges.auditResource(ctx, id.toString());
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(RECEIPT_PARAMETERS);
    NamedPaging.Request<AgentId> r =
        NamedPaging.request(q, http, CursorCodec.Named.RECEIPTS, AgentId::of);
    errors.throwIfAny();
    ObligationService.Receipts receipts =
        obligations.receipts(Exchanges.principal(ctx), id, r.after(), r.limit() + 1);
    NamedPaging.Page<Receipt> page =
        NamedPaging.cut(
            receipts.receipts(), r.limit(), CursorCodec.Named.RECEIPTS, x -> x.agent().value());
    Instant now = obligations.now();
    Exchanges.json(
        ctx,
        mapper,
        200,
        new ReceiptList(
            id.toString(),
            receipts.message().sender().value(),
            id.timestamp(),
            receipts.obligation().map(o -> view(o, now)),
            page.items().stream().map(ReceiptRoutes::view).toList(),
            page.next()));
  }

  /**
   * {@code GET /v1/obligations?role=owed_to_me|owed_by_me&state=open,overdue,met&mailbox=&limit=
   * &cursor=}: obligations owed to the caller (its messages') or by it (messages to its mailbox, or
   * to the mailbox or topic named), newest first; by default only those still owed.
   */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q =
        new QueryParameters(ctx.queryParamMap(), errors).allow(OBLIGATION_PARAMETERS);
    Optional<ObligationService.Role> role = q.required("role", ReceiptRoutes::role);
    Set<Obligation.State> states = q.single("state", ReceiptRoutes::states).orElse(OWED);
    Optional<MailboxName> mailbox = q.single("mailbox", MailboxName::of);
    NamedPaging.Request<MessageId> r =
        NamedPaging.request(q, http, CursorCodec.Named.OBLIGATIONS, MessageId::parse);
    errors.throwIfAny();
    Exchanges.auditResource(
        ctx,
        role.orElseThrow().name().toLowerCase(java.util.Locale.ROOT)
            + mailbox.map(m -> ":" + m.value()).orElse(""));
    List<Obligation> found =
        obligations.list(
            Exchanges.principal(ctx), role.get(), mailbox, states, r.after(), r.limit() + 1);
    NamedPaging.Page<Obligation> page =
        NamedPaging.cut(
            found, r.limit(), CursorCodec.Named.OBLIGATIONS, o -> o.message().toString());
    Instant now = obligations.now();
    Exchanges.json(
        ctx,
        mapper,
        200,
        new ObligationList(page.items().stream().map(o -> view(o, now)).toList(), page.next()));
  }

  private static ObligationService.Role role(String text) {
    return switch (text) {
      case "owed_to_me" -> ObligationService.Role.OWED_TO_ME;
      case "owed_by_me" -> ObligationService.Role.OWED_BY_ME;
      default -> throw new IllegalArgumentException("must be owed_to_me or owed_by_me");
    };
  }

  private static Set<Obligation.State> states(String text) {
    Set<Obligation.State> states = EnumSet.noneOf(Obligation.State.class);
    for (String name : text.split(",", -1)) {
      states.add(Obligation.State.fromWire(name.trim()));
    }
    return states;
  }

  static ObligationView view(Obligation o, Instant now) {
    return new ObligationView(
        o.message().toString(),
        o.sender().value(),
        o.target().value(),
        o.kind().wireName(),
        o.thread().value(),
        o.ackRequired(),
        o.replyBy(),
        o.state(now).wireName(),
        o.metLate(),
        o.met().map(f -> f.by().value()),
        o.met().map(f -> f.means().wireName()),
        o.met().map(Obligation.Fulfilment::at),
        o.met().flatMap(Obligation.Fulfilment::reply).map(MessageId::toString),
        o.noticedAt());
  }

  private static ReceiptList.Receipt view(Receipt r) {
    return new ReceiptList.Receipt(
        r.agent().value(),
        r.step().wireName(),
        r.queuedAt(),
        r.deliveredAt(),
        r.readAt(),
        r.acknowledgedAt(),
        r.repliedAt(),
        r.reply().map(MessageId::toString));
  }
}
