package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A registered agent. Its token is kept only as a hash, outside this record.
 *
 * @param tokenExpiresAt when its current token stops authenticating; empty when it never does
 * @param profile what it says about itself in the directory
 * @param retiredAt when an admin retired it (its token revoked for good, its mail kept); empty
 *     while it is active
 */
public record AgentRecord(
    AgentId id,
    Set<Role> roles,
    Instant createdAt,
    Optional<Instant> tokenExpiresAt,
    AgentProfile profile,
    Optional<Instant> retiredAt) {
  public AgentRecord {
    Objects.requireNonNull(id, "id");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(tokenExpiresAt, "tokenExpiresAt");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(retiredAt, "retiredAt");
  }

  /** An active agent with an empty profile. */
  public AgentRecord(
      AgentId id, Set<Role> roles, Instant createdAt, Optional<Instant> tokenExpiresAt) {
    this(id, roles, createdAt, tokenExpiresAt, AgentProfile.EMPTY, Optional.empty());
  }

  /** An active agent with an empty profile, whose token never expires. */
  public AgentRecord(AgentId id, Set<Role> roles, Instant createdAt) {
    this(id, roles, createdAt, Optional.empty());
  }

  public Principal principal() {
    return new Principal(id, roles);
  }

  /** Whether its token has expired at {@code now}. */
  public boolean tokenExpired(Instant now) {
    return tokenExpiresAt.isPresent() && !now.isBefore(tokenExpiresAt.get());
  }

  /** Whether an admin retired it. */
  public boolean retired() {
    return retiredAt.isPresent();
  }

  public AgentRecord withRoles(Set<Role> newRoles) {
    return new AgentRecord(id, newRoles, createdAt, tokenExpiresAt, profile, retiredAt);
  }

  public AgentRecord withTokenExpiresAt(Optional<Instant> expiry) {
    return new AgentRecord(id, roles, createdAt, expiry, profile, retiredAt);
  }

  public AgentRecord withProfile(AgentProfile newProfile) {
    return new AgentRecord(id, roles, createdAt, tokenExpiresAt, newProfile, retiredAt);
  }

  /** This agent retired at {@code at}, or still at the time it was first retired. */
  public AgentRecord retiredAt(Instant at) {
    return new AgentRecord(
        id, roles, createdAt, tokenExpiresAt, profile, Optional.of(retiredAt.orElse(at)));
  }
}
