package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryTotals;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Subscriptions and delivery queues in Redis.
 *
 * <p>Keys of the system's own (see {@link KeySpace}): {@code subs} (id to subscription); each
 * agent's subscription ids in {@code sa:<agent>}, and {@code subagent} (id to agent), so the
 * per-agent cap is one {@code SCARD}. In the agent's shard: {@code p:<agent>} (its pending ids) and
 * {@code d:<agent>} (id to {@code subscription|attempts}); per subscription {@code ps:<id>} (its
 * pending {@code id|agent}, oldest first, to drop from a full queue) and its count in the shard's
 * {@code q}; dead letters in {@code dl:<agent>} and {@code dd:<agent>} (id to {@code
 * subscription|attempts|deadAt|reason}), and the shard's in {@code dlall} ({@code id|agent}, so
 * they list by id, then agent; everyone's is the merge of every shard's).
 */
final class RedisDeliveryStore implements DeliveryStore {
  /** Most pending first, then by agent, then by way in. */
  private static final Comparator<Backlog> BY_SIZE =
      Comparator.comparingLong(Backlog::pending)
          .reversed()
          .thenComparing(b -> b.agent().value())
          .thenComparing(b -> b.subscription().value());

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

  /**
   * Empties the subscription's queue in its agent's shard, then deletes it: a delivery routed to it
   * in between stays pending for the agent, as one routed just before would have.
   */
  @Override
  public boolean deleteSubscription(SubscriptionId id) {
    Optional<Subscription> found = subscription(id);
    if (found.isEmpty()) {
      return false;
    }
    link.runIn(
        shard(found.get().agent()),
        scripts.clearSubscription(),
        ScriptOutputType.INTEGER,
        id.value());
    Long done =
        events.tracked(
            token ->
                link.run(token, scripts.deleteSubscription(), ScriptOutputType.INTEGER, id.value()),
            deleted -> deleted == 1);
    return done == 1;
  }

  private int shard(AgentId agent) {
    return link.keys().shard(agent.value());
  }

  private byte[] key(AgentId agent, String kind) {
    return link.key(shard(agent), kind + agent.value());
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
    // Counted in its agent's shard; read from every shard, as a count may outlive its record.
    long total = 0;
    for (byte[] n :
        link.pipelined(link.inEveryShard("q"), (c, q) -> c.hget(q, Codec.utf8(id.value())))) {
      total += n == null ? 0 : Long.parseLong(Codec.text(n));
    }
    return Math.max(0, total);
  }

