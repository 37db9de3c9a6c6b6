package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registered agents and the hashes of their tokens. An agent has at most one token; once revoked,
 * it has none until the next {@link #replaceToken}. Implementations are thread-safe, and tell the
 * store's {@link ChangeListener} about every change ({@link ChangeListener#agentChanged}). Every
 * method may throw {@link dev.mailroom.core.MailroomException.Unavailable} when the backend is
 * down.
 */
public interface AgentStore {

  /**
   * Registers an agent and creates its personal mailbox, atomically. The record's {@link
   * AgentRecord#tokenExpiresAt} is the token's expiry.
   *
   * @param tokenHash the hash of its token (never the token)
   * @throws dev.mailroom.core.MailroomException.Conflict if the id is taken by an agent or by a
   *     shared or topic mailbox
   */
  void create(AgentRecord agent, String tokenHash);

  /**
   * Gives an agent a new token, which replaces (and so revokes) the previous one at once.
   *
   * @param expiresAt when the new token stops authenticating; empty for never
   * @return false if there is no such agent
   */
  boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt);

  /**
   * Revokes an agent's token: from now on no token authenticates it, until the next {@link
   * #replaceToken}.
   *
   * @return false if there is no such agent
   */
  boolean revokeToken(AgentId id);

  /**
   * Replaces an agent's roles.
   *
   * @return false if there is no such agent
   */
  boolean replaceRoles(AgentId id, Set<Role> roles);

  Optional<AgentRecord> find(AgentId id);

  /** The agent whose current (unrevoked) token has this hash, expired or not. */
  Optional<AgentRecord> findByTokenHash(String tokenHash);

  /**
   * At most {@code limit} agents, by id, after {@code after} (exclusive) when given: one page of
   * {@link #list()}.
   *
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<AgentRecord> list(Optional<AgentId> after, int limit);

  /** Every agent, by id. */
  default List<AgentRecord> list() {
    return list(Optional.empty(), Integer.MAX_VALUE);
  }
}
