package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PresenceStore} whose online marks are kept in this process: what a backend that serves a
 * single node (SQLite, the in-memory store) needs, since no other node reads them. Subclasses keep
 * the last-seen times. Lapsed marks are ignored by {@link #online} and dropped by {@link #sweep},
 * so the map holds at most one entry per (node, agent) marked since the last sweep. Thread-safe.
 */
public abstract class PresenceMarks implements PresenceStore {
  private record Key(String node, AgentId agent) {}

  private final Map<Key, Instant> marks = new ConcurrentHashMap<>();

  @Override
  public final void mark(String node, Collection<AgentId> agents, Instant until) {
    for (AgentId a : agents) {
      marks.put(new Key(node, a), until);
    }
  }

  @Override
  public final void clear(String node, AgentId agent) {
    marks.remove(new Key(node, agent));
  }

  /** Drops every node's mark of an agent: it was deleted. */
  public final void forget(AgentId agent) {
    marks.keySet().removeIf(k -> k.agent().equals(agent));
  }

  @Override
  public final void sweep(Instant now) {
    marks.values().removeIf(until -> !now.isBefore(until));
  }

  @Override
  public final Set<AgentId> online(Instant now) {
    Set<AgentId> online = new HashSet<>();
    marks.forEach(
        (k, until) -> {
          if (now.isBefore(until)) {
            online.add(k.agent());
          }
        });
    return online;
  }
}
