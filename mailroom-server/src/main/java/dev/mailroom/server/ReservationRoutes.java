package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.reservation.PathPattern;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.reservation.ReservationService;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.protocol.ReservationCheck;
import dev.mailroom.protocol.ReservationConflict;
import dev.mailroom.protocol.ReservationList;
import dev.mailroom.protocol.ReservationView;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/reservations}: agents reserve paths of a project, exclusively or shared, for a while;
 * renew and release them; list them; and ask which staged paths others hold (the pre-commit hook).
 * Who may do what is {@link ReservationService}'s; every request is audited with the reservation or
 * the project it is about.
 */
final class ReservationRoutes {
  private static final Set<String> FIELDS =
      Set.of("project", "paths", "exclusive", "ttl_seconds", "reason");
  private static final Set<String> RENEW_FIELDS = Set.of("ttl_seconds");
  private static final Set<String> CHECK_FIELDS = Set.of("project", "paths");
  private static final Set<String> LIST_PARAMETERS = Set.of("project", "agent", "limit", "cursor");
  private static final Pattern ID = Pattern.compile("res_[0-9a-f]{24}");

  /** A check names up to {@link ReservationService#MAX_CHECKED_PATHS} paths: a larger body. */
  private static final long CHECK_BODY = 4L * 1024 * 1024;

  private final ReservationService reservations;
  private final JsonMapper mapper;
  private final HttpLimits http;

