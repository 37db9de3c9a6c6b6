package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code /v1} requests into {@link AuditLog} entries: who (the authenticated agent, or {@code
 * -}), what (the method and route template), the resource (set by the handler with {@link
 * Exchanges#auditResource}, else the path parameters, else {@code -}; the path itself for an
 * unknown route), the status and, for a problem answer, its detail. Never a token, a query string
 * or a body. Thread-safe.
 */
final class AuditCapture {
  static final String NONE = "-";
  static final int MAX_DETAIL = 512;
  private static final String RECORDED = "mailroom.audit-recorded";

  private final AuditLog log;
  private final InstantSource clock;

  AuditCapture(AuditLog log, InstantSource clock) {
    this.log = log;
    this.clock = clock;
  }

  /**
   * The name of this node's audit chain: random per start, it names this server process in answers
   * about its own state, and its audit records carry it too.
   */
  String chain() {
    return log.chain();
  }

  /** Records a finished request, unless it is no {@code /v1} request or was recorded already. */
  void finished(Context ctx) {
    String path = ctx.path();
    if ((path.equals("/v1") || path.startsWith("/v1/")) && ctx.attribute(RECORDED) == null) {
      record(ctx);
    }
  }

  /**
   * Records an SSE stream as it opens, with its status set: its request finishes only when the
   * stream ends, which may be hours later.
   */
  void streamOpened(Context ctx) {
    record(ctx);
  }

  /**
   * Records a request to an {@link ServletEndpoint}, which Javalin never sees.
   *
   * @param agent the authenticated agent, if the request got that far
   * @param resource what the request acts on, or {@link #NONE}
   * @param detail the detail of the problem answered, if any
   */
  void endpointRequest(
      String requestId,
      Optional<AgentId> agent,
      String method,
      String path,
      String resource,
      int status,
      Optional<String> detail) {
    write(requestId, agent.map(AgentId::value), method + " " + path, resource, status, detail);
  }

  private void record(Context ctx) {
    ctx.attribute(RECORDED, Boolean.TRUE);
    String route = HttpApi.routeOf(ctx);
    write(
        Exchanges.requestId(ctx).orElse(NONE),
        Exchanges.authenticated(ctx).map(p -> p.id().value()),
        HttpApi.methodOf(ctx) + " " + route,
        resource(ctx, route),
        ctx.statusCode(),
        Exchanges.problemDetail(ctx));
  }

  private void write(
      String requestId,
      Optional<String> actor,
      String action,
      String resource,
      int status,
      Optional<String> detail) {
    log.record(
        new AuditLog.Entry(
            clock.instant(),
            requestId,
            actor.orElse(NONE),
            action,
            abbreviate(resource, AuditRoutes.MAX_TEXT),
            status,
            detail.map(d -> abbreviate(d, MAX_DETAIL)).orElse("")));
  }

  private static String resource(Context ctx, String route) {
    Optional<String> named = Exchanges.auditResource(ctx);
    if (named.isPresent()) {
      return named.get();
    }
    if (route.equals(HttpApi.UNMATCHED)) {
      return ctx.path();
    }
    Map<String, String> params = ctx.pathParamMap();
    return params.isEmpty() ? NONE : String.join("/", params.values());
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
