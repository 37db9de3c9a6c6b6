package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Messages, mailboxes and read state in Redis. Every write is one Lua script, so it is all or
 * nothing; reads walk a mailbox's sorted set of ids a chunk at a time and test the query's filter
 * on this node, with one round trip per chunk for the messages and one for the reader's marks.
 *
 * <p>Keys, all under the namespace's hash tag: {@code msgs} (id to stored message), {@code exp}
 * (ids by expiry), {@code where} (id to the mailboxes holding it, for the cleaner), {@code
 * e:<name>} (a mailbox's ids), {@code mb:<name>} (its kind and counters), {@code rd:<reader>} (the
 * reader's marks by id), {@code rb:<id>} (a message's readers), {@code rs} (marks by change time),
 * {@code idem} and {@code idemx} (idempotency keys, and by time).
 */
final class RedisMessageStore implements MessageStore {
  private final RedisLink link;
  private final Scripts scripts;
  private final RedisEvents events;
  private final InstantSource clock;
  private final RetentionPolicy retention;

  RedisMessageStore(
      RedisLink link,
      Scripts scripts,
      RedisEvents events,
      InstantSource clock,
      RetentionPolicy retention) {
    this.link = link;
    this.scripts = scripts;
    this.events = events;
    this.clock = clock;
    this.retention = retention;
  }

  @Override
  public SendResult send(OutgoingMessage message, Route route) {
    List<Object> args = new ArrayList<>();
    addSend(args, message, route);
    Object[] argv = args.toArray();
    List<Object> result =
        events.tracked(
            token -> link.<List<Object>>run(token, scripts.send(), ScriptOutputType.MULTI, argv),
            r -> "ok".equals(string(r.get(0))) && integer(r.get(4)) == 1);
    return outcome(result);
  }

  /**
   * One script for the whole batch: Redis runs it atomically, so either every message is stored, in
   * order, or (one would be refused) none is.
   */
  @Override
  public List<SendResult> sendAll(List<Send> sends) {
    if (sends.size() <= 1) {
      return sends.stream().map(s -> send(s.message(), s.route())).toList();
    }
    List<Object> args = new ArrayList<>();
    args.add(sends.size());
    for (Send s : sends) {
      addSend(args, s.message(), s.route());
    }
    Object[] argv = args.toArray();
    List<Object> result =
        events.trackedMany(
            token ->
                link.<List<Object>>run(token, scripts.sendBatch(), ScriptOutputType.MULTI, argv),
            RedisMessageStore::publishedEvents);
    if ("conflict".equals(string(result.get(0)))) {
      throw new MailroomException.Conflict(string(result.get(2)));
    }
    List<SendResult> results = new ArrayList<>(sends.size());
    for (int i = 0; i < sends.size(); i++) {
      results.add(outcome(result.subList(2 + 5 * i, 7 + 5 * i)));
    }
    return results;
  }

  /** How many delivery events a batch's script published: one per message that reached anyone. */
  private static int publishedEvents(List<Object> result) {
    if (!"ok".equals(string(result.get(0)))) {
      return 0;
    }
    int published = 0;
    for (int i = 2; i + 4 < result.size(); i += 5) {
      published += integer(result.get(i + 4));
    }
    return published;
  }

