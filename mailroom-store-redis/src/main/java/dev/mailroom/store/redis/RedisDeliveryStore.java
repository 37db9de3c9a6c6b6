package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.DeliveryStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions and delivery queues in Redis.
 *
 * <p>Keys, under the namespace's hash tag: {@code subs} (id to subscription); per agent {@code
 * p:<agent>} (its pending ids) and {@code d:<agent>} (id to {@code subscription|attempts}); per
 * subscription {@code ps:<id>} (its pending {@code id|agent}, oldest first, to drop from a full
 * queue) and its count in {@code q}; dead letters per agent in {@code dl:<agent>} and {@code
 * dd:<agent>} (id to {@code subscription|attempts|deadAt|reason}), and everyone's in {@code dlall}
 * ({@code id|agent}, so they list by id, then agent). Each agent's subscription ids are in {@code
 * sa:<agent>}, and {@code subagent} maps an id to its agent, so the per-agent cap is one {@code
 * SCARD}.
 */
final class RedisDeliveryStore implements DeliveryStore {
  private static final int CHUNK = 256;

  private final RedisLink link;
  private final Scripts scripts;
  private RedisMessageStore messages;
  private RedisEvents events;

  /** Whether this node has filed the subscriptions from before the caps under their agents. */
  private volatile boolean filed;

