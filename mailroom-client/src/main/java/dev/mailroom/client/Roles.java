package dev.mailroom.client;

import dev.mailroom.protocol.CreateRoleRequest;
import dev.mailroom.protocol.RoleList;
import dev.mailroom.protocol.RoleView;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

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

  /**
   * Every role, built-in ones first, then by name, fetched page by page: one list, with no {@code
   * nextCursor}. Each role names its first members by id (a server names at most 100) and counts
   * them all ({@link RoleView#memberCount()}); {@link Agents#all()} shows every agent's roles.
   */
  public RoleList list() {
    return new RoleList(all().toList());
  }

  /** One page of the roles, built-in ones first, then by name. */
  public RoleList list(PageRequest page) {
    return rest.get("v1", "roles").query(page.parameters()).fetch(RoleList.class);
  }

  /** Every page of the roles from {@code first}, fetched as iterated. */
  public Iterator<RoleList> pages(PageRequest first) {
    return new Pager<>(
        cursor -> list(cursor.map(first::withCursor).orElse(first)), RoleList::nextCursor);
  }

  /** Every role, built-in ones first, then by name, fetched page by page as the stream is read. */
  public Stream<RoleView> all() {
    return Pager.items(pages(PageRequest.first()), RoleList::roles);
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
