package dev.mailroom.store.redis;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.TopicStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Topic configuration ({@code tcfg}, name to configuration) and statistics, which are fields of the
 * topic's mailbox hash ({@code total}, {@code last}, {@code peak}, {@code created}) kept by the
 * send script; {@code topics} lists the topic mailboxes by name.
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

  RedisTopicStore(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  @Override
  public void configure(TopicConfig config, boolean mailbox) {
    link.runOrConflict(
        scripts.configureTopic(), config.name().value(), Codec.topicConfig(config), mailbox);
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
        link.call(() -> link.sync().hmget(link.key("mb:" + topic.value()), STATS));
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
  public List<TopicStats> topics() {
    List<TopicStats> out = new ArrayList<>();
    for (byte[] name : link.call(() -> link.sync().zrange(link.key("topics"), 0, -1))) {
      stats(MailboxName.of(Codec.text(name))).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(TopicStats::name));
    return out;
  }

  @Override
  public void recordSubscribers(MailboxName topic, int subscribers) {
    link.run(scripts.peak(), ScriptOutputType.INTEGER, topic.value(), subscribers);
  }

  @Override
  public boolean delete(MailboxName topic) {
    Long done = link.run(scripts.deleteTopic(), ScriptOutputType.INTEGER, topic.value());
    return done == 1;
  }
}
