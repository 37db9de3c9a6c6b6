package dev.mailroom.protocol;

import java.util.List;

/**
 * A role and who holds it.
 *
 * @param builtIn {@code admin}, {@code agent} and {@code observer} are built in
 */
public record RoleView(String name, boolean builtIn, String description, List<String> members) {
  public RoleView {
    members = List.copyOf(members);
  }
}
