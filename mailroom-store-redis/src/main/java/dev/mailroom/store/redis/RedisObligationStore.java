package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.ReceiptMark;
import dev.mailroom.core.receipt.ReceiptTimes;
import dev.mailroom.core.spi.ObligationStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Obligations and receipt marks in Redis.
 *
 * <p>Obligations live among the system's own keys (one hash tag, so one Cluster slot; they are
 * written only by sends that ask for one, by their answers and by the sweeper): {@code og} (hex id
 * to the fixed part), {@code ogm} and {@code ogn} (hex id to how it was met and to when its notice
 * went out, each set once with {@code HSETNX}, which is what makes the first meet and the first
 * notice win on every node), the sorted sets {@code og:s:<sender>} and {@code og:t:<target>} (hex
 * ids at score 0, so in id order) and the same of the unmet ones, {@code og:su:<sender>} and {@code
 * og:tu:<target>}, which a listing of what is still owed walks instead, the set {@code
 * og:th:<thread>} of a thread's unmet ids, {@code ogdue} (unmet, unnoticed ids by deadline: the
 * sweeper's queue) and {@code ogexp} (ids by their message's expiry).
 *
 * <p>Receipt marks live in the shard of their message, beside it: the hash {@code rm:<hex id>}
 * (fields {@code d:<agent>} and {@code a:<agent>}, the first time of each, kept by {@code HSETNX})
 * and {@code rmexp} (marked ids by their message's expiry). A page of marks is one script per shard
 * its messages live in: for an agent's inbox, usually one. Thread-safe.
 */
final class RedisObligationStore implements ObligationStore {
  /** How many ids a listing reads at once while it filters by state. */
  private static final int LIST_BATCH = 100;

  private final RedisLink link;
  private final Scripts scripts;

  RedisObligationStore(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  @Override
  public boolean open(Obligation o) {
    Objects.requireNonNull(o, "obligation");
    Long stored =
        link.run(
            scripts.openObligation(),
            ScriptOutputType.INTEGER,
            Codec.hex(o.message()),
            fixed(o),
            o.met().isEmpty() && o.noticedAt().isEmpty()
                ? o.replyBy().map(t -> Long.toString(t.toEpochMilli())).orElse("")
                : "",
            o.expiresAt().toEpochMilli());
    if (stored == 1) {
      o.met().ifPresent(f -> meet(o.message(), f));
      o.noticedAt().ifPresent(t -> noticed(o.message(), t));
    }
    return stored == 1;
  }

  @Override
  public Optional<Obligation> find(MessageId message) {
    return read(List.of(Codec.hex(message))).stream().findFirst();
  }

  @Override
  public List<Obligation> findAll(List<MessageId> messages) {
    return read(messages.stream().distinct().map(Codec::hex).toList());
  }

  @Override
  public List<Obligation> list(
      Party party,
      Set<Obligation.State> states,
      Instant now,
      Optional<MessageId> before,
      int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    // What is still owed is walked in the sets of the unmet ones: met obligations pile up, the
    // owed few stay few.
    boolean owedOnly = !states.contains(Obligation.State.MET);
    byte[] key =
        switch (party) {
          case Party.Sender s -> link.key((owedOnly ? "og:su:" : "og:s:") + s.agent().value());
          case Party.Target t -> link.key((owedOnly ? "og:tu:" : "og:t:") + t.mailbox().value());
        };
    List<Obligation> out = new ArrayList<>();
    Optional<String> position = before.map(Codec::hex);
    while (out.size() < limit) {
      Range.Boundary<byte[]> upper =
          position.isPresent()
              ? Range.Boundary.excluding(Codec.utf8(position.get()))
              : Range.Boundary.unbounded();
      List<byte[]> ids =
          link.call(
              () ->
                  link.sync()
                      .zrevrangebylex(
                          key,
                          Range.from(Range.Boundary.unbounded(), upper),
                          Limit.create(0, LIST_BATCH)));
      if (ids.isEmpty()) {
        break;
      }
      List<String> hex = ids.stream().map(Codec::text).toList();
      for (Obligation o : read(hex)) {
        if (out.size() < limit && states.contains(o.state(now))) {
          out.add(o);
        }
      }
      position = Optional.of(hex.getLast());
      if (ids.size() < LIST_BATCH) {
        break;
      }
    }
    return out;
  }

  @Override
  public List<Obligation> unmet(ThreadId thread, int limit) {
    Set<byte[]> ids = link.call(() -> link.sync().smembers(link.key("og:th:" + thread.value())));
    List<String> hex = ids.stream().map(Codec::text).sorted().toList();
    return read(hex).stream().filter(o -> o.met().isEmpty()).limit(limit).toList();
  }

  @Override
  public Optional<Obligation> meet(MessageId message, Obligation.Fulfilment f) {
    Long outcome =
        link.run(scripts.meetObligation(), ScriptOutputType.INTEGER, Codec.hex(message), met(f));
    return outcome == -1 ? Optional.empty() : find(message);
  }

  @Override
  public List<Obligation> due(Instant now, int limit) {
    List<byte[]> ids =
        link.call(
            () ->
                link.sync()
                    .zrangebyscore(
                        link.key("ogdue"),
                        Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()),
                        Limit.create(0, limit)));
    return read(ids.stream().map(Codec::text).toList()).stream()
        .filter(o -> o.met().isEmpty() && o.noticedAt().isEmpty())
        .sorted(
            Comparator.comparing((Obligation o) -> o.replyBy().orElseThrow())
                .thenComparing(Obligation::message))
        .toList();
  }

  @Override
  public boolean noticed(MessageId message, Instant at) {
    Long recorded =
        link.run(
            scripts.noticeObligation(),
            ScriptOutputType.INTEGER,
            Codec.hex(message),
            at.toEpochMilli());
    return recorded == 1;
  }

  @Override
  public void record(List<ReceiptMark> marks) {
    Map<Integer, List<Object>> byShard = new TreeMap<>();
    for (ReceiptMark m : marks) {
      List<Object> args =
          byShard.computeIfAbsent(link.keys().shard(m.message()), k -> new ArrayList<>());
      args.add(Codec.hex(m.message()));
      args.add((m.kind() == ReceiptMark.Kind.DELIVERED ? "d:" : "a:") + m.agent().value());
      args.add(m.at().toEpochMilli());
      args.add(m.expiresAt().toEpochMilli());
    }
    for (Map.Entry<Integer, List<Object>> e : byShard.entrySet()) {
      link.runIn(
          e.getKey(), scripts.recordMarks(), ScriptOutputType.INTEGER, e.getValue().toArray());
    }
  }

  @Override
  public List<ReceiptTimes> marks(MessageId message, Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    Map<byte[], byte[]> fields =
        link.call(
            () ->
                link.sync()
                    .hgetall(link.key(link.keys().shard(message), "rm:" + Codec.hex(message))));
    Map<AgentId, Instant[]> byAgent = new TreeMap<>();
    for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
      String name = Codec.text(f.getKey());
      AgentId agent = AgentId.of(name.substring(2));
      Instant at = Instant.ofEpochMilli(Long.parseLong(Codec.text(f.getValue())));
      Instant[] times = byAgent.computeIfAbsent(agent, a -> new Instant[2]);
      times[name.startsWith("d:") ? 0 : 1] = at;
    }
    return byAgent.entrySet().stream()
        .filter(e -> after.isEmpty() || e.getKey().compareTo(after.get()) > 0)
        .limit(limit)
        .map(
            e ->
                new ReceiptTimes(
                    e.getKey(),
                    Optional.ofNullable(e.getValue()[0]),
                    Optional.ofNullable(e.getValue()[1])))
        .toList();
  }

  @Override
  public int purgeExpired(Instant now, int maxRows) {
    Long removed =
        link.run(scripts.purgeObligations(), ScriptOutputType.INTEGER, now.toEpochMilli(), maxRows);
    long total = removed;
    for (int k = 0; k < link.keys().shards(); k++) {
      Long marks =
          link.runIn(
              k, scripts.purgeMarks(), ScriptOutputType.INTEGER, now.toEpochMilli(), maxRows);
      total += marks;
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  /** The obligations of these hex ids that exist, in the same order, in one round trip. */
  private List<Obligation> read(List<String> hex) {
    if (hex.isEmpty()) {
      return List.of();
    }
    List<Object> values =
        link.run(scripts.readObligations(), ScriptOutputType.MULTI, hex.toArray());
    List<Obligation> out = new ArrayList<>(hex.size());
    for (int i = 0; i < hex.size(); i++) {
      String fixed = Codec.text((byte[]) values.get(3 * i));
      if (!fixed.isEmpty()) {
        out.add(
            decode(
                Codec.id(hex.get(i)),
                fixed,
                Codec.text((byte[]) values.get(3 * i + 1)),
                Codec.text((byte[]) values.get(3 * i + 2))));
      }
    }
    return out;
  }

  /**
   * The fixed part: sender, target and thread first (the scripts read those three), then the
   * target's kind, ack_required (1 or 0), the deadline and the expiry in ms (the deadline empty
   * when none), one per line. Names and threads hold no line break.
   */
  private static String fixed(Obligation o) {
    return String.join(
        "\n",
        o.sender().value(),
        o.target().value(),
        o.thread().value(),
        o.kind().name(),
        o.ackRequired() ? "1" : "0",
        o.replyBy().map(t -> Long.toString(t.toEpochMilli())).orElse(""),
        Long.toString(o.expiresAt().toEpochMilli()));
  }

  /** How it was met: who, how, when in ms and the reply's hex id (empty for an ack). */
  private static String met(Obligation.Fulfilment f) {
    return String.join(
        "\n",
        f.by().value(),
        f.means().name(),
        Long.toString(f.at().toEpochMilli()),
        f.reply().map(Codec::hex).orElse(""));
  }

  private static Obligation decode(MessageId id, String fixed, String met, String noticed) {
    String[] p = fixed.split("\n", -1);
    Optional<Obligation.Fulfilment> fulfilment = Optional.empty();
    if (!met.isEmpty()) {
      String[] m = met.split("\n", -1);
      fulfilment =
          Optional.of(
              new Obligation.Fulfilment(
                  AgentId.of(m[0]),
                  Obligation.Means.valueOf(m[1]),
                  Instant.ofEpochMilli(Long.parseLong(m[2])),
                  m[3].isEmpty() ? Optional.empty() : Optional.of(Codec.id(m[3]))));
    }
    return new Obligation(
        id,
        AgentId.of(p[0]),
        MailboxName.of(p[1]),
        MailboxKind.valueOf(p[3]),
        ThreadId.of(p[2]),
        p[4].equals("1"),
        p[5].isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(p[5]))),
        Instant.ofEpochMilli(Long.parseLong(p[6])),
        fulfilment,
        noticed.isEmpty()
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(Long.parseLong(noticed))));
  }
}
