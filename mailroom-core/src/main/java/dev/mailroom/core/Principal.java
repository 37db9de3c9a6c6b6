package dev.mailroom.core;

import java.util.Objects;
import java.util.Set;

/** An authenticated caller. */
public record Principal(AgentId id, Set<Role> roles) {
  public Principal {
    Objects.requireNonNull(id, "id");
    roles = Set.copyOf(roles);
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }
}
