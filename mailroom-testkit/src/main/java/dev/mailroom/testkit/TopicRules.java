package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.TopicStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Topics: configuring them, their statistics, and deleting them. */
abstract class TopicRules extends ContractRules {

  TopicRules(StorageFixture fixture) {
    super(fixture);
  }

  /** A configuration that sets every part. */
  static TopicConfig everyPart(String name) {
    return new TopicConfig(
        box(name),
        Optional.of("Model news ✓"),
        Optional.of(Duration.ofDays(3)),
        OptionalInt.of(100),
        Optional.of(Duration.ofHours(12)));
  }

  private static TopicStats stats(
      String name, long messages, Optional<Instant> last, int peak, Instant created) {
    return new TopicStats(box(name), messages, last, peak, created);
  }

  @Test
  void configuringCreatesTheTopicAndStoresItsConfiguration() {
    Instant created = tick(250);
    TopicConfig config = everyPart("ai.models");

    topics().configure(config, true);

    assertThat(messages().mailbox(box("ai.models")))
        .contains(new MailboxInfo(box("ai.models"), MailboxKind.TOPIC, 0, 0));
    assertThat(topics().config(box("ai.models"))).contains(config);
    assertThat(topics().stats(box("ai.models")))
        .contains(stats("ai.models", 0, Optional.empty(), 0, created));
  }

  @Test
  void configuringAgainReplacesTheConfigurationAndKeepsTheTopic() {
    Instant created = now();
    topics().configure(everyPart("news"), true);
    tick(1_000);

    topics().configure(TopicConfig.inheritAll(box("news")), true);

    assertThat(topics().config(box("news"))).contains(TopicConfig.inheritAll(box("news")));
    assertThat(topics().configs()).containsExactly(TopicConfig.inheritAll(box("news")));
    assertThat(topics().stats(box("news")).map(TopicStats::createdAt)).contains(created);
  }

  @Test
  void configuringAnExistingTopicKeepsItsHistoryAndStatistics() {
    MessageId id = sent(from("alice").onTopic("news"));
    Instant created = id.timestamp();
    tick(1_000);

    topics().configure(everyPart("news"), true);

    assertThat(ids("news")).containsExactly(id);
    assertThat(topics().stats(box("news")))
        .contains(stats("news", 1, Optional.of(id.timestamp()), 0, created));
  }

  @Test
  void configuringANameOnlyStoresTheConfiguration() {
    TopicConfig config = everyPart("ai");

    topics().configure(config, false);

    assertThat(topics().config(box("ai"))).contains(config);
    assertThat(messages().mailbox(box("ai"))).isEmpty();
    assertThat(topics().stats(box("ai"))).isEmpty();
    assertThat(topics().topics()).isEmpty();
  }

  @Test
  void configuringAMailboxOfAnotherKindAsATopicConflicts() {
    sent(from("alice").to("team"));
    agent("bob");

    assertThatThrownBy(() -> topics().configure(everyPart("team"), true))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThatThrownBy(() -> topics().configure(everyPart("bob"), true))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(topics().configs()).isEmpty();
    assertThat(messages().mailbox(box("team")).map(MailboxInfo::kind)).contains(MailboxKind.SHARED);
    assertThat(topics().stats(box("team"))).isEmpty();
  }

  @Test
  void aTopicCreatedByConfiguringTakesTheName() {
    topics().configure(everyPart("news"), true);

    assertThatThrownBy(() -> send(from("alice").to("news")))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThatThrownBy(() -> agent("news")).isInstanceOf(MailroomException.Conflict.class);
    assertThat(send(from("alice").onTopic("news"))).isInstanceOf(SendResult.Accepted.class);
  }

  @Test
  void configurationsAreListedByName() {
    topics().configure(everyPart("b"), true);
    topics().configure(TopicConfig.inheritAll(box("a.x")), false);
    topics().configure(everyPart("a"), false);
    topics().configure(everyPart("a-z"), true);

    assertThat(topics().configs())
        .extracting(c -> c.name().value())
        .containsExactly("a", "a-z", "a.x", "b");
    assertThat(topics().config(box("a.x"))).contains(TopicConfig.inheritAll(box("a.x")));
    assertThat(topics().config(box("c"))).isEmpty();
  }

