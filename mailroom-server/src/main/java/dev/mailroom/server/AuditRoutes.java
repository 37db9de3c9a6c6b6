package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.protocol.AuditRecordList;
import dev.mailroom.protocol.AuditRecordView;
import dev.mailroom.protocol.AuditVerification;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /v1/audit} (records, with filters) and {@code GET /v1/audit/verify}: admins only. */
final class AuditRoutes {
  static final int MAX_TEXT = 256;
  static final Set<String> PARAMETERS =
      Set.of(
          "actor", "action", "resource", "outcome", "since", "until", "limit", "cursor", "order");

  private final AuditStore store;
  private final AuditLog log;
  private final AuditVerifier verifier;
  private final JsonMapper mapper;
  private final HttpLimits http;

  AuditRoutes(
      AuditStore store, AuditLog log, AuditVerifier verifier, JsonMapper mapper, HttpLimits http) {
    this.store = store;
    this.log = log;
    this.verifier = verifier;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code GET /v1/audit}. */
  void list(Context ctx) {
    Exchanges.requireAdmin(ctx, "read the audit log");
    AuditQuery query = query(ctx, http);
    AuditPage page = store.query(query);
    List<AuditRecordView> views = new ArrayList<>(page.records().size());
    for (AuditRecord r : page.records()) {
      views.add(view(r));
    }
    Optional<String> next = page.next().map(p -> CursorCodec.encode(query.order(), p));
    Exchanges.json(ctx, mapper, 200, new AuditRecordList(views, next));
  }

  /** {@code GET /v1/audit/verify}: walks every chain; takes as long as the log is large. */
  void verify(Context ctx) {
    Exchanges.requireAdmin(ctx, "read the audit log");
    AuditVerifier.Report report = verifier.verify(log.head());
    List<AuditVerification.Chain> chains = new ArrayList<>(report.chains().size());
    for (AuditVerifier.ChainReport c : report.chains()) {
      chains.add(
          new AuditVerification.Chain(
              c.chain(),
              c.records(),
              c.firstIndex(),
              c.lastIndex(),
              c.ok(),
              c.problem().map(b -> new AuditVerification.Break(b.index(), b.reason()))));
    }
    Exchanges.json(ctx, mapper, 200, new AuditVerification(report.ok(), chains));
  }

  /**
   * The query of {@code GET /v1/audit}'s parameters.
   *
   * @throws MailroomException.InvalidRequest naming every unknown or invalid parameter
   */
  static AuditQuery query(Context ctx, HttpLimits http) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(PARAMETERS);
    Optional<String> actor = q.single("actor", AuditRoutes::text);
    Optional<String> action = q.single("action", AuditRoutes::text);
    Optional<String> resource = q.single("resource", AuditRoutes::text);
    Optional<AuditOutcome> outcome = q.single("outcome", s -> AuditOutcome.parse("outcome", s));
    Optional<Instant> since = q.single("since", ListingParser::instant);
    Optional<Instant> until = q.single("until", ListingParser::instant);
    int limit = q.limit(http);
    Order order = q.single("order", Order::parse).orElse(Order.ASC);
    Optional<CursorCodec.AuditCursor> cursor = q.single("cursor", CursorCodec::decodeAudit);
    ListingParser.sameOrder(cursor.map(CursorCodec.AuditCursor::order), order, errors);
    errors.throwIfAny();
    return new AuditQuery(
        actor,
        action,
        resource,
        outcome,
        since,
        until,
        cursor.map(CursorCodec.AuditCursor::position),
        limit,
        order);
  }

  private static String text(String s) {
    if (s.isEmpty() || s.length() > MAX_TEXT) {
      throw new IllegalArgumentException("must be 1 to " + MAX_TEXT + " characters");
    }
    return s;
  }

  private static AuditRecordView view(AuditRecord r) {
    return new AuditRecordView(
        r.chain(),
        r.index(),
        r.at(),
        r.requestId(),
        r.actor(),
        r.action(),
        r.resource(),
        r.status(),
        r.outcome().wireName(),
        r.detail().isEmpty() ? Optional.empty() : Optional.of(r.detail()),
        r.prevHash(),
        r.hash());
  }
}
