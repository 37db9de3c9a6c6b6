package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns an {@code Authorization} header into a {@link Principal}. Known tokens are cached by hash
 * in a small LRU map for a short time, so the hot path costs one SHA-256 and one map lookup rather
 * than a store query; a changed token takes effect for everyone within {@link #CACHE_TTL}. Unknown
 * tokens are never cached. Lookups go by the token's hash, so no secret is ever compared character
 * by character. Thread-safe.
 */
final class Authenticator {
  static final int DEFAULT_CACHE_SIZE = 10_000;
  static final Duration CACHE_TTL = Duration.ofSeconds(30);
  private static final String SCHEME = "Bearer ";
  private static final int MAX_TOKEN_LENGTH = 512;

  private final AgentStore agents;
  private final LongSupplier nanoTime;
  private final long ttlNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, Cached> cache;

  private record Cached(Principal principal, long loadedAt) {}

  Authenticator(AgentStore agents, int cacheSize, LongSupplier nanoTime) {
    this.agents = agents;
    this.nanoTime = nanoTime;
    this.ttlNanos = CACHE_TTL.toNanos();
    this.cache =
        new LinkedHashMap<>(Math.min(cacheSize, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > cacheSize;
          }
        };
  }

  static Authenticator create(AgentStore agents) {
    return new Authenticator(agents, DEFAULT_CACHE_SIZE, System::nanoTime);
  }

  /**
   * The caller named by an {@code Authorization} header value.
   *
   * @throws MailroomException.Unauthenticated if the header is missing, malformed or names no agent
   */
  Principal authenticate(@Nullable String authorization) {
    String token = bearerToken(authorization);
    String hash = Tokens.hash(token);
    long now = nanoTime.getAsLong();
    Cached hit = cached(hash, now);
    if (hit != null) {
      return hit.principal();
    }
    Optional<AgentRecord> agent = agents.findByTokenHash(hash);
    if (agent.isEmpty()) {
      throw new MailroomException.Unauthenticated("the bearer token is not valid");
    }
    Principal principal = agent.get().principal();
    lock.lock();
    try {
      cache.put(hash, new Cached(principal, now));
    } finally {
      lock.unlock();
    }
    return principal;
  }

  private @Nullable Cached cached(String hash, long now) {
    lock.lock();
    try {
      Cached e = cache.get(hash);
      if (e == null) {
        return null;
      }
      if (now - e.loadedAt() > ttlNanos) {
        cache.remove(hash);
        return null;
      }
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets every cached principal, e.g. after a token changed. */
  void invalidateAll() {
    lock.lock();
    try {
      cache.clear();
    } finally {
      lock.unlock();
    }
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
