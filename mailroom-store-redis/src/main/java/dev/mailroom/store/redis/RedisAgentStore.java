package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import io.lettuce.core.ScriptOutputType;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Agents in Redis: {@code agents} (id to record), {@code tokens} (token hash to id) and {@code
 * tokenof} (id to its current token hash, so a rotation removes the old one).
 */
final class RedisAgentStore implements AgentStore {
  private final RedisLink link;
  private final Scripts scripts;

  RedisAgentStore(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  @Override
  public void create(AgentRecord agent, String tokenHash) {
    link.runOrConflict(scripts.createAgent(), agent.id().value(), Codec.agent(agent), tokenHash);
  }

  @Override
  public boolean replaceToken(AgentId id, String tokenHash) {
    Long done = link.run(scripts.token(), ScriptOutputType.INTEGER, id.value(), tokenHash);
    return done == 1;
  }

  @Override
  public Optional<AgentRecord> find(AgentId id) {
    byte[] record = link.call(() -> link.sync().hget(link.key("agents"), Codec.utf8(id.value())));
    return Optional.ofNullable(record).map(Codec::agent);
  }

  @Override
  public Optional<AgentRecord> findByTokenHash(String tokenHash) {
    byte[] id = link.call(() -> link.sync().hget(link.key("tokens"), Codec.utf8(tokenHash)));
    return id == null ? Optional.empty() : find(AgentId.of(Codec.text(id)));
  }

  @Override
  public List<AgentRecord> list() {
    return link.call(() -> link.sync().hvals(link.key("agents"))).stream()
        .map(Codec::agent)
        .sorted(Comparator.comparing(AgentRecord::id))
        .toList();
  }
}