  ReservationRoutes(ReservationService reservations, JsonMapper mapper, HttpLimits http) {
    this.reservations = reservations;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code POST /v1/reservations}: 201 with the reservation, or 409 naming the conflicts. */
  void reserve(Context ctx) {
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, Exchanges.SMALL_BODY));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(FIELDS);
    Optional<ProjectName> project = project(fields, errors);
    project.ifPresent(p -> Exchanges.auditResource(ctx, "project:" + p));
    List<PathPattern> patterns = patterns(body, fields, errors);
    boolean exclusive = fields.bool("exclusive").orElse(true);
    Duration ttl = ttl(fields);
    String reason = fields.string("reason").orElse("");
    errors.throwIfAny();

    ReservationStore.Outcome outcome =
        reservations.reserve(
            Exchanges.principal(ctx),
            project.orElseThrow(),
            patterns,
            exclusive ? Reservation.Mode.EXCLUSIVE : Reservation.Mode.SHARED,
            ttl,
            reason);
    switch (outcome) {
      case ReservationStore.Outcome.Granted g -> {
        Reservation r = g.reservation();
        Exchanges.auditResource(ctx, "reservation:" + r.id());
        ctx.header("Location", "/v1/reservations/" + r.id());
        Exchanges.json(ctx, mapper, 201, view(r));
      }
      case ReservationStore.Outcome.Refused refused -> conflict(ctx, refused.conflicts());
    }
  }

  private void conflict(Context ctx, List<Reservation> conflicts) {
    String detail =
        "held by "
            + conflicts.stream()
                .map(
                    r ->
                        r.holder()
                            + " ("
                            + (r.mode().exclusive() ? "exclusive" : "shared")
                            + " until "
                            + r.expiresAt()
                            + ", "
                            + r.id()
                            + ")")
                .collect(Collectors.joining(", "));
    ErrorMapping mapping = ErrorMapping.of(ErrorCode.CONFLICT);
    Exchanges.problem(
        ctx,
        mapper,
        mapping,
        detail,
        new ReservationConflict(
            mapping.type(),
            mapping.title(),
            mapping.status(),
            detail,
            Exchanges.requestId(ctx),
            conflicts.stream().map(ReservationRoutes::view).toList()));
  }

  /** {@code GET /v1/reservations?project=&agent=&limit=&cursor=}: the live ones, by id. */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    Optional<ProjectName> project = q.single("project", ProjectName::of);
    Optional<AgentId> agent = q.single("agent", AgentId::of);
    NamedPaging.Request<String> r =
        NamedPaging.request(q, http, CursorCodec.Named.RESERVATIONS, ReservationRoutes::cursorId);
    errors.throwIfAny();
    project.ifPresent(p -> Exchanges.auditResource(ctx, "project:" + p));
    NamedPaging.Page<Reservation> page =
        NamedPaging.cut(
            reservations.list(project, agent, r.after(), r.limit() + 1),
            r.limit(),
            CursorCodec.Named.RESERVATIONS,
            Reservation::id);
    Exchanges.json(
        ctx,
        mapper,
        200,
        new ReservationList(
            page.items().stream().map(ReservationRoutes::view).toList(), page.next()));
  }

  /** {@code GET /v1/reservations/{id}}. */
  void get(Context ctx) {
    Exchanges.json(ctx, mapper, 200, view(reservations.get(pathId(ctx))));
  }

  /**
   * {@code POST /v1/reservations/{id}/renew}: the holder (or an admin) makes it end {@code ttl}
   * from now.
   */
  void renew(Context ctx) {
    String id = pathId(ctx);
    FieldErrors errors = new FieldErrors();
    Duration ttl = ReservationService.DEFAULT_TTL;
    if (ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null) {
      ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, Exchanges.SMALL_BODY));
      ttl = ttl(BodyFields.of(body, errors).allow(RENEW_FIELDS));
    }
    errors.throwIfAny();
    Exchanges.json(ctx, mapper, 200, view(reservations.renew(Exchanges.principal(ctx), id, ttl)));
  }

  /** {@code DELETE /v1/reservations/{id}}: the holder, or an admin, releases it. */
  void release(Context ctx) {
    reservations.release(Exchanges.principal(ctx), pathId(ctx));
    ctx.status(204);
  }

  /**
   * {@code POST /v1/reservations/check}: which of the given concrete paths other agents hold
   * exclusively, each with the reservations that hold it.
   */
  void check(Context ctx) {
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, CHECK_BODY));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(CHECK_FIELDS);
    Optional<ProjectName> project = project(fields, errors);
    project.ifPresent(p -> Exchanges.auditResource(ctx, "project:" + p));
    if (body.get("paths") == null || body.get("paths").isNull()) {
      errors.add("paths", "is required: an array of file paths");
    }
    List<String> paths = fields.strings("paths");
    errors.throwIfAny();
    List<ReservationService.Blocked> blocked =
        reservations.check(Exchanges.principal(ctx), project.orElseThrow(), paths);
    List<ReservationCheck.Blocked> views = new ArrayList<>(blocked.size());
    for (ReservationService.Blocked b : blocked) {
      views.add(
          new ReservationCheck.Blocked(
              b.path(), b.heldBy().stream().map(ReservationRoutes::view).toList()));
    }
    Exchanges.json(ctx, mapper, 200, new ReservationCheck(project.get().value(), views));
  }

  static ReservationView view(Reservation r) {
    return new ReservationView(
        r.id(),
        r.project().value(),
        r.holder().value(),
        r.patterns().stream().map(PathPattern::value).toList(),
        r.mode().exclusive(),
        r.reason(),
        r.createdAt(),
        r.expiresAt());
  }

  private static Optional<ProjectName> project(BodyFields fields, FieldErrors errors) {
    return fields
        .requiredString("project")
        .flatMap(p -> errors.capture("project", () -> ProjectName.of(p)));
  }

  private static List<PathPattern> patterns(
      ObjectNode body, BodyFields fields, FieldErrors errors) {
    if (body.get("paths") == null || body.get("paths").isNull()) {
      errors.add(
          "paths", "is required: an array of 1-" + ReservationService.MAX_PATTERNS + " globs");
      return List.of();
    }
    List<String> given = fields.strings("paths");
    if (body.get("paths").isArray()
        && (given.isEmpty() || given.size() > ReservationService.MAX_PATTERNS)) {
      errors.add("paths", "must hold 1-" + ReservationService.MAX_PATTERNS + " globs");
      return List.of();
    }
    List<PathPattern> out = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      String field = "paths[" + i + "]";
      String text = given.get(i);
      errors.capture(field, () -> PathPattern.of(field, text)).ifPresent(out::add);
    }
    return out;
  }

  private static Duration ttl(BodyFields fields) {
    return fields
        .integer(
            "ttl_seconds",
            ReservationService.MIN_TTL.toSeconds(),
            ReservationService.MAX_TTL.toSeconds())
        .map(Duration::ofSeconds)
        .orElse(ReservationService.DEFAULT_TTL);
  }

  private static String pathId(Context ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      throw MailroomException.InvalidRequest.field(
          "id", "is not a reservation id (res_ and 24 hex digits)");
    }
    Exchanges.auditResource(ctx, "reservation:" + id);
    return id;
  }

  private static String cursorId(String position) {
    if (!ID.matcher(position).matches()) {
      throw new IllegalArgumentException("not a reservation id");
    }
    return position;
  }
}
