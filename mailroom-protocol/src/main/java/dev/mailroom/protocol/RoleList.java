package dev.mailroom.protocol;

import java.util.List;

/** Every role ({@code GET /v1/roles}). */
public record RoleList(List<RoleView> roles) {
  public RoleList {
    roles = List.copyOf(roles);
  }
}
