package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.PresenceMarks;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link dev.mailroom.core.spi.PresenceStore}: marks and last-seen times in maps.
 * Thread-safe.
 */
final class InMemoryPresence extends PresenceMarks {
  private final Map<AgentId, Instant> seen = new ConcurrentHashMap<>();

  /** The agent was deleted: its marks and last-seen time go. */
  void forgetAgent(AgentId agent) {
    forget(agent);
    seen.remove(agent);
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
