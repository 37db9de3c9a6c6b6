package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.TopicStore;
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
 * Topic configuration ({@code tcfg}, name to configuration) and statistics, which are fields of the
 * topic's mailbox hash ({@code total}, {@code last}, {@code peak}, {@code created}) kept by the
 * send script; {@code topics} lists the topic mailboxes by name. A topic made by {@link #create}
 * names its {@code creator} in its hash and is in that agent's set {@code tc:<agent>}, which the
 * per-agent cap counts.
 */
final class RedisTopicStore implements TopicStore {
  private static final byte[][] STATS = {
    Codec.utf8("kind"),
    Codec.utf8("total"),
    Codec.utf8("last"),
    Codec.utf8("peak"),
    Codec.utf8("created")
  };

  private final RedisLink link;
  private final Scripts scripts;
  private final RedisEvents events;

  RedisTopicStore(RedisLink link, Scripts scripts, RedisEvents events) {
    this.link = link;
    this.scripts = scripts;
    this.events = events;
  }

  /** The topic's mailbox first, in its shard, if asked for; then the configuration. */
  @Override
  public void configure(TopicConfig config, boolean mailbox) {
    String name = config.name().value();
    if (mailbox) {
      String made = mailbox(0, name, "create", "");
      if (!made.equals("created") && !made.equals("exists")) {
        throw new MailroomException.Conflict(made);
      }
    }
    events.runOrConflict(scripts.configureTopic(), name, Codec.topicConfig(config), mailbox);
  }

  /** Runs topic_mailbox.lua in the topic's shard. */
  private String mailbox(long token, String name, String action, String creator) {
    byte[] out =
        link.run(
            token,
            link.keys().shard(name),
            scripts.topicMailbox(),
            ScriptOutputType.VALUE,
            name,
            action,
            creator);
    return out == null ? "" : Codec.text(out);
  }

  /** The kind of a mailbox, if it exists. */
  private Optional<String> kind(String name) {
    byte[] kind =
        link.call(
            () ->
                link.sync()
                    .hget(link.key(link.keys().shard(name), "mb:" + name), Codec.utf8("kind")));
    return Optional.ofNullable(kind).map(Codec::text);
  }

  @Override
  public Creation create(MailboxName name, AgentId creator, int maxPerCreator) {
    Optional<String> kind = kind(name.value());
    if (kind.isPresent()) {
      if (kind.get().equals("topic")) {
        return Creation.EXISTS;
      }
      throw new MailroomException.Conflict(
          "mailbox " + name.value() + " is a " + kind.get() + " mailbox, not a topic");
    }
    // Counted and listed first, then made: a topic is never without its listing.
    String listed =
        Codec.text(
            link.<byte[]>run(
                scripts.createTopic(),
                ScriptOutputType.VALUE,
                name.value(),
                creator.value(),
                maxPerCreator));
    if (listed.equals("limit")) {
      return Creation.AT_LIMIT;
    }
    String outcome =
        events.tracked(
            token -> mailbox(token, name.value(), "create", creator.value()), "created"::equals);
    return switch (outcome) {
      case "created" -> Creation.CREATED;
      case "exists" -> Creation.EXISTS;
      case "limit" -> Creation.AT_LIMIT;
      default -> throw new MailroomException.Conflict(outcome);
    };
  }

  @Override
  public int createdBy(AgentId creator) {
    return Math.toIntExact(link.call(() -> link.sync().scard(link.key("tc:" + creator.value()))));
  }

  @Override
  public List<TopicStats> topics(String prefix, Optional<MailboxName> after, int limit) {
    // Names are ASCII below DEL, so every name that starts with the prefix sorts below prefix+DEL.
    Range.Boundary<byte[]> low =
        after
            .filter(a -> a.value().compareTo(prefix) >= 0)
            .map(a -> Range.Boundary.excluding(Codec.utf8(a.value())))
            .orElseGet(() -> Range.Boundary.including(Codec.utf8(prefix)));
    Range<byte[]> range = Range.from(low, Range.Boundary.excluding(Codec.utf8(prefix + '\u007f')));
    List<TopicStats> out = new ArrayList<>();
    for (byte[] name :
        link.call(
            () -> link.sync().zrangebylex(link.key("topics"), range, Limit.create(0, limit)))) {
      stats(MailboxName.of(Codec.text(name))).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Optional<TopicConfig> config(MailboxName name) {
    byte[] c = link.call(() -> link.sync().hget(link.key("tcfg"), Codec.utf8(name.value())));
    return Optional.ofNullable(c).map(Codec::topicConfig);
  }

  @Override
  public List<TopicConfig> configs() {
    return link.call(() -> link.sync().hvals(link.key("tcfg"))).stream()
        .map(Codec::topicConfig)
        .sorted(Comparator.comparing(TopicConfig::name))
        .toList();
  }

  @Override
  public Optional<TopicStats> stats(MailboxName topic) {
    List<KeyValue<byte[], byte[]>> f =
        link.call(
            () ->
                link.sync()
                    .hmget(
                        link.key(link.keys().shard(topic.value()), "mb:" + topic.value()), STATS));
    if (!f.get(0).hasValue() || !Codec.text(f.get(0).getValue()).equals("topic")) {
      return Optional.empty();
    }
    Optional<Instant> last =
        f.get(2).hasValue()
            ? Optional.of(Instant.ofEpochMilli(Long.parseLong(Codec.text(f.get(2).getValue()))))
            : Optional.empty();
    return Optional.of(
        new TopicStats(
            topic,
            number(f.get(1)),
            last,
            Math.toIntExact(number(f.get(3))),
            Instant.ofEpochMilli(number(f.get(4)))));
  }

  private static long number(KeyValue<byte[], byte[]> kv) {
    return kv.hasValue() ? Long.parseLong(Codec.text(kv.getValue())) : 0;
  }

  @Override
  public void recordSubscribers(MailboxName topic, int subscribers) {
    link.runIn(
        link.keys().shard(topic.value()),
        scripts.peak(),
        ScriptOutputType.INTEGER,
        topic.value(),
        subscribers);
  }

  @Override
  public boolean delete(MailboxName topic) {
    // The mailbox first, then the configuration and listing; a deletion that stopped half way is
    // finished by the next one.
    String outcome = mailbox(0, topic.value(), "delete", "");
    boolean deleted = outcome.startsWith("deleted:");
    if (!deleted
        && link.call(() -> link.sync().zscore(link.key("topics"), Codec.utf8(topic.value())))
            == null) {
      return false;
    }
    String creator = deleted ? outcome.substring("deleted:".length()) : "";
    events.tracked(
        token ->
            link.<Long>run(
                token,
                RedisLink.CONTROL,
                scripts.deleteTopic(),
                ScriptOutputType.INTEGER,
                topic.value(),
                creator),
        done -> true);
    return deleted;
  }
}
