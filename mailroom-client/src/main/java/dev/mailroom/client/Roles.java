package dev.mailroom.client;

import dev.mailroom.protocol.CreateRoleRequest;
import dev.mailroom.protocol.RoleList;
import dev.mailroom.protocol.RoleView;
import java.util.Optional;

/**
 * Roles ({@code /v1/roles}, admins only): groups of agents that rules name. Give an agent a role
 * with {@link Agents#replaceRoles}. Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class Roles {
  private final Rest rest;

  Roles(Rest rest) {
    this.rest = rest;
  }

  /** Every role, built-in ones first, with its members. */
  public RoleList list() {
    return rest.get("v1", "roles").fetch(RoleList.class);
  }

  /** Creates a custom role. */
  public RoleView create(String name, String description) {
    return rest.post("v1", "roles")
        .body(new CreateRoleRequest(name, Optional.of(description)))
        .fetch(RoleView.class);
  }

  /** Deletes a custom role nobody holds, with the rules granted to it. */
  public void delete(String name) {
    rest.delete("v1", "roles", name).send();
  }
}
