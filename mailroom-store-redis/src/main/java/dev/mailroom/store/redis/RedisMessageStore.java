package dev.mailroom.store.redis;

import static io.lettuce.core.ScriptOutputType.MULTI;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.search.SearchDocument;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchRequest;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Messages, mailboxes and read state in Redis, spread over the namespace's shards (see {@link
 * KeySpace}). A send is one Lua script in its home shard, all or nothing, which on a single Redis
 * also delivers to every recipient; in a Cluster it delivers to its own shard's recipients and
 * leaves the others to an outbox, which this node then delivers shard by shard and settles (see
 * send_core.lua); the cleaner finishes what a node left half done. Reads walk a mailbox's sorted
 * set of ids a chunk at a time and test the query's filter on this node, with one round trip per
 * chunk for the messages (one {@code HMGET} per shard they are in) and one for the reader's marks.
 *
 * <p>Keys of each shard: {@code msgs} (id to stored message, for the messages whose home it is),
 * {@code exp} (every id the shard refers to, by expiry), {@code where} (id to the shard's mailboxes
 * holding it, for the cleaner), {@code e:<name>} (a mailbox's ids), {@code mb:<name>} (its kind and
 * counters), {@code rd:<reader>} (the reader's marks by id), {@code rb:<id>} (the shard's readers
 * of a message), {@code rs} (marks by change time), {@code idem} and {@code idemx} (idempotency
 * keys of the sends made here, and by time), {@code ob} and {@code obx} (the outbox: sends whose
 * other shards are still to be delivered, by time, and what is left of each), {@code att} (id to
 * the blobs its attachments name, comma-separated, for the messages whose home it is that carry
 * any: written with the message, removed with it), {@code th:<thread>} (the ids of a thread's
 * messages whose home it is, by lex: a thread's page merges every shard's) and {@code thx} (id to
 * its thread, so that the cleaner removes it from its thread's index with the message), and the
 * search index of the messages whose home it is ({@code sx:<term>}, {@code sterms}, {@code sd},
 * {@code sstat}: {@link RedisSearch}).
 */
final class RedisMessageStore implements MessageStore {
  /** How many entries of a shard's {@code att} one {@code HSCAN} asks for. */
  private static final int SCAN_PAGE = 1_000;

  private final RedisLink link;
  private final Scripts scripts;
  private final RedisEvents events;
  private final InstantSource clock;
  private final RetentionPolicy retention;
  private final KeySpace keys;
  private final RedisSearch search;

  /** The ids this node gives its messages. */
  private final NodeIds ids;

  /** Where a sent message's obligation goes, right after the message. */
  private final RedisObligationStore obligations;

  RedisMessageStore(
      RedisLink link,
      Scripts scripts,
      RedisEvents events,
      InstantSource clock,
      RetentionPolicy retention,
      NodeIds ids,
      RedisObligationStore obligations) {
    this.obligations = obligations;
    this.link = link;
    this.scripts = scripts;
    this.events = events;
    this.clock = clock;
    this.retention = retention;
    this.keys = link.keys();
    this.ids = ids;
    this.search = new RedisSearch(link, keys, scripts, this);
  }

  /**
   * A fresh id for a send, from this node: its home shard is the route's mailbox's (a broadcast's:
   * its sender's).
   */
  MessageId idFor(OutgoingMessage message, Route route) {
    return ids.next(
        switch (route) {
          case Route.ToMailbox to -> keys.shard(to.name().value());
          case Route.ToAllAgents all -> keys.shard(message.sender().value());
        });
  }

  @Override
  public SendResult send(OutgoingMessage message, Route route) {
    return sendNow(idFor(message, route), message, route);
  }

  @Override
  public List<SendResult> sendAll(List<Send> sends) {
    return sendAllNow(ids(sends), sends);
  }

  /** A fresh id for each send, in order. */
  List<MessageId> ids(List<Send> sends) {
    List<MessageId> given = new ArrayList<>(sends.size());
    for (Send s : sends) {
      given.add(idFor(s.message(), s.route()));
    }
    return given;
  }

  /** Sends to Redis now, under the id given: the path of a fresh send and of a replayed one. */
  SendResult sendNow(MessageId id, OutgoingMessage message, Route route) {
    Plan plan = plan(id, message, route);
    SendResult result = events.tracked(token -> sendOne(token, plan), Sent::published).result();
    openObligation(message, route, result);
    return result;
  }

  /**
   * Stores the obligation a message just stored asks for. Obligations live in the system's own
   * slot, which a send's script (in its home shard's) cannot reach in a Cluster: so it is one more
   * script, only for the sends that ask for one, before the send returns. A send replayed from the
   * spool opens its obligation here too, and so does a repeat of a send (its idempotency key) whose
   * first try stored the message but failed before its obligation: opening is idempotent.
   */
  private void openObligation(OutgoingMessage message, Route route, SendResult result) {
    if (result instanceof SendResult.Accepted || result instanceof SendResult.Duplicate) {
      Obligation.askedBy(message, route, result.id()).ifPresent(obligations::open);
    }
  }

  /**
   * Sends to Redis now, under the ids given. On a single Redis, one script for the whole batch:
   * Redis runs it atomically, so either every message is stored, in order, or (one would be
   * refused) none is. In a Cluster the sends' homes are in several slots, so the batch is checked
   * first (every mailbox's kind) and then sent in order, a script per home shard for the sends that
   * reach only their home's shard (see {@link #inOrder}), a script each for the others: a mailbox
   * whose kind changes in between refuses its own script's sends alone.
   */
  List<SendResult> sendAllNow(List<MessageId> given, List<Send> sends) {
    List<SendResult> results = storeAll(given, sends);
    if (sends.size() > 1) {
      for (int i = 0; i < sends.size(); i++) {
        openObligation(sends.get(i).message(), sends.get(i).route(), results.get(i));
      }
    }
    return results;
  }

  private List<SendResult> storeAll(List<MessageId> given, List<Send> sends) {
    if (sends.size() == 1) {
      Send only = sends.getFirst();
      return List.of(sendNow(given.getFirst(), only.message(), only.route()));
    }
    List<Plan> plans = new ArrayList<>(sends.size());
    for (int i = 0; i < sends.size(); i++) {
      plans.add(plan(given.get(i), sends.get(i).message(), sends.get(i).route()));
    }
    if (!spread()) {
      return sendBatch(plans);
    }
    check(plans);
    SendResult[] results = new SendResult[plans.size()];
    for (List<Integer> run : inOrder(plans)) {
      if (run.size() == 1) {
        Plan p = plans.get(run.getFirst());
        results[run.getFirst()] =
            events.tracked(token -> sendOne(token, p), Sent::published).result();
      } else {
        List<SendResult> out = sendBatch(run.stream().map(plans::get).toList());
        for (int i = 0; i < run.size(); i++) {
          results[run.get(i)] = out.get(i);
        }
      }
    }
    return List.of(results);
  }

  /**
   * A Cluster batch's sends (their indexes), in the scripts that send them, in order. A send that
   * reaches only its home shard's agents joins the others of its home until a send that reaches
   * other shards comes: that one goes alone, after every earlier send, and before every later one.
   * So every agent's deliveries (all in its own shard) are stored in the order of the batch, as one
   * send after another would store them.
   */
  private static List<List<Integer>> inOrder(List<Plan> plans) {
    List<List<Integer>> scripts = new ArrayList<>();
    Map<Integer, List<Integer>> byHome = new LinkedHashMap<>();
    for (int i = 0; i < plans.size(); i++) {
      Plan p = plans.get(i);
      if (p.later().isEmpty()) {
        byHome.computeIfAbsent(p.home(), h -> new ArrayList<>()).add(i);
      } else {
        scripts.addAll(byHome.values());
        byHome.clear();
        scripts.add(List.of(i));
      }
    }
    scripts.addAll(byHome.values());
    return scripts;
  }

  /**
   * Sends in one script in the first one's home shard, all or nothing: on a single Redis any batch;
   * in a Cluster, sends of one home that reach no other shard.
   */
  private List<SendResult> sendBatch(List<Plan> plans) {
    List<Object> result =
        events.trackedMany(
            token -> {
              List<Object> args = new ArrayList<>();
              args.add(plans.size());
              for (Plan p : plans) {
                p.addTo(args, keys);
              }
              return link.<List<Object>>run(
                  token, plans.getFirst().home(), scripts.sendBatch(), MULTI, args.toArray());
            },
            RedisMessageStore::publishedEvents);
    if ("conflict".equals(string(result.get(0)))) {
      throw new MailroomException.Conflict(string(result.get(2)));
    }
    List<SendResult> results = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      List<Object> one = result.subList(2 + 6 * i, 8 + 6 * i);
      if ("ok".equals(string(one.get(0)))) {
        list(string(one.get(5)));
      }
      results.add(outcome(one));
    }
    return results;
  }

  /** How many delivery events a batch's script published: one per message that reached anyone. */
  private static int publishedEvents(List<Object> result) {
    if (!"ok".equals(string(result.get(0)))) {
      return 0;
    }
    int published = 0;
    for (int i = 2; i + 5 < result.size(); i += 6) {
      published += integer(result.get(i + 4));
    }
    return published;
  }

  /**
   * Whether a send's recipients may be in slots other than its home's: in a Cluster with more than
   * one shard. Then a script delivers only to its own shard, and the rest goes through the outbox.
   */
  private boolean spread() {
    return link.isCluster() && keys.shards() > 1;
  }

  /**
   * A send as the scripts take it: its home shard (the mailbox's, a broadcast's sender's), and its
   * recipients grouped by their agents' shards, in the order given. With {@code spread}, only the
   * home shard's group is delivered by the send's own script.
   */
  private record Plan(
      MessageId id,
      OutgoingMessage message,
      Route route,
      int home,
      Map<Integer, List<Recipient>> groups,
      boolean spread,
      long dedupeMillis,
      int maxInbox) {

    /** Its arguments, as send_core.lua's readSend reads them. */
    void addTo(List<Object> args, KeySpace keys) {
      args.add(Codec.hex(id));
      switch (route) {
        case Route.ToMailbox to -> {
          args.add("m");
          args.add(to.name().value());
          args.add(to.kind().wireName());
        }
        case Route.ToAllAgents all -> {
          args.add("a");
          args.add("");
          args.add("");
        }
      }
      args.add(message.sender().value());
      args.add(message.draft().idempotencyKey().orElse(""));
      args.add(dedupeMillis);
      args.add(maxInbox);
      args.add(message.ttl().toMillis());
      // The script writes the id, expiry and recipients in front of the draft, which has none.
      args.add(Codec.draft(message.toMessage(MessageId.of(0), 0)));
      args.add(Codec.blobs(message.attachments()));
      args.add(message.draft().threadId().map(ThreadId::value).orElse(""));
      args.add(SearchDocument.indexText(message.toMessage(MessageId.of(0), 0)));
      args.add(keys.prefix(home));
      args.add(home);
      args.add(keys.shards());
      args.add(groups.size());
      for (Map.Entry<Integer, List<Recipient>> g : groups.entrySet()) {
        args.add(keys.prefix(g.getKey()));
        args.add(g.getKey());
        args.add(!spread || g.getKey() == home);
        addSubscribers(args, g.getValue());
      }
    }

    /** The groups the send's own script leaves to the outbox. */
    List<Later> later() {
      List<Later> out = new ArrayList<>();
      if (spread) {
        groups.forEach(
            (shard, subs) -> {
              if (shard != home) {
                out.add(new Later(shard, subs));
              }
            });
      }
      return out;
    }
  }

  /** A group of recipients in one shard, to deliver through the outbox. */
  private record Later(int shard, List<Recipient> subscribers) {}

  /** A send's outcome, and whether its script published the message's event. */
  private record Sent(SendResult result, boolean published) {}

  /** Count, then agent, subscription, push, bound for each: as send_core.lua's readSubs reads. */
  private static void addSubscribers(List<Object> args, List<Recipient> subscribers) {
    args.add(subscribers.size());
    for (Recipient r : subscribers) {
      args.add(r.agent().value());
      args.add(r.subscription().value());
      args.add(r.push());
      args.add(r.maxQueueSize());
    }
  }

  /** Plans a send: its home, and its recipients (a broadcast's: every agent) by shard. */
  private Plan plan(MessageId id, OutgoingMessage message, Route route) {
    List<Recipient> recipients;
    int home;
    switch (route) {
      case Route.ToMailbox to -> {
        home = keys.shard(to.name().value());
        recipients = to.subscribers();
      }
      case Route.ToAllAgents all -> {
        home = keys.shard(message.sender().value());
        recipients = new ArrayList<>();
        for (byte[] agent : link.call(() -> link.sync().hkeys(link.key("agents")))) {
          recipients.add(
              new Recipient(
                  AgentId.of(Codec.text(agent)), SubscriptionId.INBOX, true, Integer.MAX_VALUE));
        }
      }
    }
    Map<Integer, List<Recipient>> groups = new LinkedHashMap<>();
    for (Recipient r : recipients) {
      groups.computeIfAbsent(keys.shard(r.agent().value()), k -> new ArrayList<>()).add(r);
    }
    return new Plan(
        id,
        message,
        route,
        home,
        groups,
        spread(),
        retention.dedupeWindow().toMillis(),
        retention.maxInboxSize());
  }

  /** Lists a topic a send made among the system's topics (which live in the system's keys). */
  private void list(String topic) {
    if (!topic.isEmpty()) {
      link.call(() -> link.sync().zadd(link.key("topics"), 0, Codec.utf8(topic)));
    }
  }

  /**
   * Runs one send: its script in its home shard, then, if it left groups to the outbox, each of
   * them in its own shard (at once), and done.lua, which publishes the event with {@code token}.
   */
  private Sent sendOne(long token, Plan plan) {
    List<Object> args = new ArrayList<>();
    plan.addTo(args, keys);
    List<Object> r = link.run(token, plan.home(), scripts.send(), MULTI, args.toArray());
    if (!"ok".equals(string(r.get(0)))) {
      return new Sent(outcome(r), false);
    }
    MessageId id = Codec.id(string(r.get(1)));
    list(string(r.get(6)));
    if (integer(r.get(5)) == 0) {
      return new Sent(outcome(r), integer(r.get(4)) == 1);
    }
    long expiresAt = (id.value() >>> KeySpace.LOW_BITS) + plan.message().ttl().toMillis();
    return finish(
        token,
        plan.home(),
        string(r.get(1)),
        plan.message().sender().value(),
        expiresAt,
        plan.maxInbox(),
        integer(r.get(2)),
        integer(r.get(3)),
        plan.later());
  }

  /**
   * Delivers a send's outbox groups, each in its shard and all at once, then settles the send in
   * its home shard (done.lua), which publishes its event with {@code token}. Every step may run
   * again with the same effect, so the cleaner finishes what a node left half done the same way.
   */
  private Sent finish(
      long token,
      int home,
      String hex,
      String sender,
      long expiresAt,
      int maxInbox,
      int recipients,
      int dropped,
      List<Later> later) {
    List<CompletableFuture<List<Object>>> runs = new ArrayList<>(later.size());
    for (Later g : later) {
      List<Object> args = new ArrayList<>(List.of(hex, expiresAt, sender, maxInbox));
      addSubscribers(args, g.subscribers());
      runs.add(link.startIn(0, g.shard(), scripts.deliver(), MULTI, args.toArray()));
    }
    List<String> agents = new ArrayList<>();
    List<String> pushed = new ArrayList<>();
    int reached = 0;
    for (CompletableFuture<List<Object>> run : runs) {
      List<Object> out = link.await(run);
      dropped += integer(out.get(0));
      String a = string(out.get(1));
      if (!a.isEmpty()) {
        agents.add(a);
        reached += a.split(",").length;
      }
      String p = string(out.get(2));
      if (!p.isEmpty()) {
        pushed.add(p);
      }
    }
    Long published =
        link.run(
            token,
            home,
            scripts.done(),
            ScriptOutputType.INTEGER,
            hex,
            reached,
            String.join(",", agents),
            String.join(",", pushed));
    return new Sent(
        new SendResult.Accepted(Codec.id(hex), recipients + reached, dropped), published == 1);
  }

  /**
   * Checks a batch before a Cluster sends it one by one: every mailbox it names must have the kind
   * it is sent as (or not exist, for a shared mailbox or topic, and be made by no other send of the
   * batch as another kind), as send_batch.lua checks on a single Redis.
   */
  private void check(List<Plan> plans) {
    List<Route.ToMailbox> named = new ArrayList<>();
    for (Plan p : plans) {
      if (p.route() instanceof Route.ToMailbox to) {
        named.add(to);
      }
    }
    List<byte[]> kinds =
        link.pipelined(
            named,
            (c, to) ->
                c.hget(
                    link.key(keys.shard(to.name().value()), "mb:" + to.name().value()),
                    Codec.utf8("kind")));
    Map<String, String> known = new HashMap<>();
    for (int i = 0; i < named.size(); i++) {
      Route.ToMailbox to = named.get(i);
      String name = to.name().value();
      String kind = known.get(name);
      if (kind == null && kinds.get(i) != null) {
        kind = Codec.text(kinds.get(i));
      }
      String wanted = to.kind().wireName();
      if (kind != null && !kind.equals(wanted)) {
        throw new MailroomException.Conflict(
            "mailbox " + name + " is a " + kind + " mailbox, not " + wanted);
      }
      if (kind == null && to.kind() == MailboxKind.AGENT) {
        throw new MailroomException.Conflict("there is no agent " + name);
      }
      known.put(name, wanted);
    }
  }

  private static SendResult outcome(List<Object> result) {
    String status = string(result.get(0));
    return switch (status) {
      case "ok" ->
          new SendResult.Accepted(
              Codec.id(string(result.get(1))), integer(result.get(2)), integer(result.get(3)));
      case "dup" ->
          new SendResult.Duplicate(Codec.id(string(result.get(1))), integer(result.get(2)));
      // Its time to live ran out before Redis got it (a spooled send replayed late): stored
      // nowhere.
      case "expired" -> new SendResult.Accepted(Codec.id(string(result.get(1))), 0, 0);
      case "conflict" -> throw new MailroomException.Conflict(string(result.get(1)));
      default -> throw new IllegalStateException("unexpected send result " + status);
    };
  }

  static String string(Object o) {
    return o instanceof byte[] b ? Codec.text(b) : String.valueOf(o);
  }

  static int integer(Object o) {
    return o instanceof Long l ? Math.toIntExact(l) : Integer.parseInt(string(o));
  }

  @Override
  public Optional<Message> find(MessageId id) {
    return live(id, stored(id));
  }

  /** How many messages are stored, expired or not, over every shard. */
  long count() {
    return link.pipelined(link.inEveryShard("msgs"), (c, msgs) -> c.hlen(msgs)).stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /** The message as stored in its shard, expired or not; null if it is not there. */
  byte @Nullable [] stored(MessageId id) {
    byte[] key = link.key(keys.shard(id), "msgs");
    return link.call(() -> link.sync().hget(key, Codec.utf8(Codec.hex(id))));
  }

  /** The message if it is stored and has not expired. */
  Optional<Message> live(MessageId id, byte[] stored) {
    if (stored == null || Codec.expiresAt(stored) <= clock.millis()) {
      return Optional.empty();
    }
    return Optional.of(Codec.message(id, stored));
  }

  /** The live messages among ids, in their order, as one round trip; absent ones are null. */
  List<Optional<Message>> live(List<String> hexes) {
    if (hexes.isEmpty()) {
      return List.of();
    }
    // One HMGET per shard the ids are in, all in one round trip.
    Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
    for (int i = 0; i < hexes.size(); i++) {
      byShard.computeIfAbsent(keys.shardOfHex(hexes.get(i)), k -> new ArrayList<>()).add(i);
    }
    List<Map.Entry<Integer, List<Integer>>> shards = new ArrayList<>(byShard.entrySet());
    List<List<KeyValue<byte[], byte[]>>> values =
        link.pipelined(
            shards,
            (c, e) ->
                c.hmget(
                    link.key(e.getKey(), "msgs"),
                    e.getValue().stream()
                        .map(i -> Codec.utf8(hexes.get(i)))
                        .toArray(byte[][]::new)));
    List<Optional<Message>> out = new ArrayList<>(Collections.nCopies(hexes.size(), null));
    for (int s = 0; s < shards.size(); s++) {
      List<Integer> at = shards.get(s).getValue();
      for (int j = 0; j < at.size(); j++) {
        KeyValue<byte[], byte[]> kv = values.get(s).get(j);
        int i = at.get(j);
        out.set(i, live(Codec.id(hexes.get(i)), kv.hasValue() ? kv.getValue() : null));
      }
    }
    return out;
  }

  static byte[][] utf8(List<String> strings) {
    byte[][] out = new byte[strings.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Codec.utf8(strings.get(i));
    }
    return out;
  }

  @Override
  public boolean contains(MailboxName mailbox, MessageId id) {
    Double score =
        link.call(() -> link.sync().zscore(box(mailbox, "e:"), Codec.utf8(Codec.hex(id))));
    return score != null && find(id).isPresent();
  }

  @Override
  public Optional<MailboxInfo> mailbox(MailboxName name) {
    List<KeyValue<byte[], byte[]>> fields =
        link.call(
            () -> link.sync().hmget(box(name, "mb:"), Codec.utf8("kind"), Codec.utf8("dropped")));
    if (!fields.get(0).hasValue()) {
      return Optional.empty();
    }
    long size = link.call(() -> link.sync().zcard(box(name, "e:")));
    return Optional.of(
        new MailboxInfo(
            name,
            kind(Codec.text(fields.get(0).getValue())),
            size,
            Long.parseLong(Codec.text(fields.get(1).getValue()))));
  }

  /**
   * The mailbox's hash gives its counters, and {@link #mailbox} its size; the oldest live and
   * oldest unread messages are the first item of a one-item {@link #query}, and the unread count is
   * {@link #unreadCount}'s. Each is its own read, so the numbers come from moments apart.
   *
   * <p>Its pending deliveries are, for an agent's mailbox, every pending delivery of its agent
   * (what its inbox holds: direct messages, broadcasts, and the topic messages its subscriptions
   * bring; the size of its queue {@code p:<agent>}, one command). For a shared or topic mailbox
   * they are those of its messages to every subscriber, which live in the subscribers' shards: this
   * walks every pending delivery of the namespace ({@link PendingScan}), keeps those whose message
   * has its home in the mailbox's shard, and asks the mailbox's {@code e:<name>} which of those it
   * holds ({@code ZMSCORE}, {@link PendingScan#CHUNK} ids per round trip). Its cost grows with the
   * pending deliveries of the whole namespace: meant for an operator's look, not for a hot path.
   */
  @Override
  public Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader) {
    Optional<MailboxInfo> info = mailbox(name);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    List<KeyValue<byte[], byte[]>> fields =
        link.call(
            () ->
                link.sync()
                    .hmget(
                        box(name, "mb:"),
                        Codec.utf8("total"),
                        Codec.utf8("created"),
                        Codec.utf8("last")));
    Optional<Instant> last =
        fields.get(2).hasValue()
            ? Optional.of(
                Instant.ofEpochMilli(Long.parseLong(Codec.text(fields.get(2).getValue()))))
            : Optional.empty();
    long pending =
        info.get().kind() == MailboxKind.AGENT
            ? link.call(() -> link.sync().zcard(agentKey(AgentId.of(name.value()), "p:")))
            : pendingOfMessages(name);
    return Optional.of(
        new MailboxStats(
            info.get(),
            number(fields.get(0)),
            Instant.ofEpochMilli(number(fields.get(1))),
            last,
            first(name, reader, MessageFilter.NONE),
            pending,
            unreadCount(name, reader),
            first(name, reader, MessageFilter.UNREAD)));
  }

  /** A counter of a mailbox's hash; 0 when a mailbox stored by an older Mailroom lacks it. */
  private static long number(KeyValue<byte[], byte[]> kv) {
    return kv.hasValue() ? Long.parseLong(Codec.text(kv.getValue())) : 0;
  }

  /** The oldest live message of the mailbox that passes {@code filter}, as the reader sees it. */
  private Optional<MessageId> first(MailboxName name, AgentId reader, MessageFilter filter) {
    List<Envelope> items =
        query(new MessageQuery(name, reader, filter, Optional.empty(), Order.ASC, 1)).items();
    return items.stream().findFirst().map(e -> e.message().id());
  }

  /** The pending deliveries, to every agent, of the messages a shared or topic mailbox holds. */
  private long pendingOfMessages(MailboxName name) {
    int home = keys.shard(name.value());
    Map<String, Long> byMessage = new HashMap<>();
    PendingScan.each(
        link,
        (subscription, hex, agent) -> {
          if (keys.shardOfHex(hex) == home) {
            byMessage.merge(hex, 1L, Long::sum);
          }
        });
    byte[] key = box(name, "e:");
    List<String> hexes = new ArrayList<>(byMessage.keySet());
    long pending = 0;
    for (int from = 0; from < hexes.size(); from += PendingScan.CHUNK) {
      List<String> chunk = hexes.subList(from, Math.min(hexes.size(), from + PendingScan.CHUNK));
      byte[][] members = chunk.stream().map(Codec::utf8).toArray(byte[][]::new);
      List<Double> held = link.call(() -> link.sync().zmscore(key, members));
      for (int i = 0; i < chunk.size(); i++) {
        if (held.get(i) != null) {
          pending += byMessage.get(chunk.get(i));
        }
      }
    }
    return pending;
  }

  /** A key of a mailbox, in its shard. */
  private byte[] box(MailboxName name, String kind) {
    return link.key(keys.shard(name.value()), kind + name.value());
  }

  /** A key kept per agent, in its shard. */
  private byte[] agentKey(AgentId agent, String kind) {
    return link.key(keys.shard(agent.value()), kind + agent.value());
  }

  static MailboxKind kind(String wire) {
    for (MailboxKind k : MailboxKind.values()) {
      if (k.wireName().equals(wire)) {
        return k;
      }
    }
    throw new IllegalStateException("unknown mailbox kind " + wire);
  }

  @Override
  public Page<Envelope> query(MessageQuery query) {
    byte[] key = box(query.mailbox(), "e:");
    boolean asc = query.order() == Order.ASC;
    int chunk = Math.min(1000, Math.max(64, 2 * query.limit() + 1));
    Optional<String> position = query.position().map(Codec::hex);
    List<Envelope> items = new ArrayList<>(query.limit() + 1);
    while (items.size() <= query.limit()) {
      Range<byte[]> range = range(asc, position);
      List<byte[]> members =
          link.call(
              () ->
                  asc
                      ? link.sync().zrangebylex(key, range, Limit.create(0, chunk))
                      : link.sync().zrevrangebylex(key, range, Limit.create(0, chunk)));
      if (members.isEmpty()) {
        break;
      }
      List<String> hexes = members.stream().map(Codec::text).toList();
      List<Optional<Message>> messages = live(hexes);
      List<Optional<Instant>> reads = readAt(query.reader(), hexes);
      for (int i = 0; i < hexes.size() && items.size() <= query.limit(); i++) {
        if (messages.get(i).isEmpty()) {
          continue;
        }
        Envelope e = new Envelope(messages.get(i).get(), reads.get(i));
        if (query.filter().matches(e.message(), e.isRead())) {
          items.add(e);
        }
      }
      position = Optional.of(hexes.getLast());
      if (members.size() < chunk) {
        break;
      }
    }
    if (items.size() <= query.limit()) {
      return new Page<>(items, Optional.empty());
    }
    List<Envelope> page = items.subList(0, query.limit());
    return new Page<>(page, Optional.of(page.getLast().message().id()));
  }

  /**
   * Merges the thread's index of every shard ({@code th:<thread>}, one pipelined round trip per
   * chunk), and probes the thread's root, which names no thread, by its id.
   */
  @Override
  public Page<Envelope> thread(
      ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit) {
    if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
    boolean asc = order == Order.ASC;
    Comparator<String> inOrder = asc ? Comparator.naturalOrder() : Comparator.reverseOrder();
    int chunk = limit + 1;
    List<Envelope> items = new ArrayList<>(chunk);
    Optional<MessageId> root =
        thread.root().filter(r -> position.isEmpty() || isPast(r, position.get(), asc));
    if (root.isPresent()) {
      Optional<Message> m = find(root.get()).filter(r -> r.threadId().isEmpty());
      if (m.isPresent()) {
        items.add(new Envelope(m.get(), readAt(reader, List.of(Codec.hex(root.get()))).get(0)));
      }
    }
    Optional<String> at = position.map(Codec::hex);
    List<Integer> shards = IntStream.range(0, keys.shards()).boxed().toList();
    List<Envelope> named = new ArrayList<>();
    while (named.size() < chunk) {
      Range<byte[]> range = range(asc, at);
      // One range per shard, all in one round trip.
      List<List<byte[]>> ranges =
          link.pipelined(
              shards,
              (c, k) -> {
                byte[] key = link.key(k, "th:" + thread.value());
                return asc
                    ? c.zrangebylex(key, range, Limit.create(0, chunk))
                    : c.zrevrangebylex(key, range, Limit.create(0, chunk));
              });
      List<String> merged = new ArrayList<>();
      boolean more = false;
      for (List<byte[]> members : ranges) {
        members.forEach(b -> merged.add(Codec.text(b)));
        more |= members.size() == chunk;
      }
      if (merged.isEmpty()) {
        break;
      }
      merged.sort(inOrder);
      // Every shard's ids up to the chunk-th of the merge are in it: a shard that gave a full
      // chunk has at least that many ids at or before its last.
      List<String> hexes = merged.subList(0, Math.min(chunk, merged.size()));
      List<Optional<Message>> messages = live(hexes);
      List<Optional<Instant>> reads = readAt(reader, hexes);
      for (int i = 0; i < hexes.size(); i++) {
        // An id whose message is gone (expired, its cleaning under way) is skipped.
        if (messages.get(i).isPresent()) {
          named.add(new Envelope(messages.get(i).get(), reads.get(i)));
        }
      }
      at = Optional.of(hexes.getLast());
      if (!more && hexes.size() == merged.size()) {
        break;
      }
    }
    items.addAll(named);
    Comparator<Envelope> byId = Comparator.comparing(e -> e.message().id());
    items.sort(asc ? byId : byId.reversed());
    if (items.size() <= limit) {
      return new Page<>(items, Optional.empty());
    }
    List<Envelope> page = List.copyOf(items.subList(0, limit));
    return new Page<>(page, Optional.of(page.getLast().message().id()));
  }

  private static boolean isPast(MessageId id, MessageId position, boolean asc) {
    return asc ? id.compareTo(position) > 0 : id.compareTo(position) < 0;
  }

  /** The ids strictly after a position, in the walking direction. */
  private static Range<byte[]> range(boolean asc, Optional<String> position) {
    if (position.isEmpty()) {
      return Range.unbounded();
    }
    Range.Boundary<byte[]> past = Range.Boundary.excluding(Codec.utf8(position.get()));
    return asc
        ? Range.from(past, Range.Boundary.unbounded())
        : Range.from(Range.Boundary.unbounded(), past);
  }

  /** When the reader read each message, as one round trip. */
  List<Optional<Instant>> readAt(AgentId reader, List<String> hexes) {
    List<KeyValue<byte[], byte[]>> marks =
        link.call(() -> link.sync().hmget(agentKey(reader, "rd:"), utf8(hexes)));
    List<Optional<Instant>> out = new ArrayList<>(hexes.size());
    for (KeyValue<byte[], byte[]> kv : marks) {
      out.add(kv.hasValue() ? readAt(Codec.text(kv.getValue())) : Optional.empty());
    }
    return out;
  }

  /** The read time of a mark {@code readAt|changedAt}; empty when marked unread. */
  private static Optional<Instant> readAt(String mark) {
    int bar = mark.indexOf('|');
    return bar <= 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(Long.parseLong(mark.substring(0, bar))));
  }

  /** See {@link RedisSearch}. */
  @Override
  public SearchPage search(SearchRequest request) {
    return search.search(request);
  }

  /**
   * Indexes the messages stored before the search index existed, once per namespace ({@link
   * RedisSearch#backfill}).
   *
   * @return how many messages it indexed
   */
  long indexSearch() {
    return search.backfill(clock.millis());
  }

  @Override
  public long unreadCount(MailboxName mailbox, AgentId reader) {
    // The mailbox's shard refers to every id in it, so its 'exp' has their expiry.
    byte[] key = box(mailbox, "e:");
    byte[] exp = link.key(keys.shard(mailbox.value()), "exp");
    long now = clock.millis();
    long unread = 0;
    Optional<String> position = Optional.empty();
    while (true) {
      Range<byte[]> range = range(true, position);
      List<byte[]> members =
          link.call(() -> link.sync().zrangebylex(key, range, Limit.create(0, 1000)));
      if (members.isEmpty()) {
        return unread;
      }
      List<String> hexes = members.stream().map(Codec::text).toList();
      List<Double> expiry =
          link.call(() -> link.sync().zmscore(exp, members.toArray(byte[][]::new)));
      List<Optional<Instant>> reads = readAt(reader, hexes);
      for (int i = 0; i < hexes.size(); i++) {
        Double e = expiry.get(i);
        if (e != null && e > now && reads.get(i).isEmpty()) {
          unread++;
        }
      }
      if (members.size() < 1000) {
        return unread;
      }
      position = Optional.of(hexes.getLast());
    }
  }

  @Override
  public boolean markRead(MessageId id, AgentId reader) {
    return mark(id, reader, true);
  }

  @Override
  public boolean markUnread(MessageId id, AgentId reader) {
    return mark(id, reader, false);
  }

  /** Marks in the reader's shard, which learns the message's expiry from the node. */
  private boolean mark(MessageId id, AgentId reader, boolean read) {
    byte[] stored = stored(id);
    if (live(id, stored).isEmpty()) {
      return false;
    }
    Long done =
        link.runIn(
            keys.shard(reader.value()),
            scripts.read(),
            ScriptOutputType.INTEGER,
            Codec.hex(id),
            reader.value(),
            read,
            Codec.expiresAt(stored));
    return done == 1;
  }

  /**
   * Reads every reader of the message and cuts the page from them: the readers are sets (one per
   * shard, of the shard's readers), which keep no order, and there are at most as many as there are
   * agents.
   */
  @Override
  public List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    if (find(id).isEmpty()) {
      return List.of();
    }
    String hex = Codec.hex(id);
    List<ReadReceipt> receipts = new ArrayList<>();
    List<byte[]> readers = new ArrayList<>();
    link.pipelined(link.inEveryShard("rb:" + hex), (c, set) -> c.smembers(set))
        .forEach(readers::addAll);
    for (byte[] r : readers) {
      AgentId reader = AgentId.of(Codec.text(r));
      byte[] mark = link.call(() -> link.sync().hget(agentKey(reader, "rd:"), Codec.utf8(hex)));
      if (mark != null) {
        readAt(Codec.text(mark))
            .map(t -> new ReadReceipt(reader, t))
            .filter(receipt -> after.isEmpty() || receipt.isAfter(after.get()))
            .ifPresent(receipts::add);
      }
    }
    return receipts.stream().sorted(ReadReceipt.ORDER).limit(limit).toList();
  }

  /**
   * Scans every shard's {@code att} a page at a time: a blob is referenced from when the send that
   * carries it is stored until the cleaner removes the message at its expiry (a message that a
   * bounded inbox dropped stays stored until then, and so does its reference).
   */
  @Override
  public Set<BlobId> referenced(Set<BlobId> blobs) {
    if (blobs.isEmpty()) {
      return Set.of();
    }
    Set<String> wanted = new HashSet<>();
    blobs.forEach(b -> wanted.add(b.value()));
    Set<BlobId> found = new HashSet<>();
    ScanArgs page = ScanArgs.Builder.limit(SCAN_PAGE);
    for (int k = 0; k < keys.shards() && found.size() < blobs.size(); k++) {
      byte[] att = link.key(k, "att");
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        ScanCursor from = cursor;
        MapScanCursor<byte[], byte[]> scanned = link.call(() -> link.sync().hscan(att, from, page));
        for (byte[] value : scanned.getMap().values()) {
          for (String blob : Codec.text(value).split(",")) {
            if (wanted.contains(blob)) {
              found.add(new BlobId(blob));
            }
          }
        }
        cursor = scanned;
      } while (!cursor.isFinished() && found.size() < blobs.size());
    }
    return Set.copyOf(found);
  }

  /**
   * Puts every stored message that names a thread into its shard's thread index, once per namespace
   * ({@link Backfill}, marked done by the system's key {@code threads-indexed}): the messages
   * stored before the index existed.
   *
   * @return how many messages it indexed
   */
  long indexThreads() {
    return Backfill.once(
        link,
        keys,
        "threads-indexed",
        clock.millis(),
        SCAN_PAGE,
        scripts.threadIndex(),
        (id, message, args) ->
            message
                .threadId()
                .ifPresent(
                    t -> {
                      args.add(id);
                      args.add(t.value());
                    }));
  }

  /**
   * Cleans every shard, and first finishes the sends that a node left in an outbox for longer than
   * {@link #STALE_OUTBOX} (it died, or lost Redis, half way through).
   */
  @Override
  public CleanupReport purgeExpired(int maxRows) {
    finishStaleSends(maxRows);
    long now = clock.millis();
    long messages = 0;
    long marks = 0;
    long keysRemoved = 0;
    boolean more = false;
    for (int k = 0; k < keys.shards(); k++) {
      List<Object> r =
          link.runIn(
              k,
              scripts.cleanup(),
              MULTI,
              maxRows,
              now - retention.readStateRetention().toMillis(),
              now - retention.dedupeWindow().toMillis(),
              k,
              keys.shards());
      messages += (Long) r.get(0);
      marks += (Long) r.get(1);
      keysRemoved += (Long) r.get(2);
      more |= ((Long) r.get(3)) == 1;
    }
    return new CleanupReport(messages, marks, keysRemoved, more);
  }

  /** How old an outbox entry is before any node's cleaner finishes it. */
  static final Duration STALE_OUTBOX = Duration.ofSeconds(10);

  /**
   * Finishes the outbox entries older than {@link #STALE_OUTBOX}, at most {@code max} per shard.
   * Delivering again what was delivered changes nothing, so two nodes may do it at once.
   */
  void finishStaleSends(int max) {
    if (!spread()) {
      return;
    }
    long before = clock.millis() - STALE_OUTBOX.toMillis();
    for (int k = 0; k < keys.shards(); k++) {
      byte[] ob = link.key(k, "ob");
      List<byte[]> stale =
          link.call(
              () -> link.sync().zrangebyscore(ob, Range.create(0, before), Limit.create(0, max)));
      for (byte[] member : stale) {
        String hex = Codec.text(member);
        byte[] obx = link.key(k, "obx");
        byte[] entry = link.call(() -> link.sync().hget(obx, member));
        if (entry != null) {
          finishStale(k, hex, Codec.text(entry));
        }
      }
    }
  }

  /** Finishes one outbox entry as send_core.lua wrote it. */
  private void finishStale(int home, String hex, String entry) {
    String[] lines = entry.split("\n", -1);
    List<Later> later = new ArrayList<>();
    for (int i = 8; i < lines.length; i++) {
      String[] parts = lines[i].split("\t");
      List<Recipient> subs = new ArrayList<>();
      for (int j = 1; j < parts.length; j++) {
        String[] f = parts[j].split("\\|");
        subs.add(
            new Recipient(
                AgentId.of(f[0]),
                SubscriptionId.of(f[1]),
                f[2].equals("1"),
                Integer.parseInt(f[3])));
      }
      later.add(new Later(Integer.parseInt(parts[0]), subs));
    }
    events.tracked(
        token ->
            finish(
                token,
                home,
                hex,
                lines[0],
                Long.parseLong(lines[3]),
                Integer.parseInt(lines[2]),
                Integer.parseInt(lines[4]),
                Integer.parseInt(lines[7]),
                later),
        Sent::published);
  }
}
