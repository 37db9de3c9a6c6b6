package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
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
 */
public record AgentRecord(
    AgentId id, Set<Role> roles, Instant createdAt, Optional<Instant> tokenExpiresAt) {
  public AgentRecord {
    Objects.requireNonNull(id, "id");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(tokenExpiresAt, "tokenExpiresAt");
  }

  /** An agent whose token never expires. */
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
}
