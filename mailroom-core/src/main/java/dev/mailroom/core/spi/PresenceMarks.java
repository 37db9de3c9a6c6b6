package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The online marks of {@link PresenceStore} kept in this process: what a backend that serves a
 * single node (SQLite, the in-memory store) needs, since no other node reads them. Lapsed marks are
 * ignored by {@link #online} and dropped by {@link #sweep}, so the map holds at most one entry per
 * (node, agent) marked since the last sweep. Thread-safe.
 */
public final class PresenceMarks {
  private record Key(String node, AgentId agent) {}

  private final Map<Key, Instant> marks = new ConcurrentHashMap<>();

  /** See {@link PresenceStore#mark}. */
  public void mark(String node, Collection<AgentId> agents, Instant until) {
    for (AgentId a : agents) {
      marks.put(new Key(node, a), until);
    }
  }

  /** See {@link PresenceStore#clear}. */
  public void clear(String node, AgentId agent) {
    marks.remove(new Key(node, agent));
  }

  /** See {@link PresenceStore#sweep}. */
  public void sweep(Instant now) {
    marks.values().removeIf(until -> !now.isBefore(until));
  }

  /** See {@link PresenceStore#online}. */
  public Set<AgentId> online(Instant now) {
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