  @Override
  public List<Delivery> pending(AgentId agent, Optional<MessageId> after, int limit) {
    byte[] queue = key(agent, "p:");
    byte[] states = key(agent, "d:");
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
            token ->
                link.<Long>run(token, shard(agent), scripts.ack(), ScriptOutputType.INTEGER, args),
            n -> n > 0);
    return Math.toIntExact(acked);
  }

  @Override
  public boolean recordAttempts(AgentId agent, MessageId id, int attempts) {
    Long done =
        link.runIn(
            shard(agent),
            scripts.attempts(),
            ScriptOutputType.INTEGER,
            agent.value(),
            Codec.hex(id),
            attempts);
    return done == 1;
  }

  @Override
  public boolean deadLetter(AgentId agent, MessageId id, int attempts, String reason) {
    Long done =
        link.runIn(
            shard(agent),
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
    byte[] d = link.call(() -> link.sync().hget(key(agent, "dd:"), Codec.utf8(Codec.hex(id))));
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
    // One agent's letters are "<id>" in its shard; everyone's are "<id>|<agent>" in each shard's
    // dlall, and "<id>|~" sorts after every agent of that id, so the range starts past all of them.
    List<byte[]> keys =
        agent.isPresent() ? List.of(key(agent.get(), "dl:")) : link.inEveryShard("dlall");
    Optional<String> position =
        after.map(id -> agent.isPresent() ? Codec.hex(id) : Codec.hex(id) + "|~");
    List<DeadLetter> letters = new ArrayList<>();
    while (letters.size() < limit) {
      List<String> members = merged(keys, position);
      if (members.isEmpty()) {
        break;
      }
      for (String text : members) {
        if (letters.size() == limit) {
          break;
        }
        int bar = text.indexOf('|');
        String hex = bar < 0 ? text : text.substring(0, bar);
        AgentId owner = bar < 0 ? agent.orElseThrow() : AgentId.of(text.substring(bar + 1));
        deadLetter(owner, Codec.id(hex)).ifPresent(letters::add);
      }
      position = Optional.of(members.getLast());
    }
    return letters;
  }

  /**
   * The next members after {@code position} of several sorted sets of equal scores, merged in
   * order: each set's next chunk, cut where the first set whose chunk was full stops (beyond it
   * that set may hold members not read yet). Empty once every set is past the position.
   */
  private List<String> merged(List<byte[]> keys, Optional<String> position) {
    Range<byte[]> range = after(position);
    List<List<byte[]>> chunks =
        link.pipelined(keys, (c, key) -> c.zrangebylex(key, range, Limit.create(0, CHUNK)));
    String bound = null;
    List<String> all = new ArrayList<>();
    for (List<byte[]> chunk : chunks) {
      for (byte[] m : chunk) {
        all.add(Codec.text(m));
      }
      if (chunk.size() == CHUNK) {
        String last = Codec.text(chunk.getLast());
        if (bound == null || last.compareTo(bound) < 0) {
          bound = last;
        }
      }
    }
    all.sort(null);
    if (bound != null) {
      String b = bound;
      all.removeIf(m -> m.compareTo(b) > 0);
    }
    return all;
  }

  @Override
  public boolean replay(AgentId agent, MessageId id) {
    byte[] stored = messages.stored(id);
    if (stored == null) {
      return false;
    }
    byte[] sub =
        events.tracked(
            token ->
                link.<byte[]>run(
                    token,
                    shard(agent),
                    scripts.replay(),
                    ScriptOutputType.VALUE,
                    agent.value(),
                    Codec.hex(id),
                    stored),
            replayed -> replayed != null);
    return sub != null;
  }

  @Override
  public int purgeDeadLetters(Optional<AgentId> agent, Optional<MessageId> id) {
    long removed = 0;
    for (int k = 0; k < link.keys().shards(); k++) {
      if (agent.isPresent() && k != shard(agent.get())) {
        continue;
      }
      Long n =
          link.runIn(
              k,
              scripts.purgeDead(),
              ScriptOutputType.INTEGER,
              agent.map(AgentId::value).orElse(""),
              id.map(Codec::hex).orElse(""));
      removed += n;
    }
    return Math.toIntExact(removed);
  }

  /**
   * Pending deliveries are the sum of every shard's {@code q} counts (one {@code HVALS} per shard,
   * as {@link #pendingCount}), dead letters the sum of every shard's {@code dlall} size (one {@code
   * ZCARD} per shard), subscriptions the size of {@code subs}: two round trips and one command,
   * each on counters Redis keeps, whatever the number of deliveries. Dead letters of expired
   * messages count until the cleaner removes them.
   */
  @Override
  public DeliveryTotals totals() {
    long letters = 0;
    for (Long n : link.pipelined(link.inEveryShard("dlall"), (c, key) -> c.zcard(key))) {
      letters += n;
    }
    long subscriptions = link.call(() -> link.sync().hlen(link.key("subs")));
    return new DeliveryTotals(pendingCount(), letters, subscriptions);
  }

  /**
   * Walks every pending delivery of the namespace once ({@link PendingScan}) and counts them per
   * agent and way in, keeping one small record per backlog: its cost grows with the pending
   * deliveries of the whole namespace, not with {@code limit}, in one round trip per {@link
   * PendingScan#CHUNK} of the longest queue. Meant for an operator's look, not for a hot path.
   */
  @Override
  public List<Backlog> backlogs(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    Map<String, Backlog> byWay = new HashMap<>();
    PendingScan.each(
        link,
        (subscription, hex, agent) ->
            byWay.merge(
                agent + "|" + subscription,
                new Backlog(AgentId.of(agent), SubscriptionId.of(subscription), 1, Codec.id(hex)),
                RedisDeliveryStore::sum));
    return byWay.values().stream().sorted(BY_SIZE).limit(limit).toList();
  }

  /** Two counts of one backlog added up, with the older of their oldest. */
  private static Backlog sum(Backlog a, Backlog b) {
    MessageId oldest = a.oldest().compareTo(b.oldest()) <= 0 ? a.oldest() : b.oldest();
    return new Backlog(a.agent(), a.subscription(), a.pending() + b.pending(), oldest);
  }

  /**
   * Reads the agent's pending deliveries with their ways in ({@code d:<agent>}, one {@code HSCAN}
   * page of {@link PendingScan#CHUNK} per round trip) and counts those of {@code subscription}: its
   * cost grows with the agent's pending deliveries, which its inbox bound limits.
   */
  @Override
  public Optional<Backlog> backlog(AgentId agent, SubscriptionId subscription) {
    TreeSet<String> ids = PendingScan.through(link, key(agent, "d:"), subscription);
    return ids.isEmpty()
        ? Optional.empty()
        : Optional.of(new Backlog(agent, subscription, ids.size(), Codec.id(ids.first())));
  }

  /** How many deliveries are pending, over every subscription and inbox. */
  long pendingCount() {
    long total = 0;
    for (List<byte[]> counts : link.pipelined(link.inEveryShard("q"), (c, q) -> c.hvals(q))) {
      for (byte[] n : counts) {
        total += Math.max(0, Long.parseLong(Codec.text(n)));
      }
    }
    return total;
  }
}
