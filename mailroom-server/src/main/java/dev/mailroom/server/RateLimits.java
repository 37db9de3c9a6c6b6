package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.store.redis.RedisOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The rate limits in front of every {@code /v1} request (see {@link #admit}).
 *
 * <ul>
 *   <li><b>Per agent</b>, when {@link SecuritySettings#agentRequestsPerSecond()} is above 0: each
 *       authenticated request takes a token from its agent's bucket, which holds {@link
 *       SecuritySettings#agentBurst()} and refills at the rate. On the Redis backend the buckets
 *       are in Redis, so the limit holds across the nodes of one system; otherwise in this node's
 *       memory.
 *   <li><b>Per client address</b>, when {@link SecuritySettings#authFailuresPerMinute()} is above
 *       0: each request whose credentials fail takes a token from its address's bucket on this
 *       node. While the bucket is empty, requests from that address that do not authenticate get
 *       429 instead of 401; requests from it with a valid token are still served. The limit is on
 *       failures, not on addresses, because many agents may share one address (a host, a NAT, a
 *       proxy): one misbehaving client must not lock out the others, and a client with a valid
 *       token has already proven what the limit guards against.
 * </ul>
 *
 * <p>While an address is blocked, a request with a token this node has already seen fail is refused
 * without asking the store; one with another token is looked up once, since it may be a valid token
 * of another client at that address. Thread-safe.
 */
final class RateLimits implements AutoCloseable {
  /** Most agents, and most client addresses, whose buckets one node keeps in memory. */
  static final int MAX_LOCAL_BUCKETS = 65_536;

  /** Most failed token hashes remembered, to refuse a blocked address without a store lookup. */
  static final int MAX_REMEMBERED_FAILURES = 4_096;

  private static final String FAILURES = "too many failed authentications from this address";

  /** What a 429 was for; the {@code kind} tag of the metric. */
  enum Kind {
    /** An agent over its request rate. */
    AGENT,
    /** An unauthenticated request from an address with too many failed authentications. */
    ADDRESS;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Optional<Buckets> agents;
  private final int agentRate;
  private final Optional<LocalBuckets> addresses;
  private final LruMap<String, Boolean> failedTokens = new LruMap<>(MAX_REMEMBERED_FAILURES);
  private final Map<Kind, LongAdder> limited = new EnumMap<>(Kind.class);

  RateLimits(SecuritySettings settings, Optional<Buckets> agents, InstantSource clock) {
    this.agents = agents;
    this.agentRate = settings.agentRequestsPerSecond();
    this.addresses =
        settings.authFailuresPerMinute() == 0
            ? Optional.empty()
            : Optional.of(
                new LocalBuckets(
                    Buckets.refilling(
                        settings.authFailureBurst(),
                        settings.authFailuresPerMinute(),
                        Duration.ofMinutes(1)),
                    clock,
                    MAX_LOCAL_BUCKETS));
    for (Kind kind : Kind.values()) {
      limited.put(kind, new LongAdder());
    }
  }

  /**
   * The limits of a server: per-agent buckets in Redis when it runs on Redis (and was given no
   * store of its own), else in memory.
   *
   * @throws MailroomException.Unavailable if a per-agent limit is set and Redis cannot be reached
   */
  static RateLimits create(ServerConfig config) {
    SecuritySettings s = config.security();
    Optional<Buckets> agents = Optional.empty();
    if (s.agentRequestsPerSecond() > 0) {
      var limit =
          Buckets.refilling(s.agentBurst(), s.agentRequestsPerSecond(), Duration.ofSeconds(1));
      Optional<RedisOptions> redis =
          config.storage().isPresent() ? Optional.empty() : config.redis();
      agents =
          Optional.of(
              redis.isPresent()
                  ? RedisBuckets.connect(redis.get(), "agent", limit, config.clock())
                  : new LocalBuckets(limit, config.clock(), MAX_LOCAL_BUCKETS));
    }
    return new RateLimits(s, agents, config.clock());
  }

  /**
   * Authenticates a request and applies the limits to it.
   *
   * @param authorization the {@code Authorization} header, if any
   * @param address the client's address
   * @return the authenticated caller, within its agent's limit
   * @throws MailroomException.Unauthenticated if the credentials fail and the address is not
   *     blocked
   * @throws MailroomException.LimitExceeded (429, with a wait) if the credentials fail and the
   *     address is blocked, or the agent is over its rate
   * @throws MailroomException.Unavailable if the store or the Redis buckets do not answer
   */
  Authenticator.Authenticated admit(
      Authenticator authenticator, @Nullable String authorization, String address) {
    return admit(
        () -> authenticator.authenticateFully(authorization),
        Authenticator.Authenticated::agent,
        tokenHash(authorization),
        address);
  }

  /**
   * {@link #admit(Authenticator, String, String)} for any credential, such as a console session:
   * {@code check} authenticates it, and a failure counts against the address as a wrong token does.
   *
   * @param agentOf the agent whose rate the authenticated request is taken from
   * @param credentialHash the hash of the credential, by which a credential that failed before is
   *     known; empty when it is malformed (which counts as failed before)
   */
  <T> T admit(
      Supplier<T> check,
      Function<T, AgentRecord> agentOf,
      Optional<String> credentialHash,
      String address) {
    Optional<Duration> blocked = addresses.flatMap(a -> a.emptyFor(address));
    if (blocked.isPresent()
        && (credentialHash.isEmpty() || failedTokens.get(credentialHash.get()).isPresent())) {
      throw limited(Kind.ADDRESS, blocked.get(), FAILURES);
    }
    T caller;
    try {
      caller = check.get();
    } catch (MailroomException.Unauthenticated e) {
      credentialHash.ifPresent(h -> failedTokens.put(h, Boolean.TRUE));
      // A failure takes a token; when a concurrent failure took the last one, it is over too.
      Optional<Duration> wait = blocked.or(() -> addresses.flatMap(a -> a.take(address)));
      if (wait.isPresent()) {
        throw limited(Kind.ADDRESS, wait.get(), FAILURES);
      }
      throw e;
    }
    admitAgent(agentOf.apply(caller).id());
    return caller;
  }

  /**
   * Takes one request of an authenticated agent from its rate (a send over an open stream).
   *
   * @throws MailroomException.LimitExceeded (429, with a wait) if the agent is over its rate
   */
  void admitAgent(AgentId agent) {
    if (agents.isPresent()) {
      Optional<Duration> wait = agents.get().take(agent.value());
      if (wait.isPresent()) {
        throw limited(
            Kind.AGENT,
            wait.get(),
            "agent " + agent + " is over its limit of " + agentRate + " requests per second");
      }
    }
  }

  /** How many requests were answered 429 for this reason since the server started. */
  long limited(Kind kind) {
    return limited.get(kind).sum();
  }

  /**
   * Whether these credentials are known to fail without asking the store: malformed (never looked
   * up), or a token that failed before. A token that failed stays invalid: tokens are random, so no
   * later agent or rotation issues the same one.
   */
  private static Optional<String> tokenHash(@Nullable String authorization) {
    try {
      return Optional.of(Tokens.hash(Authenticator.bearerToken(authorization)));
    } catch (MailroomException.Unauthenticated malformed) {
      return Optional.empty();
    }
  }

  private MailroomException.LimitExceeded limited(Kind kind, Duration wait, String why) {
    limited.get(kind).increment();
    return MailroomException.LimitExceeded.rateLimited(
        why + "; try again in " + wait.toSeconds() + " s", wait);
  }

  @Override
  public void close() {
    agents.ifPresent(Buckets::close);
  }
}
