package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Agents in Redis: {@code agents} (id to record, its token's expiry included), {@code tokens}
 * (token hash to id) and {@code tokenof} (id to its current token hash, so a rotation or a
 * revocation removes the old one; a revoked agent has none).
 *
 * <p>A change reads the agent's record, makes the new one and has a script store it only if the
 * stored record is still the one read (and change the token with it); if another change came in
 * between, it reads again. So concurrent changes of one agent (roles on one node, the token on
 * another) never undo each other.
 */
final class RedisAgentStore implements AgentStore {
  /** What {@code agent_update.lua} answers when the record changed since it was read. */
  private static final long CHANGED = -1;

  private final RedisLink link;
  private final Scripts scripts;
  private final RedisEvents events;

  RedisAgentStore(RedisLink link, Scripts scripts, RedisEvents events) {
    this.link = link;
    this.scripts = scripts;
    this.events = events;
  }

  /**
   * Makes the agent's mailbox in its shard first, then records the agent: an agent is never listed
   * without its mailbox, and a mailbox left by a creation that failed half way is taken up by the
   * next one.
   */
  @Override
  public void create(AgentRecord agent, String tokenHash) {
    String id = agent.id().value();
    String made =
        Codec.text(
            link.<byte[]>runIn(
                link.keys().shard(id), scripts.agentMailbox(), ScriptOutputType.VALUE, id));
    if (!made.equals("ok")) {
      throw new MailroomException.Conflict(made);
    }
    events.runOrConflict(scripts.createAgent(), id, Codec.agent(agent), tokenHash);
  }

  @Override
  public boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt) {
    return update(
        id,
        a -> new AgentRecord(a.id(), a.roles(), a.createdAt(), expiresAt),
        "replace",
        tokenHash);
  }

  @Override
  public boolean revokeToken(AgentId id) {
    return update(id, UnaryOperator.identity(), "revoke", "");
  }

  @Override
  public boolean replaceRoles(AgentId id, Set<Role> roles) {
    return update(
        id, a -> new AgentRecord(a.id(), roles, a.createdAt(), a.tokenExpiresAt()), "keep", "");
  }

  /**
   * Stores {@code change} of the agent's record and does {@code token} ({@code keep}, {@code
   * revoke} or {@code replace} with {@code tokenHash}) to its token, in one script.
   *
   * @return false if there is no such agent
   */
  private boolean update(
      AgentId id, UnaryOperator<AgentRecord> change, String token, String tokenHash) {
    while (true) {
      byte[] read = stored(id);
      if (read == null) {
        return false;
      }
      byte[] changed = Codec.agent(change.apply(Codec.agent(read)));
      Long done =
          events.tracked(
              t ->
                  link.run(
                      t,
                      scripts.updateAgent(),
                      ScriptOutputType.INTEGER,
                      id.value(),
                      read,
                      changed,
                      token,
                      tokenHash),
              updated -> updated == 1);
      if (done != CHANGED) {
        return done == 1;
      }
    }
  }

  private byte @Nullable [] stored(AgentId id) {
    return link.call(() -> link.sync().hget(link.key("agents"), Codec.utf8(id.value())));
  }

  @Override
  public Optional<AgentRecord> find(AgentId id) {
    return Optional.ofNullable(stored(id)).map(Codec::agent);
  }

  @Override
  public Optional<AgentRecord> findByTokenHash(String tokenHash) {
    byte[] id = link.call(() -> link.sync().hget(link.key("tokens"), Codec.utf8(tokenHash)));
    return id == null ? Optional.empty() : find(AgentId.of(Codec.text(id)));
  }

  /**
   * Sorts the ids (the hash keeps no order) and reads the records of this page only: the ids are
   * short, the records are what would make a page as costly as the whole list.
   */
  @Override
  public List<AgentRecord> list(Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    List<String> page =
        link.call(() -> link.sync().hkeys(link.key("agents"))).stream()
            .map(Codec::text)
            .filter(id -> after.isEmpty() || id.compareTo(after.get().value()) > 0)
            .sorted()
            .limit(limit)
            .toList();
    if (page.isEmpty()) {
      return List.of();
    }
    List<KeyValue<byte[], byte[]>> records =
        link.call(() -> link.sync().hmget(link.key("agents"), RedisMessageStore.utf8(page)));
    List<AgentRecord> agents = new ArrayList<>(page.size());
    for (KeyValue<byte[], byte[]> r : records) {
      if (r.hasValue()) {
        agents.add(Codec.agent(r.getValue()));
      }
    }
    return agents;
  }
}
