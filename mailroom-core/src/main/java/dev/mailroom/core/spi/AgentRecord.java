package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import java.time.Instant;
import java.util.Set;

/** A registered agent. Its token is kept only as a hash, outside this record. */
public record AgentRecord(AgentId id, Set<Role> roles, Instant createdAt) {
  public AgentRecord {
    roles = Set.copyOf(roles);
  }

  public Principal principal() {
    return new Principal(id, roles);
  }
}