  @Test
  void aSendCreatesTheTopicsStatistics() {
    tick(42);

    MessageId id = sent(from("alice").onTopic("news.today"));

    assertThat(topics().stats(box("news.today")))
        .contains(stats("news.today", 1, Optional.of(id.timestamp()), 0, id.timestamp()));
    assertThat(topics().config(box("news.today"))).isEmpty();
  }

  @Test
  void statisticsCountEveryPublishEvenAfterItExpires() {
    Instant created = now();
    sent(from("alice").onTopic("news").ttl(Duration.ofMinutes(1)));
    tick(10);
    sent(from("bob").onTopic("news").ttl(Duration.ofMinutes(1)));
    tick(10);
    MessageId last = sent(from("alice").onTopic("news").ttl(Duration.ofMinutes(1)));
    sent(from("alice").onTopic("other"));
    clock().advance(Duration.ofMinutes(2));

    messages().purgeExpired(1_000);

    assertThat(ids("news")).isEmpty();
    assertThat(topics().stats(box("news")))
        .contains(stats("news", 3, Optional.of(last.timestamp()), 0, created));
  }

  @Test
  void aDuplicatePublishIsNotCounted() {
    MessageId id = sent(from("alice").onTopic("news").key("k"));
    tick(10);

    send(from("alice").onTopic("news").key("k"));

    assertThat(topics().stats(box("news")))
        .contains(stats("news", 1, Optional.of(id.timestamp()), 0, id.timestamp()));
  }

  @Test
  void otherMailboxesHaveNoTopicStatistics() {
    agent("bob");
    sent(from("alice").to("team"));
    sent(from("alice").toAgent("bob"));

    assertThat(topics().stats(box("team"))).isEmpty();
    assertThat(topics().stats(box("bob"))).isEmpty();
    assertThat(topics().stats(box("nowhere"))).isEmpty();
    assertThat(topics().topics()).isEmpty();
  }

  @Test
  void thePeakSubscriberCountOnlyRises() {
    topics().configure(everyPart("news"), true);

    topics().recordSubscribers(box("news"), 3);
    topics().recordSubscribers(box("news"), 5);
    topics().recordSubscribers(box("news"), 2);

    assertThat(topics().stats(box("news")).map(TopicStats::peakSubscribers)).contains(5);
  }

  @Test
  void recordingSubscribersOfNoTopicCreatesNothing() {
    sent(from("alice").to("team"));

    topics().recordSubscribers(box("nowhere"), 3);
    topics().recordSubscribers(box("team"), 3);

    assertThat(topics().stats(box("nowhere"))).isEmpty();
    assertThat(topics().topics()).isEmpty();
  }

  @Test
  void topicsAreListedByName() {
    Instant t0 = now();
    MessageId b = sent(from("alice").onTopic("b"));
    Instant t1 = tick(5);
    topics().configure(everyPart("a.x"), true);
    topics().configure(everyPart("a"), false);
    Instant t2 = tick(5);
    MessageId a = sent(from("alice").onTopic("a"));
    topics().recordSubscribers(box("a"), 4);

    assertThat(topics().topics())
        .containsExactly(
            stats("a", 1, Optional.of(a.timestamp()), 4, t2),
            stats("a.x", 0, Optional.empty(), 0, t1),
            stats("b", 1, Optional.of(b.timestamp()), 0, t0));
  }

  @Test
  void deletingATopicRemovesItsHistoryConfigurationAndStatistics() {
    agent("bob");
    topics().configure(everyPart("news"), true);
    MessageId id = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s")));
    MessageId other = sent(from("alice").onTopic("other"));

    assertThat(topics().delete(box("news"))).isTrue();

    assertThat(messages().mailbox(box("news"))).isEmpty();
    assertThat(ids("news")).isEmpty();
    assertThat(messages().contains(box("news"), id)).isFalse();
    assertThat(topics().config(box("news"))).isEmpty();
    assertThat(topics().stats(box("news"))).isEmpty();
    assertThat(topics().topics()).extracting(s -> s.name().value()).containsExactly("other");
    assertThat(ids("other")).containsExactly(other);
    assertThat(topics().delete(box("news"))).isFalse();
  }

  @Test
  void deletingATopicLeavesWhatReachedTheSubscribers() {
    agent("bob");
    MessageId id = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s")));

    topics().delete(box("news"));

    assertThat(ids("bob")).containsExactly(id);
    assertThat(pendingIds("bob")).containsExactly(id);
    assertThat(messages().find(id)).isPresent();
  }

