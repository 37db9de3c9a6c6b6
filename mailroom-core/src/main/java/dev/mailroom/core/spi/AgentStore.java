package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import java.util.List;
import java.util.Optional;

/**
 * Registered agents and the hashes of their tokens. Implementations are thread-safe. Every method
 * may throw {@link dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface AgentStore {

  /**
   * Registers an agent and creates its personal mailbox, atomically.
   *
   * @param tokenHash the hash of its token (never the token)
   * @throws dev.mailroom.core.MailroomException.Conflict if the id is taken by an agent or by a
   *     shared or topic mailbox
   */
  void create(AgentRecord agent, String tokenHash);

  /** Replaces an agent's token hash; false if there is no such agent. */
  boolean replaceToken(AgentId id, String tokenHash);

  Optional<AgentRecord> find(AgentId id);

  /** The agent whose token has this hash. */
  Optional<AgentRecord> findByTokenHash(String tokenHash);

  /** Every agent, by id. */
  List<AgentRecord> list();
}