  RedisDeliveryStore(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  /** Set once while the storage is assembled. */
  void wire(RedisMessageStore messages, RedisEvents events) {
    this.messages = messages;
    this.events = events;
  }

  @Override
  public boolean saveSubscription(Subscription subscription, int maxPerAgent) {
    if (maxPerAgent < Integer.MAX_VALUE) {
      fileSubscriptionsByAgentOnce();
    }
    Long saved =
        events.tracked(
            token ->
                link.run(
                    token,
                    scripts.saveSubscription(),
                    ScriptOutputType.INTEGER,
                    subscription.id().value(),
                    Codec.subscription(subscription),
                    subscription.agent().value(),
                    maxPerAgent),
            done -> done == 1);
    if (saved == 0) {
      throw new MailroomException.Conflict("subscription " + subscription.id() + " exists");
    }
    return saved == 1;
  }

  @Override
  public int subscriptionCount(AgentId agent) {
    fileSubscriptionsByAgentOnce();
    return Math.toIntExact(link.call(() -> link.sync().scard(link.key("sa:" + agent.value()))));
  }

  /**
   * Files, once per node, the subscriptions saved by a Mailroom from before the per-agent caps.
   * Done on first need rather than as the store opens, so that opening a store sends no command (in
   * a Cluster, where Lettuce places the events connection depends on the connections open).
   */
  private void fileSubscriptionsByAgentOnce() {
    if (!filed) {
      fileSubscriptionsByAgent();
      filed = true;
    }
  }

  /**
   * Files every subscription under its agent ({@code sa:<agent>}, {@code subagent}) that is not
   * yet. Idempotent, so nodes may run it at the same time.
   */
  private void fileSubscriptionsByAgent() {
    byte[] subagent = link.key("subagent");
    if (link.call(() -> link.sync().hlen(link.key("subs")))
        .equals(link.call(() -> link.sync().hlen(subagent)))) {
      return;
    }
    for (Subscription s : subscriptions()) {
      byte[] id = Codec.utf8(s.id().value());
      byte[] agent = Codec.utf8(s.agent().value());
      if (Boolean.TRUE.equals(link.call(() -> link.sync().hsetnx(subagent, id, agent)))) {
        link.call(() -> link.sync().sadd(link.key("sa:" + s.agent().value()), id));
      }
    }
  }

  @Override
  public boolean deleteSubscription(SubscriptionId id) {
    Long done =
        events.tracked(
            token ->
                link.run(token, scripts.deleteSubscription(), ScriptOutputType.INTEGER, id.value()),
            deleted -> deleted == 1);
    return done == 1;
  }

  @Override
  public Optional<Subscription> subscription(SubscriptionId id) {
    byte[] s = link.call(() -> link.sync().hget(link.key("subs"), Codec.utf8(id.value())));
    return Optional.ofNullable(s).map(Codec::subscription);
  }

  @Override
  public List<Subscription> subscriptions() {
    return link.call(() -> link.sync().hvals(link.key("subs"))).stream()
        .map(Codec::subscription)
        .sorted(Comparator.comparing(s -> s.id().value()))
        .toList();
  }

  @Override
  public long queued(SubscriptionId id) {
    byte[] n = link.call(() -> link.sync().hget(link.key("q"), Codec.utf8(id.value())));
    return n == null ? 0 : Math.max(0, Long.parseLong(Codec.text(n)));
  }

  @Override
  public List<Delivery> pending(AgentId agent, Optional<MessageId> after, int limit) {
    byte[] queue = link.key("p:" + agent.value());
    byte[] states = link.key("d:" + agent.value());
    List<Delivery> page = new ArrayList<>(Math.min(limit, CHUNK));
    Optional<String> position = after.map(Codec::hex);
    while (page.size() < limit) {
      Range<byte[]> range = after(position);
      List<byte[]> members =
          link.call(() -> link.sync().zrangebylex(queue, range, Limit.create(0, CHUNK)));
      if (members.isEmpty()) {
        break;
      }
      List<String> hexes = members.stream().map(Codec::text).toList();
      List<Optional<Message>> live = messages.live(hexes);
      List<KeyValue<byte[], byte[]>> state =
          link.call(() -> link.sync().hmget(states, members.toArray(byte[][]::new)));
      for (int i = 0; i < hexes.size() && page.size() < limit; i++) {
        if (live.get(i).isPresent() && state.get(i).hasValue()) {
          String[] parts = Codec.text(state.get(i).getValue()).split("\\|", 2);
          page.add(
              new Delivery(
                  live.get(i).get(),
                  agent,
                  SubscriptionId.of(parts[0]),
                  Integer.parseInt(parts[1])));
        }
      }
      if (members.size() < CHUNK) {
        break;
      }
      position = Optional.of(hexes.getLast());
    }
    return page;
  }

  private static Range<byte[]> after(Optional<String> position) {
    return position.isEmpty()
        ? Range.unbounded()
        : Range.from(
            Range.Boundary.excluding(Codec.utf8(position.get())), Range.Boundary.unbounded());
  }

  @Override
  public int acknowledge(AgentId agent, List<MessageId> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    Object[] args = new Object[ids.size() + 1];
    args[0] = agent.value();
    for (int i = 0; i < ids.size(); i++) {
      args[i + 1] = Codec.hex(ids.get(i));
    }
    Long acked =
        events.tracked(
            token -> link.run(token, scripts.ack(), ScriptOutputType.INTEGER, args), n -> n > 0);
    return Math.toIntExact(acked);
  }

  @Override
  public boolean recordAttempts(AgentId agent, MessageId id, int attempts) {
    Long done =
        link.run(
            scripts.attempts(), ScriptOutputType.INTEGER, agent.value(), Codec.hex(id), attempts);
    return done == 1;
  }

  @Override
  public boolean deadLetter(AgentId agent, MessageId id, int attempts, String reason) {
    Long done =
        link.run(
            scripts.dead(),
            ScriptOutputType.INTEGER,
            agent.value(),
            Codec.hex(id),
            attempts,
            reason);
    return done == 1;
  }

  @Override
  public Optional<DeadLetter> deadLetter(AgentId agent, MessageId id) {
    byte[] d =
        link.call(
            () -> link.sync().hget(link.key("dd:" + agent.value()), Codec.utf8(Codec.hex(id))));
    if (d == null) {
      return Optional.empty();
    }
    return messages.find(id).map(m -> letter(m, agent, d));
  }

  /** A dead letter from its stored {@code subscription|attempts|deadAt|reason}. */
  private static DeadLetter letter(Message message, AgentId agent, byte[] stored) {
    String[] p = Codec.text(stored).split("\\|", 4);
    return new DeadLetter(
        message,
        agent,
        SubscriptionId.of(p[0]),
        Integer.parseInt(p[1]),
        p[3],
        Instant.ofEpochMilli(Long.parseLong(p[2])));
  }

  @Override
  public List<DeadLetter> deadLetters(
      Optional<AgentId> agent, Optional<MessageId> after, int limit) {
    // One agent's letters are "<id>"; everyone's are "<id>|<agent>", and "<id>|~" sorts after
    // every agent of that id, so the range starts past all of them.
    byte[] key = agent.isPresent() ? link.key("dl:" + agent.get().value()) : link.key("dlall");
    Optional<String> position =
        after.map(id -> agent.isPresent() ? Codec.hex(id) : Codec.hex(id) + "|~");
    List<DeadLetter> letters = new ArrayList<>();
    while (letters.size() < limit) {
      Range<byte[]> range = after(position);
      List<byte[]> members =
          link.call(() -> link.sync().zrangebylex(key, range, Limit.create(0, CHUNK)));
      if (members.isEmpty()) {
        break;
      }
      for (byte[] member : members) {
        if (letters.size() == limit) {
          break;
        }
        String text = Codec.text(member);
        int bar = text.indexOf('|');
        String hex = bar < 0 ? text : text.substring(0, bar);
        AgentId owner = bar < 0 ? agent.orElseThrow() : AgentId.of(text.substring(bar + 1));
        deadLetter(owner, Codec.id(hex)).ifPresent(letters::add);
      }
      if (members.size() < CHUNK) {
        break;
      }
      position = Optional.of(Codec.text(members.getLast()));
    }
    return letters;
  }

  @Override
  public boolean replay(AgentId agent, MessageId id) {
    byte[] sub =
        events.tracked(
            token ->
                link.<byte[]>run(
                    token, scripts.replay(), ScriptOutputType.VALUE, agent.value(), Codec.hex(id)),
            replayed -> replayed != null);
    return sub != null;
  }

  @Override
  public int purgeDeadLetters(Optional<AgentId> agent, Optional<MessageId> id) {
    Long removed =
        link.run(
            scripts.purgeDead(),
            ScriptOutputType.INTEGER,
            agent.map(AgentId::value).orElse(""),
            id.map(Codec::hex).orElse(""));
    return Math.toIntExact(removed);
  }

  /** How many deliveries are pending, over every subscription and inbox. */
  long pendingCount() {
    long total = 0;
    for (byte[] n : link.call(() -> link.sync().hvals(link.key("q")))) {
      total += Math.max(0, Long.parseLong(Codec.text(n)));
    }
    return total;
  }
}
