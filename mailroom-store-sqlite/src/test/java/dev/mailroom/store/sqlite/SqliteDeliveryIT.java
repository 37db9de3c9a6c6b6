package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Priority;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite delivery and topic stores: fan-out, queues, dead letters, the listener, durability,
 * and that the writer's pending counters always equal the pending rows.
 */
class SqliteDeliveryIT {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");
  private static final AgentId CAROL = AgentId.of("carol");
  private static final SubscriptionId SUB_BOB = SubscriptionId.of("sub-bob");
  private static final SubscriptionId SUB_CAROL = SubscriptionId.of("sub-carol");

  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();
  private final List<Storage> opened = new ArrayList<>();
  private final List<Notice> notices = new CopyOnWriteArrayList<>();

  private record Notice(MessageId id, List<Recipient> recipients, String thread) {}

  @AfterEach
  void closeEverything() {
    opened.forEach(Storage::close);
  }

  private Path file() {
    return dir.resolve("mailroom.db");
  }

  private Storage open(RetentionPolicy retention) {
    Storage s = SqliteStorage.open(SqliteOptions.of(file()), clock, retention);
    opened.add(s);
    s.listen(
        new ChangeListener() {
          @Override
          public void stored(Message m, List<Recipient> pushed, List<AgentId> reached) {
            if (!pushed.isEmpty()) {
              notices.add(new Notice(m.id(), pushed, Thread.currentThread().getName()));
            }
          }

          @Override
          public void requeued(Message m, Recipient r) {
            notices.add(new Notice(m.id(), List.of(r), Thread.currentThread().getName()));
          }
        });
    return s;
  }

  private Storage openWithAgents(RetentionPolicy retention) {
    Storage s = open(retention);
    for (String a : List.of("alice", "bob", "carol")) {
      Fixtures.createAgent(s, a, clock.instant());
    }
    return s;
  }

  private Storage openWithAgents() {
    return openWithAgents(RetentionPolicy.DEFAULTS);
  }

  private static Recipient push(AgentId agent, SubscriptionId sub, int max) {
    return new Recipient(agent, sub, true, max);
  }

  private static Route topic(String name, Recipient... subscribers) {
    return new Route.ToMailbox(MailboxName.of(name), MailboxKind.TOPIC, List.of(subscribers));
  }

  private static SendResult send(Storage s, String body, Route route) {
    return s.messages().send(Fixtures.text("alice", "ai.news", body), route);
  }

  private static List<String> pendingBodies(Storage s, AgentId agent) {
    return s.deliveries().pending(agent, Optional.empty(), 1000).stream()
        .map(d -> d.message().payload().text())
        .toList();
  }

