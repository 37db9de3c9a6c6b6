package dev.mailroom.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Token lifetime, rate limits, the audit log and TLS.
 *
 * @param tokenTtl how long a token issued without an explicit lifetime authenticates; empty for
 *     ever
 * @param agentRequestsPerSecond the requests one agent may make per second, on average, across the
 *     nodes of one system; 0 for no limit
 * @param agentBurst how many requests one agent may make at once, above that average
 * @param authFailuresPerMinute the failed authentications one client address may make per minute on
 *     one node before its unauthenticated requests get 429; 0 for no limit
 * @param authFailureBurst how many failed authentications one address may make at once
 * @param auditRetention how long audit records are kept
 * @param auditQueueSize how many audit records may wait to be written before requests wait for room
 * @param tls serve HTTPS with this key store instead of plain HTTP, when set
 */
public record SecuritySettings(
    Optional<Duration> tokenTtl,
    int agentRequestsPerSecond,
    int agentBurst,
    int authFailuresPerMinute,
    int authFailureBurst,
    Duration auditRetention,
    int auditQueueSize,
    Optional<Tls> tls) {

  public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(90);
  public static final int DEFAULT_AUDIT_QUEUE_SIZE = 65_536;
  public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 60;
  public static final int DEFAULT_AUTH_FAILURE_BURST = 20;

  public static final SecuritySettings DEFAULTS =
      new SecuritySettings(
          Optional.empty(),
          0,
          0,
          DEFAULT_AUTH_FAILURES_PER_MINUTE,
          DEFAULT_AUTH_FAILURE_BURST,
          DEFAULT_AUDIT_RETENTION,
          DEFAULT_AUDIT_QUEUE_SIZE,
          Optional.empty());

  public SecuritySettings {
    Objects.requireNonNull(tokenTtl, "tokenTtl");
    Objects.requireNonNull(auditRetention, "auditRetention");
    Objects.requireNonNull(tls, "tls");
    if (tokenTtl.isPresent() && (tokenTtl.get().isNegative() || tokenTtl.get().isZero())) {
      throw new IllegalArgumentException("the token lifetime must be positive");
    }
    if (agentRequestsPerSecond < 0 || authFailuresPerMinute < 0) {
      throw new IllegalArgumentException("rate limits must not be negative");
    }
    if ((agentRequestsPerSecond > 0 && agentBurst < 1)
        || (authFailuresPerMinute > 0 && authFailureBurst < 1)) {
      throw new IllegalArgumentException("a rate limit's burst must be at least 1");
    }
    if (auditRetention.isNegative() || auditRetention.isZero()) {
      throw new IllegalArgumentException("the audit retention must be positive");
    }
    if (auditQueueSize < 1) {
      throw new IllegalArgumentException("the audit queue size must be at least 1");
    }
  }

  /**
   * These settings with a per-agent limit: {@code requestsPerSecond} on average (0 for none), and
   * {@code burst} at once. (The configuration loader's default burst is twice the rate.)
   */
  public SecuritySettings withAgentRate(int requestsPerSecond, int burst) {
    return new SecuritySettings(
        tokenTtl,
        requestsPerSecond,
        burst,
        authFailuresPerMinute,
        authFailureBurst,
        auditRetention,
        auditQueueSize,
        tls);
  }

  /** These settings with a limit on failed authentications per client address. */
  public SecuritySettings withAuthFailureRate(int perMinute, int burst) {
    return new SecuritySettings(
        tokenTtl,
        agentRequestsPerSecond,
        agentBurst,
        perMinute,
        burst,
        auditRetention,
        auditQueueSize,
        tls);
  }

  /** These settings serving HTTPS. */
  public SecuritySettings withTls(Tls tls) {
    return new SecuritySettings(
        tokenTtl,
        agentRequestsPerSecond,
        agentBurst,
        authFailuresPerMinute,
        authFailureBurst,
        auditRetention,
        auditQueueSize,
        Optional.of(tls));
  }

  /**
   * A key store holding the server's certificate chain and private key.
   *
   * @param keyStore the file
   * @param password its password (also the key's); never logged
   * @param type {@code PKCS12} (the default) or {@code JKS}
   */
  public record Tls(Path keyStore, String password, String type) {
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(type, "type");
      if (!type.equals("PKCS12") && !type.equals("JKS")) {
        throw new IllegalArgumentException("the key store type must be PKCS12 or JKS");
      }
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + ", type=" + type + ", password=<set>]";
    }
  }
}