  @Test
  void onlyTopicsCanBeDeleted() {
    agent("bob");
    MessageId shared = sent(from("alice").to("team"));

    assertThat(topics().delete(box("team"))).isFalse();
    assertThat(topics().delete(box("bob"))).isFalse();
    assertThat(topics().delete(box("nowhere"))).isFalse();

    assertThat(ids("team")).containsExactly(shared);
    assertThat(messages().mailbox(box("bob")).map(MailboxInfo::kind)).contains(MailboxKind.AGENT);
  }

  @Test
  void aDeletedTopicPublishedToAgainStartsAfresh() {
    sent(from("alice").onTopic("news"));
    sent(from("alice").onTopic("news"));
    topics().recordSubscribers(box("news"), 9);
    topics().delete(box("news"));
    Instant again = tick(1_000);

    MessageId id = sent(from("alice").onTopic("news"));

    assertThat(ids("news")).containsExactly(id);
    assertThat(topics().stats(box("news")))
        .contains(stats("news", 1, Optional.of(id.timestamp()), 0, again));
  }

  @Test
  void creatingATopicCountsItAsItsCreatorsUntilItIsDeleted() {
    AgentId alice = agent("alice");

    assertThat(topics().create(box("a.one"), alice, 2)).isEqualTo(TopicStore.Creation.CREATED);
    assertThat(topics().create(box("a.one"), alice, 2)).isEqualTo(TopicStore.Creation.EXISTS);
    assertThat(topics().create(box("a.two"), alice, 2)).isEqualTo(TopicStore.Creation.CREATED);
    assertThat(topics().createdBy(alice)).isEqualTo(2);

    assertThat(topics().create(box("a.three"), alice, 2)).isEqualTo(TopicStore.Creation.AT_LIMIT);
    assertThat(topics().stats(box("a.three"))).isEmpty();
    assertThat(topics().create(box("b.one"), agent("bob"), 2))
        .isEqualTo(TopicStore.Creation.CREATED);

    assertThat(topics().delete(box("a.one"))).isTrue();
    assertThat(topics().createdBy(alice)).isEqualTo(1);
    assertThat(topics().create(box("a.three"), alice, 2)).isEqualTo(TopicStore.Creation.CREATED);
    assertThat(topics().stats(box("a.three"))).isPresent();
  }

  @Test
  void topicsMadeOtherwiseCountForNobody() {
    AgentId alice = agent("alice");
    sent(from("alice").onTopic("sent"));
    topics().configure(everyPart("configured"), true);

    assertThat(topics().createdBy(alice)).isZero();
    assertThat(topics().create(box("sent"), alice, 1)).isEqualTo(TopicStore.Creation.EXISTS);
  }

  @Test
  void creatingATopicWhereAMailboxIsConflicts() {
    AgentId alice = agent("alice");
    sent(from("alice").to("team"));

    assertThatThrownBy(() -> topics().create(box("team"), alice, 10))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThatThrownBy(() -> topics().create(box("alice"), alice, 10))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(topics().createdBy(alice)).isZero();
  }

  @Test
  void topicsArePagedByNameWithinAPrefix() {
    for (String name : List.of("a", "a-b", "a.b", "a.c", "ab", "b", "b.a")) {
      topics().configure(everyPart(name), true);
    }

    assertThat(names(topics().topics("", Optional.empty(), 3))).containsExactly("a", "a-b", "a.b");
    assertThat(names(topics().topics("", Optional.of(box("a.b")), 3)))
        .containsExactly("a.c", "ab", "b");
    assertThat(names(topics().topics("", Optional.of(box("b.a")), 3))).isEmpty();
    assertThat(names(topics().topics("a.", Optional.empty(), 10))).containsExactly("a.b", "a.c");
    assertThat(names(topics().topics("a", Optional.of(box("a.b")), 10)))
        .containsExactly("a.c", "ab");
    assertThat(names(topics().topics("b", Optional.of(box("a.c")), 10)))
        .containsExactly("b", "b.a");
    assertThat(names(topics().topics("c", Optional.empty(), 10))).isEmpty();
  }

  private static List<String> names(List<TopicStats> page) {
    return page.stream().map(t -> t.name().value()).toList();
  }
}