  private static Subscription subscription(SubscriptionId id, AgentId agent, int maxQueue) {
    MessageFilter filter =
        new MessageFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(ALICE),
            Optional.of(Priority.HIGH),
            Optional.of(ContentType.TEXT_PLAIN),
            Set.of(Tag.of("b"), Tag.of("a")),
            Optional.empty(),
            Optional.empty());
    return new Subscription(
        id,
        agent,
        SubscriptionPattern.of("ai.**"),
        DeliveryMode.BATCH,
        filter,
        20,
        Duration.ofMillis(1500),
        maxQueue,
        true,
        Instant.parse("2030-01-01T00:00:00.123Z"));
  }

  /** The writer's counters against a count of the rows themselves. */
  private void assertCountersMatchRows() throws Exception {
    Map<String, Long> counted = new HashMap<>();
    Map<String, Long> rows = new HashMap<>();
    try (CachedConnection c = CachedConnection.openReader(file())) {
      try (ResultSet rs =
          c.prepare("SELECT subscription, pending FROM queues WHERE pending > 0").executeQuery()) {
        while (rs.next()) {
          counted.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (ResultSet rs =
          c.prepare(
                  "SELECT coalesce(subscription, 'inbox'), COUNT(*) FROM"
                      + " (SELECT subscription FROM entries WHERE state = 1"
                      + " UNION ALL SELECT subscription FROM fanout WHERE state = 1) GROUP BY 1")
              .executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    assertThat(counted).isEqualTo(rows);
  }

  @Test
  void aDirectMessageIsQueuedForItsAgentAndToldAfterTheCommit() throws Exception {
    Storage s = openWithAgents();

    SendResult r = s.messages().send(Fixtures.text("alice", "bob", "hi"), Fixtures.agent("bob"));

    assertThat(s.deliveries().pending(BOB, Optional.empty(), 10))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.message().id()).isEqualTo(r.id());
              assertThat(d.subscription()).isEqualTo(SubscriptionId.INBOX);
              assertThat(d.attempts()).isZero();
            });
    assertThat(notices)
        .containsExactly(
            new Notice(
                r.id(),
                List.of(new Recipient(BOB, SubscriptionId.INBOX, true, Integer.MAX_VALUE)),
                GroupCommitWriter.THREAD_NAME));
    assertThat(s.deliveries().queued(SubscriptionId.INBOX)).isEqualTo(1);
    assertCountersMatchRows();
  }

  @Test
  void aBroadcastIsQueuedForEveryAgentButTheSender() {
    Storage s = openWithAgents();
    OutgoingMessage out =
        new OutgoingMessage(
            ALICE, Draft.text(SendMode.BROADCAST, Optional.empty(), "all"), Fixtures.TTL);

    s.messages().send(out, new Route.ToAllAgents(ALICE));

    assertThat(pendingBodies(s, BOB)).containsExactly("all");
    assertThat(pendingBodies(s, CAROL)).containsExactly("all");
    assertThat(pendingBodies(s, ALICE)).isEmpty();
    assertThat(notices).singleElement().extracting(n -> n.recipients().size()).isEqualTo(2);
  }

  @Test
  void aTopicSendReachesSubscriberInboxesOnceAndSkipsTheSenderAndUnknownAgents() throws Exception {
    Storage s = openWithAgents();
    Recipient bob = push(BOB, SUB_BOB, 10);
    Recipient carol = new Recipient(CAROL, SUB_CAROL, false, 10);

    SendResult r =
        send(
            s,
            "news",
            topic(
                "ai.news",
                bob,
                carol,
                push(ALICE, SubscriptionId.of("sub-alice"), 10),
                push(AgentId.of("ghost"), SubscriptionId.of("sub-ghost"), 10)));

    assertThat(r).isEqualTo(new SendResult.Accepted(r.id(), 2, 0));
    assertThat(s.messages().find(r.id())).map(Message::recipients).contains(2);
    assertThat(s.messages().contains(MailboxName.of("bob"), r.id())).isTrue();
    assertThat(s.messages().contains(MailboxName.of("carol"), r.id())).isTrue();
    assertThat(s.messages().contains(MailboxName.of("alice"), r.id())).isFalse();
    assertThat(s.messages().unreadCount(MailboxName.of("carol"), CAROL)).isEqualTo(1);
    // Only the pushed subscriber gets a delivery; the polling one only an inbox entry.
    assertThat(pendingBodies(s, BOB)).containsExactly("news");
    assertThat(pendingBodies(s, CAROL)).isEmpty();
    assertThat(notices).singleElement().extracting(Notice::recipients).isEqualTo(List.of(bob));
    assertThat(s.health().details()).containsEntry("messages_estimate", 1L);
    assertCountersMatchRows();
  }

  @Test
  void aFullSubscriptionQueueDropsItsOldestDeliveryButKeepsTheInboxEntry() throws Exception {
    Storage s = openWithAgents();
    for (int i = 1; i <= 5; i++) {
      send(s, "n" + i, topic("ai.news", push(BOB, SUB_BOB, 3)));
    }

    assertThat(pendingBodies(s, BOB)).containsExactly("n3", "n4", "n5");
    assertThat(s.deliveries().queued(SUB_BOB)).isEqualTo(3);
    assertThat(s.messages().unreadCount(MailboxName.of("bob"), BOB)).isEqualTo(5);
    assertCountersMatchRows();
  }

  @Test
  void aFullInboxDropsEntriesWithTheirDeliveries() throws Exception {
    Storage s = openWithAgents(RetentionPolicy.DEFAULTS.withMaxInboxSize(2));
    SendResult last = null;
    for (int i = 1; i <= 4; i++) {
      last = send(s, "n" + i, topic("ai.news", push(BOB, SUB_BOB, 100)));
    }

    assertThat(last).isEqualTo(new SendResult.Accepted(last.id(), 1, 1));
    assertThat(pendingBodies(s, BOB)).containsExactly("n3", "n4");
    assertThat(s.deliveries().queued(SUB_BOB)).isEqualTo(2);
    assertCountersMatchRows();
  }

  @Test
  void aFanOutToManyFullQueuesAndInboxesDropsTheOldestOfEach() throws Exception {
    Storage s = openWithAgents(RetentionPolicy.DEFAULTS.withMaxInboxSize(3));
    Route route = topic("ai.news", push(BOB, SUB_BOB, 2), push(CAROL, SUB_CAROL, 2));
    SendResult last = null;
    for (int i = 1; i <= 5; i++) {
      last = send(s, "n" + i, route);
    }

    assertThat(last).isEqualTo(new SendResult.Accepted(last.id(), 2, 2));
    for (AgentId agent : List.of(BOB, CAROL)) {
      assertThat(pendingBodies(s, agent)).containsExactly("n4", "n5");
      assertThat(s.messages().mailbox(MailboxName.of(agent.value())).orElseThrow().size())
          .isEqualTo(3);
    }
    assertThat(s.deliveries().queued(SUB_BOB)).isEqualTo(2);
    assertThat(s.deliveries().queued(SUB_CAROL)).isEqualTo(2);
    // The topic's history keeps every message, so none of them is deleted.
    assertThat(s.health().details()).containsEntry("messages_estimate", 5L);
    assertCountersMatchRows();
  }

  @Test
  void acknowledgingCountsOnlyWhatWasPending() throws Exception {
    Storage s = openWithAgents();
    MessageId a = send(s, "a", topic("ai.news", push(BOB, SUB_BOB, 10))).id();
    MessageId b = send(s, "b", topic("ai.news", push(BOB, SUB_BOB, 10))).id();

    assertThat(s.deliveries().acknowledge(BOB, List.of(a, MessageId.of(1), a))).isEqualTo(1);
    assertThat(s.deliveries().acknowledge(BOB, List.of(a))).isZero();
    assertThat(s.deliveries().acknowledge(CAROL, List.of(b))).isZero();
    assertThat(pendingBodies(s, BOB)).containsExactly("b");
    assertThat(s.deliveries().pending(BOB, Optional.of(a), 10)).hasSize(1);
    assertThat(s.deliveries().pending(BOB, Optional.of(b), 10)).isEmpty();
    assertThat(s.deliveries().queued(SUB_BOB)).isEqualTo(1);
    assertCountersMatchRows();
  }

  @Test
  void aDeadLetterKeepsItsAttemptsAndReasonAndCanBeReplayedOrPurged() throws Exception {
    Storage s = openWithAgents();
    MessageId id = send(s, "x", topic("ai.news", push(BOB, SUB_BOB, 7))).id();
    assertThat(s.deliveries().recordAttempts(BOB, id, 2)).isTrue();
    assertThat(s.deliveries().pending(BOB, Optional.empty(), 10))
        .extracting(Delivery::attempts)
        .containsExactly(2);
    clock.advance(Duration.ofSeconds(30));
    Instant deadAt = clock.instant();

    assertThat(s.deliveries().deadLetter(BOB, id, 3, "no ack")).isTrue();
    assertThat(s.deliveries().deadLetter(BOB, id, 3, "again")).isFalse();
    assertThat(s.deliveries().recordAttempts(BOB, id, 4)).isFalse();
    assertThat(pendingBodies(s, BOB)).isEmpty();
    assertThat(s.deliveries().queued(SUB_BOB)).isZero();
    DeadLetter letter = s.deliveries().deadLetter(BOB, id).orElseThrow();
    assertThat(letter.agent()).isEqualTo(BOB);
    assertThat(letter.subscription()).isEqualTo(SUB_BOB);
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.reason()).isEqualTo("no ack");
    assertThat(letter.deadAt()).isEqualTo(deadAt);
    assertThat(s.deliveries().deadLetters(Optional.empty(), Optional.empty(), 10))
        .containsExactly(letter);
    assertThat(s.deliveries().deadLetters(Optional.of(CAROL), Optional.empty(), 10)).isEmpty();

    notices.clear();
    assertThat(s.deliveries().replay(BOB, id)).isTrue();
    assertThat(s.deliveries().replay(BOB, id)).isFalse();
    assertThat(s.deliveries().pending(BOB, Optional.empty(), 10))
        .extracting(Delivery::attempts)
        .containsExactly(0);
    assertThat(notices)
        .extracting(Notice::recipients)
        .containsExactly(List.of(new Recipient(BOB, SUB_BOB, true, Integer.MAX_VALUE)));
    assertCountersMatchRows();

    s.deliveries().deadLetter(BOB, id, 1, "again");
    assertThat(s.deliveries().purgeDeadLetters(Optional.of(CAROL), Optional.empty())).isZero();
    assertThat(s.deliveries().purgeDeadLetters(Optional.empty(), Optional.of(id))).isEqualTo(1);
    assertThat(s.deliveries().deadLetters(Optional.empty(), Optional.empty(), 10)).isEmpty();
    assertThat(s.messages().contains(MailboxName.of("bob"), id)).isTrue();
    assertCountersMatchRows();
  }

  @Test
  void deletingASubscriptionEndsItsPendingDeliveries() throws Exception {
    Storage s = openWithAgents();
    Subscription sub = subscription(SUB_BOB, BOB, 10);
    s.deliveries().saveSubscription(sub);
    assertThatThrownBy(() -> s.deliveries().saveSubscription(sub))
        .isInstanceOf(MailroomException.Conflict.class);
    send(s, "a", topic("ai.news", push(BOB, SUB_BOB, 10), push(CAROL, SUB_CAROL, 10)));

    assertThat(s.deliveries().deleteSubscription(SUB_BOB)).isTrue();
    assertThat(s.deliveries().deleteSubscription(SUB_BOB)).isFalse();

    assertThat(pendingBodies(s, BOB)).isEmpty();
    assertThat(pendingBodies(s, CAROL)).containsExactly("a");
    assertThat(s.deliveries().queued(SUB_BOB)).isZero();
    assertThat(s.deliveries().subscription(SUB_BOB)).isEmpty();
    assertThat(s.messages().unreadCount(MailboxName.of("bob"), BOB)).isEqualTo(1);
    assertCountersMatchRows();
  }

  @Test
  void expiredDeliveriesAreNeverPendingAndTheCleanerKeepsTheCountersRight() throws Exception {
    Storage s = openWithAgents();
    OutgoingMessage shortLived =
        Fixtures.withTtl("alice", "ai.news", "short", Duration.ofSeconds(10));
    MessageId expiring =
        s.messages().send(shortLived, topic("ai.news", push(BOB, SUB_BOB, 10))).id();
    send(s, "long", topic("ai.news", push(BOB, SUB_BOB, 10)));
    clock.advance(Duration.ofSeconds(11));

    assertThat(pendingBodies(s, BOB)).containsExactly("long");
    assertThat(s.deliveries().acknowledge(BOB, List.of(expiring))).isZero();
    assertThat(s.deliveries().deadLetter(BOB, expiring, 1, "late")).isFalse();

    assertThat(s.messages().purgeExpired(1000).messages()).isEqualTo(1);
    assertThat(s.deliveries().queued(SUB_BOB)).isEqualTo(1);
    assertCountersMatchRows();
  }

  @Test
  void aTaskThatFailsLeavesTheQueueCountsAsTheyWere() throws Exception {
    Storage s = openWithAgents();
    send(s, "kept", topic("ai.news", push(BOB, SUB_BOB, 10)));
    GroupCommitWriter writer = ((SqliteBackend) s).writer();

    assertThatThrownBy(
            () ->
                writer.execute(
                    "fails after counting",
                    w -> {
                      Queues.add(w, SUB_BOB.value(), 5);
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    send(s, "also kept", topic("ai.news", push(BOB, SUB_BOB, 10)));

    assertThat(s.deliveries().queued(SUB_BOB)).isEqualTo(2);
    assertCountersMatchRows();
  }

  /**
   * The writer remembers which (agent, source) pairs are stored only once they commit: a fan-out
   * rolled back with its task must not leave the pair remembered, or the next fan-out would skip
   * storing it and the agent's listing would not find what that source gave it.
   */
  @Test
  void aFanOutRolledBackLeavesNoSourceBehindInTheStoreOrTheWritersMemory() {
    Storage s = openWithAgents();
    GroupCommitWriter writer = ((SqliteBackend) s).writer();
    MessageWrites writes = new MessageWrites(RetentionPolicy.DEFAULTS);
    Route news = topic("ai.news", push(BOB, SUB_BOB, 10));

    assertThatThrownBy(
            () ->
                writer.execute(
                    "fans out, then fails",
                    w -> {
                      writes.send(w, Fixtures.text("alice", "ai.news", "rolled back"), news);
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    send(s, "kept", news);

    MessageQuery inbox =
        new MessageQuery(
            MailboxName.of("bob"), BOB, MessageFilter.NONE, Optional.empty(), Order.ASC, 10);
    assertThat(s.messages().query(inbox).items())
        .extracting(e -> e.message().payload().text())
        .containsExactly("kept");
    assertThat(pendingBodies(s, BOB)).containsExactly("kept");
  }

  @Test
  void theListenerHearsOfNothingForDuplicatesOrFailedSends() {
    Storage s = openWithAgents();
    s.messages().send(Fixtures.withKey("alice", "bob", "once", "k1"), Fixtures.agent("bob"));
    s.messages().send(Fixtures.withKey("alice", "bob", "once", "k1"), Fixtures.agent("bob"));
    assertThatThrownBy(
            () ->
                s.messages()
                    .send(
                        Fixtures.text("alice", "bob", "x"),
                        new Route.ToMailbox(
                            MailboxName.of("bob"),
                            MailboxKind.TOPIC,
                            List.of(push(CAROL, SUB_CAROL, 5)))))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(notices).hasSize(1);
    assertThat(pendingBodies(s, CAROL)).isEmpty();
    assertThat(s.deliveries().queued(SUB_CAROL)).isZero();
  }

  @Test
  void concurrentSendsAreToldInCommitOrder() throws Exception {
    Storage s = openWithAgents();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 50; i++) {
                      send(s, "m", topic("ai.news", push(BOB, SUB_BOB, 1000)));
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }

    List<MessageId> told = notices.stream().map(Notice::id).toList();
    assertThat(told).hasSize(400).isSorted();
    assertThat(s.deliveries().pending(BOB, Optional.empty(), 1000))
        .extracting(d -> d.message().id())
        .isEqualTo(told);
  }

  @Test
  void everythingSurvivesCloseAndReopen() throws Exception {
    Storage first = openWithAgents();
    Subscription sub = subscription(SUB_BOB, BOB, 10);
    first.deliveries().saveSubscription(sub);
    MessageId pending = send(first, "p", topic("ai.news", push(BOB, SUB_BOB, 10))).id();
    MessageId dead = send(first, "d", topic("ai.news", push(BOB, SUB_BOB, 10))).id();
    first.deliveries().recordAttempts(BOB, pending, 1);
    first.deliveries().deadLetter(BOB, dead, 3, "gone");
    TopicConfig config =
        new TopicConfig(
            MailboxName.of("ai"),
            Optional.of("all things AI"),
            Optional.of(Duration.ofHours(36)),
            OptionalInt.of(50),
            Optional.empty());
    first.topics().configure(config, false);
    first.topics().recordSubscribers(MailboxName.of("ai.news"), 4);
    Optional<DeadLetter> letter = first.deliveries().deadLetter(BOB, dead);
    List<Delivery> deliveries = first.deliveries().pending(BOB, Optional.empty(), 10);
    Optional<TopicStats> stats = first.topics().stats(MailboxName.of("ai.news"));
    first.close();

    Storage second = open(RetentionPolicy.DEFAULTS);

    assertThat(second.deliveries().subscriptions()).containsExactly(sub);
    assertThat(second.deliveries().pending(BOB, Optional.empty(), 10)).isEqualTo(deliveries);
    assertThat(second.deliveries().deadLetter(BOB, dead)).isEqualTo(letter).isPresent();
    assertThat(second.deliveries().queued(SUB_BOB)).isEqualTo(1);
    assertThat(second.topics().configs()).containsExactly(config);
    assertThat(second.topics().stats(MailboxName.of("ai.news"))).isEqualTo(stats);
    assertThat(stats)
        .contains(
            new TopicStats(
                MailboxName.of("ai.news"), 2, Optional.of(clock.instant()), 4, clock.instant()));
  }

  @Test
  void topicsAreConfiguredCountedAndDeleted() {
    Storage s = openWithAgents();
    Instant created = clock.instant();
    TopicConfig news = TopicConfig.inheritAll(MailboxName.of("ai.news"));
    s.topics().configure(news, true);
    s.topics().configure(TopicConfig.inheritAll(MailboxName.of("ai")), false);
    assertThatThrownBy(
            () -> s.topics().configure(TopicConfig.inheritAll(MailboxName.of("bob")), true))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(s.topics().config(MailboxName.of("bob"))).isEmpty();
    assertThat(s.topics().stats(MailboxName.of("ai"))).isEmpty();
    assertThat(s.topics().stats(MailboxName.of("ai.news")))
        .contains(new TopicStats(MailboxName.of("ai.news"), 0, Optional.empty(), 0, created));

    clock.advance(Duration.ofMinutes(1));
    MessageId id = send(s, "n", topic("ai.news", push(BOB, SUB_BOB, 5))).id();
    s.topics().recordSubscribers(MailboxName.of("ai.news"), 3);
    s.topics().recordSubscribers(MailboxName.of("ai.news"), 2);

    assertThat(s.topics().topics())
        .containsExactly(
            new TopicStats(MailboxName.of("ai.news"), 1, Optional.of(clock.instant()), 3, created));
    assertThat(s.topics().configs())
        .extracting(TopicConfig::name)
        .containsExactly(MailboxName.of("ai"), MailboxName.of("ai.news"));

    assertThat(s.topics().delete(MailboxName.of("ai.news"))).isTrue();
    assertThat(s.topics().delete(MailboxName.of("ai.news"))).isFalse();
    assertThat(s.topics().topics()).isEmpty();
    assertThat(s.topics().config(MailboxName.of("ai.news"))).isEmpty();
    assertThat(s.messages().mailbox(MailboxName.of("ai.news"))).isEmpty();
    // What reached an inbox stays there.
    assertThat(s.messages().find(id)).isPresent();
    assertThat(pendingBodies(s, BOB)).containsExactly("n");
  }
}
