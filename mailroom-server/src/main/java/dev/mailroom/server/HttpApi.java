package dev.mailroom.server;

import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.protocol.Problem;
import dev.mailroom.server.stream.Presence;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson3;
import io.javalin.router.Endpoint;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP surface: routes, the authentication filter, request ids, request metrics, and the one
 * place where exceptions become {@code application/problem+json} answers; also the {@link
 * ServletEndpoint}s other modules add, each behind an {@link EndpointGate}. Handlers run on virtual
 * threads.
 */
final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** The keys under which a request's log lines carry its id and its W3C trace id. */
  static final String MDC_REQUEST_ID = "request_id";

  static final String MDC_TRACE_ID = "trace_id";
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
  private static final long MIN_PREFIX = 36L * 36 * 36 * 36 * 36;
  static final String UNMATCHED = "unmatched";

  private final ServerConfig config;
  private final JsonMapper mapper;
  private final Authenticator authenticator;
  private final RateLimits limits;
  private final MessageRoutes messages;
  private final AgentRoutes agents;
  private final DirectoryRoutes directory;
  private final EnrollmentRoutes enrollments;
  private final Presence presence;
  private final AccessRoutes access;
  private final HealthRoutes health;
  private final SubscriptionRoutes subscriptions;
  private final TopicRoutes topics;
  private final DeadLetterRoutes deadLetters;
  private final StreamRoutes streams;
  private final AttachmentRoutes attachments;
  private final AuditRoutes audit;
  private final AlertRoutes alerts;
  private final StatsRoutes stats;
  private final ReservationRoutes reservations;
  private final ReceiptRoutes receipts;
  private final MailboxTails tails;
  private final Optional<ConsoleRoutes> console;
  private final Optional<ConsoleSessions> consoleSessions;
  private final AuditCapture auditCapture;
  private final ServerMetrics metrics;
  private final List<ServletEndpoint> endpoints;
  private final String requestIdPrefix;
  private final AtomicLong requestCounter = new AtomicLong();

  HttpApi(
      ServerConfig config,
      JsonMapper mapper,
      Authenticator authenticator,
      RateLimits limits,
      MessageRoutes messages,
      AgentRoutes agents,
      DirectoryRoutes directory,
      EnrollmentRoutes enrollments,
      Presence presence,
      AccessRoutes access,
      HealthRoutes health,
      SubscriptionRoutes subscriptions,
      TopicRoutes topics,
      DeadLetterRoutes deadLetters,
      StreamRoutes streams,
      AttachmentRoutes attachments,
      AuditRoutes audit,
      AlertRoutes alerts,
      StatsRoutes stats,
      ReservationRoutes reservations,
      ReceiptRoutes receipts,
      MailboxTails tails,
      Optional<ConsoleSessions> consoleSessions,
      AuditCapture auditCapture,
      ServerMetrics metrics,
      List<ServletEndpoint> endpoints) {
    this.config = config;
    this.mapper = mapper;
    this.authenticator = authenticator;
    this.limits = limits;
    this.messages = messages;
    this.agents = agents;
    this.directory = directory;
    this.enrollments = enrollments;
    this.presence = presence;
    this.access = access;
    this.health = health;
    this.subscriptions = subscriptions;
    this.topics = topics;
    this.deadLetters = deadLetters;
    this.streams = streams;
    this.attachments = attachments;
    this.audit = audit;
    this.alerts = alerts;
    this.stats = stats;
    this.reservations = reservations;
    this.receipts = receipts;
    this.tails = tails;
    this.consoleSessions = consoleSessions;
    this.console =
        consoleSessions.map(
            s -> new ConsoleRoutes(s, auditCapture, mapper, config.security().tls().isPresent()));
    this.auditCapture = auditCapture;
    this.metrics = metrics;
    this.endpoints = List.copyOf(endpoints);
    // Ids are a random per-server prefix and a counter: unique enough to find a request in the
    // logs of several nodes, and far cheaper than a UUID per request.
    this.requestIdPrefix =
        Long.toString(ThreadLocalRandom.current().nextLong(MIN_PREFIX, MIN_PREFIX * 36), 36) + "-";
  }

  /** A configured, not yet started Javalin; listening with TLS when {@code tls} is given. */
  Javalin create(Optional<TlsListener> tls) {
    return Javalin.create(
        c -> {
          configure(c);
          RequestDeadlines.install(c, config, tls, mapper, () -> requestId(null));
        });
  }

  private void configure(JavalinConfig c) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.concurrency.useVirtualThreads = true;
    c.jetty.host = config.host();
    c.jetty.port = config.port();
    c.http.maxRequestSize = config.maxRequestBytes();
    c.http.prefer405over404 = true;
    c.http.defaultContentType = Exchanges.JSON;
    c.http.generateEtags = false;
    c.http.compressionStrategy = CompressionStrategy.NONE; // answers are small; spare the CPU
    c.jsonMapper(new JavalinJackson3(mapper, false));
    ProblemErrorHandler errors = new ProblemErrorHandler(mapper, this::requestId);
    c.jetty.modifyServer(server -> server.setErrorHandler(errors));
    c.jetty.modifyServletContextHandler(
        context -> {
          // A path that does not decode (%C0%AE) is refused inside the servlet context, by its
          // own error handler: that one must answer a problem too.
          context.setErrorHandler(errors);
          withoutSessions(context.getSessionHandler());
          new MethodGate(
                  auditCapture,
                  this::requestId,
                  endpoints.stream().map(ServletEndpoint::path).collect(Collectors.toSet()))
              .mount(context);
        });
    // Jetty caches header fields per connection and, by default, matches a cached value without
    // regard to case: once a token was sent on a keep-alive connection, the same token with a
    // letter's case changed was served as the cached one and authenticated. Tokens are
    // case-sensitive secrets, so the cache must be too.
    c.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
    // Streams carry small JSON frames; compressing each one (permessage-deflate, which browsers
    // and many clients offer) cost three quarters of a pipelining client's throughput and would
    // make every push of a fan-out pay for it too (docs/BENCHMARKS.md). The answer to an offer is
    // simply no compression.
    c.jetty.modifyWebSocketServletFactory(
        factory -> factory.getAvailableExtensionNames().remove("permessage-deflate"));

    var r = c.routes;
    r.before(this::beginRequest);
    r.beforeMatched("/v1/*", this::authenticate);

    r.get("/health", health::health);
    r.get("/health/live", health::live);
    r.get("/health/ready", health::ready);
    r.get("/metrics", health::metrics);
    r.get("/openapi.yaml", new OpenApiRoute()::serve);

    r.post("/v1/agents", agents::create);
    r.get("/v1/agents", directory::list);
    r.post(EnrollmentRoutes.ENROLL_PATH, enrollments::enroll);
    r.get("/v1/agents/{id}", directory::get);
    r.put("/v1/agents/{id}/profile", directory::updateProfile);
    r.post("/v1/agents/{id}/retire", directory::retire);
    r.delete("/v1/agents/{id}", directory::delete);
    r.post("/v1/enrollments", enrollments::create);
    r.get("/v1/enrollments", enrollments::list);
    r.delete("/v1/enrollments/{id}", enrollments::revoke);
    r.get("/v1/agents/{id}/stats", stats::agent);
    r.get("/v1/whoami", agents::whoami);
    r.put("/v1/agents/{id}/roles", agents::replaceRoles);
    r.post("/v1/agents/{id}/token", agents::rotateToken);
    r.delete("/v1/agents/{id}/token", agents::revokeToken);

    r.get("/v1/acl", access::listRules);
    r.post("/v1/acl", access::grant);
    r.get("/v1/acl/explain", access::explain);
    r.delete("/v1/acl/{id}", access::revoke);
    r.get("/v1/roles", access::listRoles);
    r.post("/v1/roles", access::createRole);
    r.delete("/v1/roles/{name}", access::deleteRole);
    r.post("/v1/messages", messages::send);
    r.post("/v1/messages/batch", messages::sendBatch);
    r.post("/v1/messages/ask", messages::ask);
    r.get("/v1/messages/{id}", messages::get);
    r.post("/v1/messages/{id}/read", messages::markRead);
    r.delete("/v1/messages/{id}/read", messages::markUnread);
    r.get("/v1/messages/{id}/readers", messages::readers);
    r.get("/v1/messages/{id}/receipts", receipts::receipts);
    r.get("/v1/obligations", receipts::list);
    r.get("/v1/inbox", messages::inbox);
    r.get("/v1/inbox/unread_count", messages::unreadCount);
    r.get("/v1/inbox/summary", messages::summary);
    r.get("/v1/mailboxes/{name}/messages", messages::history);
    ThreadRoutes threads = messages.threads();
    r.get("/v1/threads", threads::list);
    r.get("/v1/threads/{thread_id}", threads::messages);
    r.get("/v1/threads/{thread_id}/summary", threads::summary);
    r.get("/v1/search", messages.search()::search);
    r.get("/v1/mailboxes/{name}/stats", stats::mailbox);
    r.get("/v1/mailboxes/{name}/tail", ctx -> tails.tail(ctx, this::reauthenticate));
    r.post("/v1/messages/{id}/ack", messages::acknowledge);
    r.get("/v1/messages/{id}/attachments/{n}", attachments::download);
    r.head("/v1/messages/{id}/attachments/{n}", attachments::download);

    r.post("/v1/uploads", attachments::create);
    r.get("/v1/uploads/{id}", attachments::get);
    r.delete("/v1/uploads/{id}", attachments::delete);
    r.put("/v1/uploads/{id}/parts/{n}", attachments::putPart);
    r.post("/v1/uploads/{id}/complete", attachments::complete);
    r.get("/v1/agents/{id}/usage", attachments::usage);

    r.post("/v1/subscriptions", subscriptions::create);
    r.get("/v1/subscriptions", subscriptions::list);
    r.get("/v1/subscriptions/{id}", subscriptions::get);
    r.delete("/v1/subscriptions/{id}", subscriptions::delete);

    r.post("/v1/topics", topics::create);
    r.get("/v1/topics", topics::list);
    r.get("/v1/topics/{name}", topics::get);
    r.put("/v1/topics/{name}", topics::configure);
    r.delete("/v1/topics/{name}", topics::delete);
    r.post("/v1/topics/{name}/join", topics::join);
    r.post("/v1/topics/{name}/leave", topics::leave);

    r.post("/v1/reservations", reservations::reserve);
    r.get("/v1/reservations", reservations::list);
    r.post("/v1/reservations/check", reservations::check);
    r.get("/v1/reservations/{id}", reservations::get);
    r.delete("/v1/reservations/{id}", reservations::release);
    r.post("/v1/reservations/{id}/renew", reservations::renew);

    r.get("/v1/dlq", deadLetters::list);
    r.delete("/v1/dlq", deadLetters::purgeAll);
    r.get("/v1/dlq/{id}", deadLetters::get);
    r.delete("/v1/dlq/{id}", deadLetters::purgeOne);
    r.post("/v1/dlq/{id}/replay", deadLetters::replay);

    r.get("/v1/audit", audit::list);
    r.get("/v1/audit/verify", audit::verify);

    // Log levels are this process's state: the routes name the node by its audit chain.
    LogLevelRoutes logLevels =
        new LogLevelRoutes(
            new LogLevels(LoggerFactory.getILoggerFactory()), mapper, auditCapture.chain());
    r.get("/v1/admin/log-levels", logLevels::list);
    r.get("/v1/admin/log-levels/{logger}", logLevels::get);
    r.put("/v1/admin/log-levels/{logger}", logLevels::set);
    r.delete("/v1/admin/log-levels/{logger}", logLevels::clear);

    r.get("/v1/stats", stats::system);

    // Alert rules, like log levels, are each node's own.
    r.get("/v1/admin/alerts", alerts::list);
    r.put("/v1/admin/alerts/rules/{name}", alerts::put);
    r.delete("/v1/admin/alerts/rules/{name}", alerts::delete);

    console.ifPresent(
        routes -> {
          r.before("/console", ConsoleRoutes::headers);
          r.before("/console/*", ConsoleRoutes::headers);
          r.get("/console", routes::index);
          r.get("/console/", routes::index);
          r.post("/console/session", routes::signIn);
          r.get("/console/session", routes::current);
          r.delete("/console/session", routes::signOut);
          r.get("/console/<path>", routes::asset);
        });

    r.get("/v1/stream", streams::sse);
    // Neither the before filters nor the request logger see a WebSocket upgrade: it gets its
    // request id here, and its audit record after the upgrade, or when refused, from the mappers.
    r.wsBeforeUpgrade("/v1/stream", this::beginRequest);
    r.wsBeforeUpgrade("/v1/stream", streams::beforeUpgrade);
    r.wsBeforeUpgrade(
        "/v1/stream",
        ctx -> {
          metrics.seen(Exchanges.principal(ctx).id());
          presence.seen(Exchanges.principal(ctx).id());
        });
    r.wsAfterUpgrade("/v1/stream", auditCapture::finished);
    r.ws("/v1/stream", streams::configure);

    r.exception(
        MailroomException.class,
        (e, ctx) -> {
          mailroomProblem(ctx, e);
          refusedUpgrade(ctx);
        });
    r.exception(
        HttpRefusal.class,
        (e, ctx) -> {
          Exchanges.problem(
              ctx, mapper, ErrorMapping.ofStatus(e.status()), e.getMessage(), e.errors());
          refusedUpgrade(ctx);
        });
    r.exception(HttpResponseException.class, (e, ctx) -> frameworkProblem(ctx, e));
    r.exception(
        Exception.class,
        (e, ctx) -> {
          unexpected(ctx, e);
          refusedUpgrade(ctx);
        });
    c.router.javaLangErrorHandler(this::fatal);
    c.requestLogger.http(this::finishRequest);
    for (ServletEndpoint e : endpoints) {
      EndpointGate gate =
          new EndpointGate(e.path(), authenticator, limits, auditCapture, metrics, this::requestId);
      c.jetty.modifyServletContextHandler(context -> gate.mount(context, e));
    }
  }

  /**
   * Nothing in the API uses servlet sessions, but Javalin asks for one on every WebSocket upgrade
   * (refused ones included): kept, each would hold memory until it expired and set a cookie. The
   * sessions Jetty still makes are cached nowhere and never named to the client.
   */
  private static void withoutSessions(SessionHandler sessions) {
    NullSessionCache none = new NullSessionCache(sessions);
    none.setSessionDataStore(new NullSessionDataStore());
    sessions.setSessionCache(none);
    sessions.setSessionTrackingModes(Set.of());
  }

  private void beginRequest(Context ctx) {
    String id = requestId(ctx.header(Exchanges.REQUEST_ID_HEADER));
    Exchanges.requestId(ctx, id);
    // Each request runs on a virtual thread of its own, so what is put here is its lines' alone.
    MDC.put(MDC_REQUEST_ID, id);
    Optional<String> traceparent = TraceContext.parse(ctx.header(TraceContext.HEADER));
    traceparent.ifPresent(t -> TraceContext.remember(ctx, t));
    traceparent.ifPresentOrElse(
        t -> MDC.put(MDC_TRACE_ID, TraceContext.traceId(t)), () -> MDC.remove(MDC_TRACE_ID));
  }

  /** The client's request id when it is a plausible one, else a new one. */
  String requestId(@Nullable String given) {
    return given != null && CLIENT_REQUEST_ID.matcher(given).matches()
        ? given
        : requestIdPrefix + Long.toString(requestCounter.incrementAndGet(), 36);
  }

  private void authenticate(Context ctx) {
    if (ctx.method() == HandlerType.POST && ctx.path().equals(EnrollmentRoutes.ENROLL_PATH)) {
      return; // authenticated by its enrollment secret, in the route
    }
    Principal caller = caller(ctx);
    metrics.seen(caller.id());
    presence.seen(caller.id());
  }

  /**
   * Authenticates a request by its bearer token or, from the console, by its session cookie (when
   * it has no {@code Authorization} header), and records the caller on it. A console request that
   * may change something must also carry the session's CSRF token.
   *
   * @throws MailroomException if the credential fails, the CSRF token is missing or wrong, or a
   *     limit is reached
   */
  private Principal caller(Context ctx) {
    String cookie =
        consoleSessions.isPresent() && ctx.header("Authorization") == null
            ? ctx.cookie(ConsoleSessions.COOKIE)
            : null;
    if (cookie == null || cookie.isEmpty()) {
      Principal caller = admit(limits, authenticator, ctx).principal();
      Exchanges.principal(ctx, caller);
      return caller;
    }
    ConsoleSessions.Resumed resumed = consoleSessions.get().resume(cookie, ctx.ip());
    Principal caller = resumed.caller().principal();
    Exchanges.principal(ctx, caller); // a refused CSRF token is audited with its caller
    ConsoleSessions.checkCsrf(
        ctx.method().name(), resumed.secret(), ctx.header(ConsoleSessions.CSRF_HEADER));
    return caller;
  }

  /** Authenticates a long request again (a tail), as it was at first. */
  void reauthenticate(Context ctx) {
    caller(ctx);
  }

  /**
   * The caller of a request, within its rate limits.
   *
   * @throws MailroomException if its credentials are missing, wrong or given twice, or it is over a
   *     limit
   */
  static Authenticator.Authenticated admit(
      RateLimits limits, Authenticator authenticator, Context ctx) {
    return limits.admit(
        authenticator,
        Authenticator.authorization(ctx.req().getHeaders("Authorization")),
        ctx.ip());
  }

  private void finishRequest(Context ctx, Float millis) {
    long nanos = (long) (millis * 1_000_000.0);
    metrics.recordRequest(methodOf(ctx), routeOf(ctx), ctx.statusCode(), nanos);
    Exchanges.problemType(ctx).ifPresent(metrics::recordProblem);
    auditCapture.finished(ctx);
    MDC.remove(MDC_REQUEST_ID);
    MDC.remove(MDC_TRACE_ID);
  }

  /**
   * Answers and records a refused WebSocket upgrade: Javalin sends its status and headers but not
   * the body of the problem, and the request logger never sees it.
   */
  private void refusedUpgrade(Context ctx) {
    if (ctx.header("Sec-WebSocket-Key") == null) {
      return;
    }
    try (InputStream result = ctx.resultInputStream()) {
      if (result != null && !ctx.res().isCommitted()) {
        byte[] body = result.readAllBytes();
        ctx.result(new byte[0]);
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
      }
    } catch (IOException e) {
      LOG.debug("could not answer a refused upgrade", e); // the client went away
    }
    auditCapture.finished(ctx);
  }

  /** The request's method; {@code OTHER} for unknown ones, which keeps label sets bounded. */
  static String methodOf(Context ctx) {
    return methodOf(ctx.method().name());
  }

  static String methodOf(String method) {
    return KNOWN_METHODS.contains(method) ? method : "OTHER";
  }

  /** The matched route template, such as {@code /v1/messages/{id}}, or {@value #UNMATCHED}. */
  static String routeOf(Context ctx) {
    @Nullable Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    return endpoint == null ? UNMATCHED : endpoint.path;
  }

  private void mailroomProblem(Context ctx, MailroomException e) {
    ErrorMapping mapping = ErrorMapping.of(e.code());
    List<FieldError> errors = List.of();
    String detail = ServletProblems.detail(e);
    switch (e) {
      case MailroomException.InvalidRequest invalid -> errors = invalid.errors();
      // A file system fault is logged by the store once when it begins, not once per request.
      case MailroomException.Unavailable unavailable when unavailable.fault().isPresent() ->
          LOG.debug(
              "request {} {} {}: {}",
              Exchanges.requestId(ctx).orElse("-"),
              ctx.method(),
              ctx.path(),
              e.getMessage());
      case MailroomException.Unavailable unavailable ->
          LOG.warn(
              "request {} {} {}: unavailable: {}",
              Exchanges.requestId(ctx).orElse("-"),
              ctx.method(),
              ctx.path(),
              e.getMessage(),
              e.getCause());
      default -> {}
    }
    if (e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.FORBIDDEN) {
      // Refusals are logged (never with credentials) so an operator can see who is knocking.
      LOG.info(
          "refused request {} {} {} from {}: {}",
          Exchanges.requestId(ctx).orElse("-"),
          ctx.method(),
          ctx.path(),
          ctx.ip(),
          e.getMessage());
    }
    problemHeaders(e).forEach(ctx::header);
    Exchanges.problem(ctx, mapper, mapping, detail, errors);
  }

  /**
   * The headers of a problem answer for {@code e}: the Bearer challenge of a 401, the wait of a 429
   * (at least a second), and of a 503 or 507 (a store that is down, failing over or out of space:
   * {@value #UNAVAILABLE_RETRY_AFTER} s, about how often the node tries it again).
   */
  /** The {@code Retry-After} of a 503 or 507, in seconds. */
  static final int UNAVAILABLE_RETRY_AFTER = 1;

  static Map<String, String> problemHeaders(MailroomException e) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (e.code() == ErrorCode.UNAUTHENTICATED) {
      headers.put("WWW-Authenticate", "Bearer realm=\"mailroom\"");
    }
    if (e instanceof MailroomException.LimitExceeded limit && limit.retryAfter().isPresent()) {
      headers.put("Retry-After", Long.toString(Math.max(1, limit.retryAfter().get().toSeconds())));
    } else if (e.code() == ErrorCode.RATE_LIMITED) {
      headers.put("Retry-After", "1");
    } else if (e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.INSUFFICIENT_STORAGE) {
      headers.put("Retry-After", Integer.toString(UNAVAILABLE_RETRY_AFTER));
    }
    return headers;
  }

  private void frameworkProblem(Context ctx, HttpResponseException e) {
    ErrorMapping mapping = ErrorMapping.ofStatus(e.getStatus());
    String detail =
        switch (mapping.status()) {
          case 404 -> "no route " + ctx.method() + " " + ctx.path();
          case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
          case 413 -> "the request body is larger than " + config.maxRequestBytes() + " bytes";
          default -> e.getMessage() == null ? mapping.title() : e.getMessage();
        };
    Exchanges.problem(ctx, mapper, mapping, detail, List.of());
  }

  /** An {@link Error} (out of memory, stack overflow) escaped a handler: still answer a problem. */
  private void fatal(HttpServletResponse res, Error error) {
    String id = Optional.ofNullable(res.getHeader(Exchanges.REQUEST_ID_HEADER)).orElse("-");
    LOG.error("request {} failed with an error", id, error);
    if (res.isCommitted()) {
      return;
    }
    try {
      ErrorMapping m = ErrorMapping.INTERNAL;
      Problem problem =
          new Problem(
              m.type(),
              m.title(),
              m.status(),
              "an unexpected error occurred; quote request id " + id + " when reporting it",
              Optional.of(id),
              List.of());
      res.resetBuffer();
      res.setStatus(m.status());
      res.setContentType(Problem.MEDIA_TYPE);
      res.getOutputStream().write(mapper.writeValueAsBytes(problem));
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not answer request {} after an error", id, e);
    }
  }

  private void unexpected(Context ctx, Exception e) {
    String id = Exchanges.requestId(ctx).orElse("-");
    LOG.error("request {} {} {} failed unexpectedly", id, ctx.method(), ctx.path(), e);
    Exchanges.problem(
        ctx,
        mapper,
        ErrorMapping.INTERNAL,
        "an unexpected error occurred; quote request id " + id + " when reporting it",
        List.of());
  }
}
