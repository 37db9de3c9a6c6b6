package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.PresenceStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence in Redis, among the system's own keys. {@code presence} is a sorted set of {@code
 * <node>|<agent>} scored by when the mark lapses (epoch milliseconds by the marking node's clock),
 * so a node's refresh is one {@code ZADD} of all its agents, and whether an agent is online is a
 * range read from now on, whichever node holds its connection; a crashed node's marks lapse, and
 * any node's next {@link #sweep} removes them. {@code lastseen} maps an agent to when it was last
 * seen, kept by {@code presence_seen.lua} so that it only moves forward. Thread-safe.
 */
final class RedisPresence implements PresenceStore {
  private static final char SEPARATOR = '|';

  private final RedisLink link;
  private final Scripts scripts;

  RedisPresence(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  @Override
  public void mark(String node, Collection<AgentId> agents, Instant until) {
    if (agents.isEmpty()) {
      return;
    }
    byte[] key = link.key("presence");
    double score = until.toEpochMilli();
    @SuppressWarnings("unchecked")
    ScoredValue<byte[]>[] values = new ScoredValue[agents.size()];
    int i = 0;
    for (AgentId a : agents) {
      values[i++] = ScoredValue.just(score, member(node, a));
    }
    link.write(key, c -> c.zadd(key, values));
  }

  @Override
  public void sweep(Instant now) {
    byte[] key = link.key("presence");
    Range<Long> lapsed =
        Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now.toEpochMilli()));
    link.write(key, c -> c.zremrangebyscore(key, lapsed));
  }

  @Override
  public void clear(String node, AgentId agent) {
    byte[] key = link.key("presence");
    byte[] member = member(node, agent);
    link.write(key, c -> c.zrem(key, member));
  }

  @Override
  public Set<AgentId> online(Instant now) {
    byte[] key = link.key("presence");
    Range<Long> live =
        Range.from(Range.Boundary.excluding(now.toEpochMilli()), Range.Boundary.unbounded());
    Set<AgentId> online = new HashSet<>();
    for (byte[] m : link.call(() -> link.sync().zrangebyscore(key, live))) {
      String text = Codec.text(m);
      online.add(AgentId.of(text.substring(text.lastIndexOf(SEPARATOR) + 1)));
    }
    return online;
  }

  @Override
  public void seen(Map<AgentId, Instant> seen) {
    if (seen.isEmpty()) {
      return;
    }
    List<Object> args = new ArrayList<>(seen.size() * 2);
    seen.forEach(
        (a, at) -> {
          args.add(a.value());
          args.add(Long.toString(at.toEpochMilli()));
        });
    link.run(scripts.seen(), ScriptOutputType.INTEGER, args.toArray());
  }

  @Override
  public Map<AgentId, Instant> lastSeen(Collection<AgentId> agents) {
    if (agents.isEmpty()) {
      return Map.of();
    }
    List<AgentId> asked = List.copyOf(agents);
    byte[][] fields = asked.stream().map(a -> Codec.utf8(a.value())).toArray(byte[][]::new);
    List<KeyValue<byte[], byte[]>> found =
        link.call(() -> link.sync().hmget(link.key("lastseen"), fields));
    Map<AgentId, Instant> times = new HashMap<>();
    for (int i = 0; i < found.size(); i++) {
      if (found.get(i).hasValue()) {
        times.put(
            asked.get(i),
            Instant.ofEpochMilli(Long.parseLong(Codec.text(found.get(i).getValue()))));
      }
    }
    return times;
  }

  private static byte[] member(String node, AgentId agent) {
    return Codec.utf8(node + SEPARATOR + agent.value());
  }
}
