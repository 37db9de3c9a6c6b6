package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Presence: which agents are online (have a stream, a waiting long poll or an MCP session open on
 * some node) and when each was last seen. A node marks the agents it holds connections of, each
 * mark lasting until a time it sets and refreshes while the connection lasts, so that the marks of
 * a node that crashed lapse by themselves; an agent is online while it has an unlapsed mark from
 * any node. Nothing here goes through the {@link ChangeListener}: nothing caches it.
 * Implementations are thread-safe; every method may throw {@link
 * dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface PresenceStore {

  /**
   * Marks each of {@code agents} online from {@code node} until {@code until} (replacing the node's
   * earlier marks of them).
   */
  void mark(String node, Collection<AgentId> agents, Instant until);

  /** Removes the node's mark of an agent: its last connection there closed. */
  void clear(String node, AgentId agent);

  /** Removes the marks, of every node, that have lapsed at {@code now}: housekeeping only. */
  void sweep(Instant now);

  /** Every agent with a mark, from any node, that has not lapsed at {@code now}. */
  Set<AgentId> online(Instant now);

  /**
   * Notes that these agents were seen (authenticated or connected) at the times given; a time
   * earlier than the one stored is ignored. Callers write at most about once a minute per agent.
   */
  void seen(Map<AgentId, Instant> seen);

  /** When each of {@code agents} was last seen; an agent never seen is left out. */
  Map<AgentId, Instant> lastSeen(Collection<AgentId> agents);
}
