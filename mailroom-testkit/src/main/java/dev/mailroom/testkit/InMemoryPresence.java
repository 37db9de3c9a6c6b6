package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.PresenceMarks;
import dev.mailroom.core.spi.PresenceStore;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory {@link PresenceStore}: marks and last-seen times in maps. Thread-safe. */
final class InMemoryPresence implements PresenceStore {
  private final PresenceMarks marks = new PresenceMarks();
  private final Map<AgentId, Instant> seen = new ConcurrentHashMap<>();

  @Override
  public void mark(String node, Collection<AgentId> agents, Instant until) {
    marks.mark(node, agents, until);
  }

  @Override
  public void clear(String node, AgentId agent) {
    marks.clear(node, agent);
  }

  @Override
  public void sweep(Instant now) {
    marks.sweep(now);
  }

  @Override
  public Set<AgentId> online(Instant now) {
    return marks.online(now);
  }

  @Override
  public void seen(Map<AgentId, Instant> times) {
    times.forEach((a, at) -> seen.merge(a, at, (old, now) -> now.isAfter(old) ? now : old));
  }

  @Override
  public Map<AgentId, Instant> lastSeen(Collection<AgentId> agents) {
    Map<AgentId, Instant> found = new HashMap<>();
    for (AgentId a : agents) {
      Instant at = seen.get(a);
      if (at != null) {
        found.put(a, at);
      }
    }
    return found;
  }
}
