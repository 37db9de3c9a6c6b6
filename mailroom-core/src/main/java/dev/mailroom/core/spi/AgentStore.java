package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registered agents and the hashes of their tokens, their enrollments, and the web console's
 * sessions. An agent has at most one token; once revoked, it has none until the next {@link
 * #replaceToken}. Implementations are thread-safe, and tell the store's {@link ChangeListener}
 * about every change to an agent ({@link ChangeListener#agentChanged}), but not about sessions,
 * which no view caches. Every method may throw {@link
 * dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
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

  /**
   * Replaces what an agent says about itself in the directory.
   *
   * @return false if there is no such agent
   */
  boolean updateProfile(AgentId id, AgentProfile profile);

  /**
   * Retires an agent: revokes its token, as {@link #revokeToken} does, and marks it retired at
   * {@code at} (an agent retired before keeps its first time). Its mailbox and mail are untouched.
   *
   * @return false if there is no such agent
   */
  boolean retire(AgentId id, Instant at);

  /**
   * Deletes an agent and what only it owns: its record and profile, its token (refused from now
   * on), its subscriptions (each told to the listener as deleted) and their pending deliveries, its
   * dead letters, read marks and idempotency keys, its last-seen time and presence marks, its
   * reservations, its console sessions (or leaves them to expire where the backend cannot find them
   * by agent: they are refused anyway, as they name an agent that is gone) and its mailbox with its
   * entries. A message goes with the agent's entry when no other mailbox holds it; messages it sent
   * to others, and access rules naming it, stay. Idempotent: a deletion that stopped half way (a
   * backend that needs several steps, Redis) is finished by the next call, and until then the
   * agent's id cannot be registered again. The listener hears {@link ChangeListener#agentChanged}
   * once the agent is gone from the records.
   *
   * @return false if there is no such agent, and no deletion of one is left to finish
   */
  boolean delete(AgentId id);

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

  /**
   * Stores an enrollment whose secret has the hash {@code hash}.
   *
   * @throws dev.mailroom.core.MailroomException.Conflict if its id or its hash is taken
   */
  void createEnrollment(Enrollment enrollment, String hash);

  /** The enrollment whose secret has this hash, as stored: expired or used up ones included. */
  Optional<Enrollment> findEnrollment(String hash);

  /** Every enrollment not revoked, expired and used up ones included, by id. */
  List<Enrollment> enrollments();

  /**
   * Revokes an enrollment: its secret registers nobody from now on.
   *
   * @return false if there is no such enrollment
   */
  boolean deleteEnrollment(String id);

  /**
   * Registers {@code agent} (as {@link #create}) with one use of the enrollment whose secret has
   * the hash {@code enrollmentHash}, atomically: however many registrations race, an enrollment of
   * {@code k} uses registers at most {@code k} agents, and a refused or failed one uses nothing.
   *
   * @param now the time its expiry is judged at
   * @throws dev.mailroom.core.MailroomException.Conflict if the id is taken (no use is consumed)
   */
  Enrollment.Outcome enroll(
      String enrollmentHash, AgentRecord agent, String tokenHash, Instant now);

  /**
   * Stores a console session, replacing the one with the same {@link ConsoleSession#hash} if there
   * is one. The store does not check that its agent exists.
   */
  void createSession(ConsoleSession session);

  /**
   * The console session whose secret has this hash; empty when there is none or it has expired at
   * {@code now} ({@link ConsoleSession#expiresAt} at or before {@code now}).
   */
  Optional<ConsoleSession> findSession(String hash, Instant now);

  /**
   * Deletes a console session: signing out.
   *
   * @return whether it was there, expired or not (a backend whose keys expire by themselves, Redis,
   *     may have already removed an expired one)
   */
  boolean deleteSession(String hash);

  /**
   * Deletes the console sessions expired at {@code now}: what a periodic cleaning pass calls, so
   * that sessions nobody signed out of do not pile up.
   *
   * @return how many it deleted; a backend whose keys expire by themselves (Redis) does not count
   *     those already gone, so it may return 0
   */
  int deleteExpiredSessions(Instant now);
}
