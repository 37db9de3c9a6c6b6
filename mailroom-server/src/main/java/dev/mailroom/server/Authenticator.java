package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns an {@code Authorization} header into a {@link Principal}. Known tokens are cached by hash
 * in a small LRU map for a short time, so the hot path costs one SHA-256 and one map lookup rather
 * than a store query. A token replaced or revoked through any node is forgotten at once ({@link
 * #forget}, called for local changes and for other nodes' events); {@link #CACHE_TTL} only bounds
 * how long a missed event could matter. While the store cannot be reached, a token cached before is
 * accepted from the cache however old (so that sends keep reaching a node's spool during a Redis
 * outage). An expired token is refused however it was cached. Unknown tokens are never cached.
 * Lookups go by the token's hash, so no secret is ever compared character by character (the
 * comparison an attacker could time is of hashes). Thread-safe.
 */
final class Authenticator {
  static final int DEFAULT_CACHE_SIZE = 10_000;
  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final String SCHEME = "Bearer ";
  private static final int MAX_TOKEN_LENGTH = 512;

  private final AgentStore agents;
  private final LongSupplier nanoTime;
  private final InstantSource clock;
  private final long ttlNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, Cached> cache;

  /**
   * Bumped by {@link #invalidateAll}: an entry of an earlier generation is reloaded before it is
   * used, but still serves while the store cannot be asked.
   */
  private final AtomicLong generation = new AtomicLong();

  private record Cached(Authenticated who, long loadedAt, long generation) {}

  /** An authenticated agent and the hash of the token it used. */
  record Authenticated(AgentRecord agent, String tokenHash) {
    Principal principal() {
      return agent.principal();
    }
  }

  Authenticator(AgentStore agents, int cacheSize, LongSupplier nanoTime, InstantSource clock) {
    this.agents = agents;
    this.nanoTime = nanoTime;
    this.clock = clock;
    this.ttlNanos = CACHE_TTL.toNanos();
    this.cache =
        new LinkedHashMap<>(Math.min(cacheSize, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > cacheSize;
          }
        };
  }

  static Authenticator create(AgentStore agents, InstantSource clock) {
    return new Authenticator(agents, DEFAULT_CACHE_SIZE, System::nanoTime, clock);
  }

  /**
   * The caller named by an {@code Authorization} header value.
   *
   * @throws MailroomException.Unauthenticated if the header is missing, malformed, names no agent
   *     or an expired token
   */
  Principal authenticate(@Nullable String authorization) {
    return authenticateFully(authorization).principal();
  }

  /**
   * {@link #authenticate}, with the agent's record and the token's hash.
   *
   * @throws MailroomException.Unauthenticated if the header is missing, malformed, names no agent
   *     or an expired token
   */
  Authenticated authenticateFully(@Nullable String authorization) {
    return authenticateHash(Tokens.hash(bearerToken(authorization)));
  }

  /**
   * The agent whose current token has this hash, through the same cache as {@link
   * #authenticateFully}: a console session holds the hash of the token it was opened with.
   *
   * @throws MailroomException.Unauthenticated if the hash names no current token, or an expired one
   */
  Authenticated authenticateHash(String hash) {
    long now = nanoTime.getAsLong();
    long current = generation.get();
    Cached hit = cached(hash);
    if (hit != null && hit.generation() == current && now - hit.loadedAt() <= ttlNanos) {
      return unexpired(hit.who());
    }
    Optional<AgentRecord> agent;
    try {
      agent = agents.findByTokenHash(hash);
    } catch (MailroomException.Unavailable down) {
      if (hit == null) {
        throw down;
      }
      // The store is down (a node on Redis spools its sends meanwhile): a token this node knew,
      // and was not told is revoked, stays good until the store is back.
      return unexpired(hit.who());
    }
    if (agent.isEmpty()) {
      throw new MailroomException.Unauthenticated("the bearer token is not valid");
    }
    Authenticated who = new Authenticated(agent.get(), hash);
    lock.lock();
    try {
      cache.put(hash, new Cached(who, now, current));
    } finally {
      lock.unlock();
    }
    return unexpired(who);
  }

  /** {@code who}, unless its token has expired. */
  private Authenticated unexpired(Authenticated who) {
    if (who.agent().tokenExpired(clock.instant())) {
      throw new MailroomException.Unauthenticated("the bearer token has expired");
    }
    return who;
  }

  /**
   * Whether a token (by hash) still authenticates this agent: not replaced, revoked or expired.
   * Asks the store, never the cache.
   */
  boolean stillValid(AgentId agent, String tokenHash) {
    Optional<AgentRecord> found;
    try {
      found = agents.findByTokenHash(tokenHash);
    } catch (MailroomException.Unavailable down) {
      // The store is down: as authenticateFully, what this node last knew of the token serves.
      Cached hit = cached(tokenHash);
      if (hit == null) {
        throw down;
      }
      found = Optional.of(hit.who().agent());
    }
    return found.filter(a -> a.id().equals(agent) && !a.tokenExpired(clock.instant())).isPresent();
  }

  /**
   * The cached entry of a token, however old: a caller checks its age, and uses an old one only
   * while the store cannot be asked.
   */
  private @Nullable Cached cached(String hash) {
    lock.lock();
    try {
      return cache.get(hash);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the cached tokens of one agent, whose token or roles changed. */
  void forget(AgentId agent) {
    lock.lock();
    try {
      cache.values().removeIf(c -> c.who().agent().id().equals(agent));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Has every cached principal reloaded before it is used again (changes may have been missed); an
   * old one still serves while the store is down, as an expired one does.
   */
  void invalidateAll() {
    generation.incrementAndGet();
  }

  /**
   * The request's {@code Authorization} header, if it has one. Two are refused rather than one of
   * them picked: a proxy and a client that disagree about the caller must not be settled silently.
   *
   * @param values every value of the header in the request
   * @throws MailroomException.InvalidRequest naming {@code Authorization} if there are several
   */
  static @Nullable String authorization(Enumeration<String> values) {
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    if (values.hasMoreElements()) {
      throw MailroomException.InvalidRequest.field(
          "Authorization", "must be sent once, not several times");
    }
    return first;
  }

  static String bearerToken(@Nullable String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw new MailroomException.Unauthenticated(
          "missing credentials: send 'Authorization: Bearer <token>'");
    }
    if (authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new MailroomException.Unauthenticated(
          "the Authorization header must use the Bearer scheme");
    }
    String token = authorization.substring(SCHEME.length()).strip();
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw new MailroomException.Unauthenticated("the bearer token is not valid");
    }
    return token;
  }
}
