package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web console: its files at {@code /console/...} and sign-in at {@code /console/session}. The
 * console is a page of plain JavaScript that calls the {@code /v1} API with a session cookie
 * ({@link ConsoleSessions}), so a person can see and do in it exactly what the token they signed in
 * with may do through the API, with the same checks and the same audit records.
 *
 * <p>Every answer under {@code /console} carries a strict Content-Security-Policy (scripts, styles,
 * images and connections from this origin only; no inline script; no framing) and the usual
 * hardening headers, so that even a rendering mistake cannot run a script an agent wrote.
 */
final class ConsoleRoutes {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";
  private static final String ROOT = "console/";
  private static final Pattern ASSET =
      Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html;charset=utf-8",
          "js", "text/javascript;charset=utf-8",
          "css", "text/css;charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "md", "text/plain;charset=utf-8",
          "txt", "text/plain;charset=utf-8");

  private final ConsoleSessions sessions;
  private final AuditCapture audit;
  private final JsonMapper mapper;
  private final boolean secureCookie;
  private final ClassLoader loader = ConsoleRoutes.class.getClassLoader();
  private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

  ConsoleRoutes(
      ConsoleSessions sessions, AuditCapture audit, JsonMapper mapper, boolean secureCookie) {
    this.sessions = sessions;
    this.audit = audit;
    this.mapper = mapper;
    this.secureCookie = secureCookie;
  }

  /** The answer to every session request: who is signed in, and the CSRF token to send back. */
  record SessionView(String agentId, List<String> roles, String csrfToken, String expiresAt) {}

  /** Sets the console's security headers on an answer under {@code /console}. */
  static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    ctx.header("Cross-Origin-Resource-Policy", "same-origin");
    ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  }

  /** {@code GET /console} and {@code /console/}: the page. */
  void index(Context ctx) {
    serve(ctx, "index.html");
  }

  /** {@code GET /console/<path>}: one of the console's files. */
  void asset(Context ctx) {
    String path = ctx.pathParam("path");
    if (!ASSET.matcher(path).matches() || path.length() > 200) {
      throw new MailroomException.NotFound("the console has no file " + path);
    }
    serve(ctx, path);
  }

  private void serve(Context ctx, String path) {
    byte[] body = assets.get(path);
    if (body == null) {
      body = load(path);
      assets.put(path, body); // bounded: only files the jar holds are kept
    }
    String extension = path.substring(path.lastIndexOf('.') + 1);
    ctx.contentType(TYPES.getOrDefault(extension, "application/octet-stream"));
    // The page itself is never cached, so a new server's page never meets an old session; the
    // files it names are small and revalidated.
    ctx.header("Cache-Control", path.equals("index.html") ? "no-store" : "no-cache");
    ctx.result(body);
  }

  private byte[] load(String path) {
    try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        throw new MailroomException.NotFound("the console has no file " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code POST /console/session} with {@code {"token":"..."}}: signs in. The body must be JSON (a
   * form another site posts is refused before the token is even looked at).
   */
  void signIn(Context ctx) {
    String token = tokenOf(ctx);
    ConsoleSessions.Opened opened;
    try {
      opened = sessions.open(token, ctx.ip());
    } catch (MailroomException e) {
      record(ctx, Optional.empty(), e);
      throw e;
    }
    ctx.header("Set-Cookie", cookie(opened.secret(), sessions.ttl().toSeconds()));
    ctx.header("Cache-Control", "no-store");
    Exchanges.json(
        ctx,
        mapper,
        200,
        view(opened.caller(), opened.secret(), opened.session().expiresAt().toString()));
    record(ctx, Optional.of(opened.caller().agent().id()), null);
  }

  /** {@code GET /console/session}: who the session cookie is for, with its CSRF token. */
  void current(Context ctx) {
    ConsoleSessions.Resumed resumed = resume(ctx);
    ctx.header("Cache-Control", "no-store");
    Exchanges.json(
        ctx,
        mapper,
        200,
        view(resumed.caller(), resumed.secret(), resumed.session().expiresAt().toString()));
  }

  /**
   * {@code DELETE /console/session}: signs out, ending the session on every node, and clears the
   * cookie. Needs the CSRF token, as every change does. A refusal sets no cookie.
   */
  void signOut(Context ctx) {
    ConsoleSessions.Resumed resumed = resume(ctx);
    try {
      ConsoleSessions.checkCsrf(
          "DELETE", resumed.secret(), ctx.header(ConsoleSessions.CSRF_HEADER));
    } catch (MailroomException e) {
      record(ctx, Optional.of(resumed.caller().agent().id()), e);
      throw e;
    }
    sessions.close(resumed.secret());
    ctx.header("Set-Cookie", cookie("", 0));
    ctx.status(204);
    record(ctx, Optional.of(resumed.caller().agent().id()), null);
  }

  private ConsoleSessions.Resumed resume(Context ctx) {
    String cookie = ctx.cookie(ConsoleSessions.COOKIE);
    if (cookie == null || cookie.isEmpty()) {
      throw new MailroomException.Unauthenticated("not signed in to the console");
    }
    return sessions.resume(cookie, ctx.ip());
  }

  private SessionView view(Authenticator.Authenticated who, String secret, String expiresAt) {
    return new SessionView(
        who.agent().id().value(),
        who.agent().roles().stream().map(Role::name).sorted().toList(),
        ConsoleSessions.csrfToken(secret),
        expiresAt);
  }

  private String tokenOf(Context ctx) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(Exchanges.JSON)) {
      throw MailroomException.InvalidRequest.field(
          "Content-Type", "sign in with a JSON body: {\"token\":\"...\"}");
    }
    JsonNode body;
    try {
      body = mapper.readTree(ctx.bodyAsBytes());
    } catch (JacksonException e) {
      throw MailroomException.InvalidRequest.field("body", "is not JSON");
    }
    JsonNode token = body == null ? null : body.get("token");
    if (token == null || !token.isString() || token.asString().isEmpty()) {
      throw MailroomException.InvalidRequest.field("token", "must be the agent's token");
    }
    return token.asString();
  }

  private String cookie(String value, long maxAgeSeconds) {
    return ConsoleSessions.COOKIE
        + "="
        + value
        + "; Path=/; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + (secureCookie ? "; Secure" : "");
  }

  private void record(Context ctx, Optional<AgentId> agent, @Nullable MailroomException refused) {
    audit.endpointRequest(
        Exchanges.requestId(ctx).orElse(AuditCapture.NONE),
        agent,
        ctx.method().name(),
        "/console/session",
        AuditCapture.NONE,
        refused == null ? ctx.statusCode() : ErrorMapping.of(refused.code()).status(),
        Optional.ofNullable(refused).map(ServletProblems::detail));
  }
}
