package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An enrollment: a credential an admin issues so that agents register themselves (an orchestrator
 * spawning sub-agents) without the admin's own token. Its secret is kept only as a hash, outside
 * this record. Each registration uses it once; it stops working when its uses are gone or it has
 * expired.
 *
 * @param id how admins name it (listing, revoking); not the secret
 * @param roles the roles of every agent registered with it
 * @param uses how many registrations it allowed when issued (at least 1)
 * @param remaining how many it still allows
 * @param idPrefix when present, every agent registered with it has an id starting so
 * @param issuer the admin who issued it
 */
public record Enrollment(
    String id,
    Set<Role> roles,
    int uses,
    int remaining,
    Instant createdAt,
    Instant expiresAt,
    Optional<String> idPrefix,
    AgentId issuer) {
  public Enrollment {
    Objects.requireNonNull(id, "id");
    roles = Set.copyOf(roles);
    if (uses < 1 || remaining < 0 || remaining > uses) {
      throw new IllegalArgumentException("uses " + uses + ", remaining " + remaining);
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(idPrefix, "idPrefix");
    Objects.requireNonNull(issuer, "issuer");
  }

  /** Whether it has expired at {@code now}. */
  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** This enrollment with {@code left} uses left. */
  public Enrollment withRemaining(int left) {
    return new Enrollment(id, roles, uses, left, createdAt, expiresAt, idPrefix, issuer);
  }

  /** What {@link AgentStore#enroll} did. */
  public sealed interface Outcome {
    /** The agent is registered, and one use of the enrollment is gone. */
    record Enrolled() implements Outcome {}

    /** Nothing happened: the enrollment is unknown (or revoked), expired or used up. */
    record Refused(Reason reason) implements Outcome {}
  }

  /** Why an enrollment refused a registration. */
  public enum Reason {
    UNKNOWN,
    EXPIRED,
    USED_UP
  }
}
