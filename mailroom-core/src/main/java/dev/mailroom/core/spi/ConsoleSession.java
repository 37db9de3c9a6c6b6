package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * A web console session, opened by signing in with an agent token. Like a token, it is a
 * credential, so the store keeps only the hash of its secret.
 *
 * @param hash the hash of the session's secret; the caller hashes, the store never sees the secret
 * @param agent the agent signed in
 * @param tokenHash the hash of the agent token the session was opened with, so that the session
 *     stops working as soon as that token is replaced or revoked (the caller checks that, not the
 *     store)
 * @param createdAt when it was opened
 * @param expiresAt when it stops working; after {@code createdAt}
 */
public record ConsoleSession(
    String hash, AgentId agent, String tokenHash, Instant createdAt, Instant expiresAt) {
  public ConsoleSession {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("expiresAt " + expiresAt + " is not after " + createdAt);
    }
  }

  /** Whether it has expired at {@code now}. */
  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
