package dev.mailroom.protocol;

import java.util.List;

/** The body of {@code PUT /v1/agents/{id}/roles}: the agent's new roles, replacing the old. */
public record RolesRequest(List<String> roles) {
  public RolesRequest {
    roles = List.copyOf(roles);
  }
}
