package dev.mailroom.core.access;

import dev.mailroom.core.Role;
import java.time.Instant;
import java.util.Objects;

/** A role an admin created, to grant permissions to a group of agents at once. */
public record CustomRole(Role role, String description, Instant createdAt) {
  public CustomRole {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