  /** One send's arguments, as send_core.lua's readSend reads them. */
  private void addSend(List<Object> args, OutgoingMessage message, Route route) {
    List<Recipient> subscribers = List.of();
    switch (route) {
      case Route.ToMailbox to -> {
        args.add("m");
        args.add(to.name().value());
        args.add(to.kind().wireName());
        subscribers = to.subscribers();
      }
      case Route.ToAllAgents all -> {
        args.add("a");
        args.add("");
        args.add("");
      }
    }
    args.add(message.sender().value());
    args.add(message.draft().idempotencyKey().orElse(""));
    args.add(retention.dedupeWindow().toMillis());
    args.add(retention.maxInboxSize());
    args.add(message.ttl().toMillis());
    // The id is not known yet: encode the draft with a placeholder, the script writes the rest.
    args.add(Codec.draft(message.toMessage(MessageId.of(0), 0)));
    args.add(subscribers.size());
    for (Recipient r : subscribers) {
      args.add(r.agent().value());
      args.add(r.subscription().value());
      args.add(r.push());
      args.add(r.maxQueueSize());
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
    byte[] stored = link.call(() -> link.sync().hget(link.key("msgs"), Codec.utf8(Codec.hex(id))));
    return live(id, stored);
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
    List<KeyValue<byte[], byte[]>> values =
        link.call(() -> link.sync().hmget(link.key("msgs"), utf8(hexes)));
    List<Optional<Message>> out = new ArrayList<>(hexes.size());
    for (int i = 0; i < hexes.size(); i++) {
      KeyValue<byte[], byte[]> kv = values.get(i);
      out.add(live(Codec.id(hexes.get(i)), kv.hasValue() ? kv.getValue() : null));
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
        link.call(
            () -> link.sync().zscore(link.key("e:" + mailbox.value()), Codec.utf8(Codec.hex(id))));
    return score != null && find(id).isPresent();
  }

  @Override
  public Optional<MailboxInfo> mailbox(MailboxName name) {
    List<KeyValue<byte[], byte[]>> fields =
        link.call(
            () ->
                link.sync()
                    .hmget(
                        link.key("mb:" + name.value()), Codec.utf8("kind"), Codec.utf8("dropped")));
    if (!fields.get(0).hasValue()) {
      return Optional.empty();
    }
    long size = link.call(() -> link.sync().zcard(link.key("e:" + name.value())));
    return Optional.of(
        new MailboxInfo(
            name,
            kind(Codec.text(fields.get(0).getValue())),
            size,
            Long.parseLong(Codec.text(fields.get(1).getValue()))));
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
    byte[] key = link.key("e:" + query.mailbox().value());
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
  private List<Optional<Instant>> readAt(AgentId reader, List<String> hexes) {
    List<KeyValue<byte[], byte[]>> marks =
        link.call(() -> link.sync().hmget(link.key("rd:" + reader.value()), utf8(hexes)));
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

  @Override
  public long unreadCount(MailboxName mailbox, AgentId reader) {
    byte[] key = link.key("e:" + mailbox.value());
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
          link.call(() -> link.sync().zmscore(link.key("exp"), members.toArray(byte[][]::new)));
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

  private boolean mark(MessageId id, AgentId reader, boolean read) {
    Long done =
        link.run(scripts.read(), ScriptOutputType.INTEGER, Codec.hex(id), reader.value(), read);
    return done == 1;
  }

  /**
   * Reads every reader of the message and cuts the page from them: the readers are a set, which
   * keeps no order, and there are at most as many as there are agents.
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
    for (byte[] r : link.call(() -> link.sync().smembers(link.key("rb:" + hex)))) {
      AgentId reader = AgentId.of(Codec.text(r));
      byte[] mark =
          link.call(() -> link.sync().hget(link.key("rd:" + reader.value()), Codec.utf8(hex)));
      if (mark != null) {
        readAt(Codec.text(mark))
            .map(t -> new ReadReceipt(reader, t))
            .filter(receipt -> after.isEmpty() || receipt.isAfter(after.get()))
            .ifPresent(receipts::add);
      }
    }
    return receipts.stream().sorted(ReadReceipt.ORDER).limit(limit).toList();
  }

  @Override
  public CleanupReport purgeExpired(int maxRows) {
    long now = clock.millis();
    List<Object> r =
        link.run(
            scripts.cleanup(),
            ScriptOutputType.MULTI,
            maxRows,
            now - retention.readStateRetention().toMillis(),
            now - retention.dedupeWindow().toMillis());
    return new CleanupReport(
        (Long) r.get(0), (Long) r.get(1), (Long) r.get(2), ((Long) r.get(3)) == 1);
  }
}
