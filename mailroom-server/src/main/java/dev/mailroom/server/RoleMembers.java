package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds some roles: the first holders of each by id, and how many hold it in all. The agents
 * are read a batch at a time, so neither memory nor the answer grows with their number beyond the
 * counts.
 */
final class RoleMembers {
  /** Agents read from the store at once. */
  static final int BATCH = 1000;

  private RoleMembers() {}

  /**
   * The holders of one role.
   *
   * @param first the first of them by id, at most as many as were asked for
   * @param count how many agents hold it
   */
  record Holders(List<String> first, int count) {
    static final Holders NONE = new Holders(List.of(), 0);

    Holders {
      first = List.copyOf(first);
    }

    /** The holders named, and how many more there are: {@code "a, b and 3 more"}. */
    String describe() {
      String named = String.join(", ", first);
      return count > first.size() ? named + " and " + (count - first.size()) + " more" : named;
    }
  }

  /**
   * The holders of each of {@code roles}, naming at most {@code shown} of each; a role nobody holds
   * maps to {@link Holders#NONE}.
   */
  static Map<Role, Holders> of(AgentStore agents, Collection<Role> roles, int shown) {
    return of(agents, roles, shown, BATCH);
  }

  /** {@link #of(AgentStore, Collection, int)}, reading {@code batch} agents at a time. */
  static Map<Role, Holders> of(AgentStore agents, Collection<Role> roles, int shown, int batch) {
    Map<Role, List<String>> first = new HashMap<>();
    Map<Role, Integer> counts = new HashMap<>();
    for (Role r : roles) {
      first.put(r, new ArrayList<>());
      counts.put(r, 0);
    }
    Optional<AgentId> after = Optional.empty();
    List<AgentRecord> page = roles.isEmpty() ? List.of() : agents.list(after, batch);
    while (!page.isEmpty()) {
      for (AgentRecord a : page) {
        for (Role r : a.roles()) {
          List<String> named = first.get(r);
          if (named != null) {
            counts.merge(r, 1, Integer::sum);
            if (named.size() < shown) {
              named.add(a.id().value());
            }
          }
        }
      }
      after = Optional.of(page.getLast().id());
      page = page.size() < batch ? List.of() : agents.list(after, batch);
    }
    Map<Role, Holders> holders = new HashMap<>();
    for (Role r : roles) {
      holders.put(r, new Holders(first.get(r), counts.get(r)));
    }
    return holders;
  }
}
