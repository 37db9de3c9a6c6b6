package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.ConsoleSession;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Sign-in to the web console: a token is exchanged for a session, whose secret the browser keeps in
 * an {@code HttpOnly} cookie and which then authenticates the console's API requests in place of
 * the {@code Authorization} header.
 *
 * <p>A session is stored in the agent store, by the SHA-256 of its secret, with the hash of the
 * token it was opened with ({@link ConsoleSession}), so every node of a system accepts it and a
 * sign-out on one ends it on all. Each use looks the session up in the store (console requests come
 * at a person's pace) and then authenticates the token hash as a bearer token would be: a session
 * ends as soon as its token is replaced, revoked or expires, and its caller has exactly the token's
 * roles and permissions.
 *
 * <p>Cross-site requests: the cookie is {@code SameSite=Strict}, and every request that may change
 * something ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) must also carry {@value
 * #CSRF_HEADER} with the session's CSRF token, which the console reads from the sign-in answer: a
 * form or a script on another site can send neither. The CSRF token is an HMAC of the secret, so it
 * needs no storage and cannot be derived without the cookie. Thread-safe.
 */
final class ConsoleSessions {
  static final String COOKIE = "mailroom_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final byte[] CSRF_LABEL = "mailroom console csrf".getBytes(StandardCharsets.UTF_8);

  private final AgentStore agents;
  private final Authenticator authenticator;
  private final RateLimits limits;
  private final InstantSource clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();

  ConsoleSessions(
      AgentStore agents,
      Authenticator authenticator,
      RateLimits limits,
      InstantSource clock,
      Duration ttl) {
    this.agents = agents;
    this.authenticator = authenticator;
    this.limits = limits;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A session just opened: the secret for the cookie, never stored, and who it is for. */
  record Opened(String secret, ConsoleSession session, Authenticator.Authenticated caller) {}

  /** A request's caller by its session, with the session's secret (for the CSRF check). */
  record Resumed(String secret, ConsoleSession session, Authenticator.Authenticated caller) {}

  /** How long a session lasts. */
  Duration ttl() {
    return ttl;
  }

  /**
   * Opens a session for the agent whose token this is, within the failed-authentication limit of
   * the client's address, as a bearer token would be.
   *
   * @throws MailroomException.Unauthenticated if the token is not valid
   * @throws MailroomException.LimitExceeded if the address or the agent is over its limit
   */
  Opened open(String token, String address) {
    Authenticator.Authenticated caller = limits.admit(authenticator, "Bearer " + token, address);
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    Optional<Instant> tokenExpires = caller.agent().tokenExpiresAt();
    if (tokenExpires.isPresent() && tokenExpires.get().isBefore(expires)) {
      expires = tokenExpires.get(); // a session never outlives its token
    }
    ConsoleSession session =
        new ConsoleSession(
            Tokens.hash(secret), caller.agent().id(), caller.tokenHash(), now, expires);
    agents.createSession(session);
    return new Opened(secret, session, caller);
  }

  /**
   * The caller of a request that carries a session cookie, within the limits of its address and
   * agent.
   *
   * @param cookie the cookie's value
   * @throws MailroomException.Unauthenticated if the value is malformed, or names no session, an
   *     expired one, or one whose token is no longer valid
   */
  Resumed resume(String cookie, String address) {
    Optional<String> hash =
        SECRET.matcher(cookie).matches() ? Optional.of(Tokens.hash(cookie)) : Optional.empty();
    return limits.admit(() -> find(cookie, hash), r -> r.caller().agent(), hash, address);
  }

  private Resumed find(String cookie, Optional<String> hash) {
    if (hash.isEmpty()) {
      throw new MailroomException.Unauthenticated("the console session is not valid");
    }
    ConsoleSession session =
        agents
            .findSession(hash.get(), clock.instant())
            .orElseThrow(
                () ->
                    new MailroomException.Unauthenticated(
                        "the console session has ended; sign in again"));
    Authenticator.Authenticated who;
    try {
      who = authenticator.authenticateHash(session.tokenHash());
    } catch (MailroomException.Unauthenticated e) {
      throw new MailroomException.Unauthenticated(
          "the token this console session was opened with is no longer valid");
    }
    if (!who.agent().id().equals(session.agent())) {
      throw new MailroomException.Unauthenticated("the console session is not valid");
    }
    return new Resumed(cookie, session, who);
  }

  /** Ends the session with this secret, if there is one. */
  void close(String secret) {
    if (SECRET.matcher(secret).matches()) {
      agents.deleteSession(Tokens.hash(secret));
    }
  }

  /** The CSRF token of the session with this secret. */
  static String csrfToken(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(CSRF_LABEL));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }

  /**
   * Refuses a request that may change something unless it carries the session's CSRF token.
   *
   * @throws MailroomException.Forbidden naming {@value #CSRF_HEADER} if the header is missing or
   *     wrong
   */
  static void checkCsrf(String method, String secret, @Nullable String header) {
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return;
    }
    byte[] expected = csrfToken(secret).getBytes(StandardCharsets.US_ASCII);
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new MailroomException.Forbidden(
          CSRF_HEADER
              + ": a request of the console that changes something must carry the session's"
              + " CSRF token");
    }
  }
}
