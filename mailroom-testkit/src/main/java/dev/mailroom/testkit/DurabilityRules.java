package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.PolicyDocument;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What survives closing the storage and opening it again. Runs only for backends that declare
 * {@link StorageContract.Capability#REOPEN}; for others each test is reported as skipped, with the
 * reason.
 */
abstract class DurabilityRules extends ContractRules {

  DurabilityRules(StorageFixture fixture) {
    super(fixture);
  }

  @BeforeEach
  void requireReopen() {
    assumeTrue(
        fixture().can(StorageContract.Capability.REOPEN),
        "the backend does not declare Capability.REOPEN");
  }

  private void reopen() {
    fixture().reopen();
  }

  @Test
  void messagesSurviveReopening() {
    agent("bob");
    MessageId a =
        sent(
            from("alice")
                .toAgent("bob")
                .code("rust", "fn main() {}")
                .priority(Priority.HIGH)
                .tags("t1", "t2")
                .metadata("{\"x\":1}")
                .thread("th")
                .key("k"));
    MessageId b = sent(from("alice").onTopic("news.daily").text("headline"));
    Message beforeA = messages().find(a).orElseThrow();
    Message beforeB = messages().find(b).orElseThrow();

    reopen();

    assertThat(messages().find(a)).contains(beforeA);
    assertThat(messages().find(b)).contains(beforeB);
    assertThat(ids("bob")).containsExactly(a);
    assertThat(ids("news.daily")).containsExactly(b);
  }

  @Test
  void mailboxesKeepTheirKindSizeAndDrops() {
    fixture().open(RetentionPolicy.DEFAULTS.withMaxInboxSize(2));
    agent("bob");
    for (int i = 0; i < 5; i++) {
      sent(from("alice").toAgent("bob"));
    }
    sent(from("alice").to("shared.one"));

    reopen();

    assertThat(messages().mailbox(box("bob")))
        .contains(new MailboxInfo(box("bob"), MailboxKind.AGENT, 2, 3));
    assertThat(messages().mailbox(box("shared.one")))
        .contains(new MailboxInfo(box("shared.one"), MailboxKind.SHARED, 1, 0));
    assertThat(send(from("alice").toAgent("bob")))
        .isInstanceOf(SendResult.Accepted.class)
        .extracting(r -> ((SendResult.Accepted) r).dropped())
        .isEqualTo(1);
  }

  @Test
  void agentsAndTokensSurviveReopening() {
    AgentId bob = agent("bob");
    agents().replaceToken(bob, "rotated", Optional.of(now().plus(Duration.ofDays(3))));
    agents().replaceRoles(bob, Set.of(Role.OBSERVER, Role.of("ops")));
    AgentId carol = agent("carol");
    agents().revokeToken(carol);
    AgentRecord before = agents().find(bob).orElseThrow();

    reopen();

    assertThat(agents().find(bob)).contains(before);
    assertThat(agents().findByTokenHash("rotated")).contains(before);
    assertThat(agents().findByTokenHash("hash-carol")).isEmpty();
    assertThat(agents().list()).extracting(AgentRecord::id).containsExactly(bob, carol);
    assertThat(before.tokenExpiresAt()).isPresent();
  }

  @Test
  void theAccessPolicySurvivesReopening() {
    storage().access().replacePolicy(0, "{\"rules\":[]}");
    storage().access().replacePolicy(1, "{\"rules\":[\"é\"]}");

    reopen();

    assertThat(storage().access().policy()).isEqualTo(new PolicyDocument(2, "{\"rules\":[\"é\"]}"));
    assertThat(storage().access().replacePolicy(1, "stale")).isEmpty();
    assertThat(storage().access().replacePolicy(2, "next")).hasValue(3);
  }

  @Test
  void theAuditLogSurvivesReopening() {
    List<AuditRecord> log = AuditRecords.chain("node-1", 0, 5, now());
    storage().audit().append(log);

    reopen();

    assertThat(storage().audit().chain("node-1", 0, 10)).isEqualTo(log);
    assertThat(storage().audit().chains()).containsExactly("node-1");
    storage().audit().append(AuditRecords.chain("node-1", 5, 1, now()));
    assertThat(storage().audit().chain("node-1", 0, 10)).hasSize(6);
  }

  @Test
  void readStateSurvivesReopening() {
    MessageId id = sent(from("alice").to("box"));
    tick(5);
    messages().markRead(id, READER);
    List<ReadReceipt> before = messages().readers(id);

    reopen();

    assertThat(messages().readers(id)).isEqualTo(before);
    assertThat(messages().unreadCount(box("box"), READER)).isZero();
    List<Envelope> listed = listAll("box", READER, MessageFilter.NONE, Order.ASC, 10);
    assertThat(listed.getFirst().readAt()).contains(before.getFirst().readAt());
  }

  @Test
  void idempotencyKeysSurviveReopening() {
    MessageId original = sent(from("alice").to("box").key("k"));

    reopen();

    assertThat(send(from("alice").to("box").key("k")))
        .isEqualTo(new SendResult.Duplicate(original, 1));
  }

  @Test
  void idsAfterReopeningExceedEveryEarlierIdEvenIfTheClockWentBack() {
    MessageId before = sent(from("alice").to("box"));
    clock().set(clock().instant().minus(Duration.ofHours(2)));

    reopen();
    MessageId after = sent(from("alice").to("box"));

    assertThat(after).isGreaterThan(before);
    assertThat(ids("box")).containsExactly(before, after);
  }

  @Test
  void expiredMessagesStayInvisibleAfterReopening() {
    MessageId id = sent(from("alice").to("box").ttl(Duration.ofMinutes(1)));
    clock().advance(Duration.ofMinutes(2));

    reopen();

    assertThat(messages().find(id)).isEmpty();
    assertThat(ids("box")).isEmpty();
  }

  @Test
  void subscriptionsSurviveReopening() {
    agent("bob");
    Subscription a = subscription("a", "bob", "ai.**", 5);
    Subscription b = subscription("b", "bob", "news", 7);
    deliveries().saveSubscription(b);
    deliveries().saveSubscription(a);

    reopen();

    assertThat(deliveries().subscriptions()).containsExactly(a, b);
    assertThat(deliveries().subscription(a.id())).contains(a);
  }

  @Test
  void pendingDeliveriesAndTheirAttemptsSurviveReopening() {
    AgentId bob = agent("bob");
    MessageId acked = sent(from("alice").toAgent("bob"));
    MessageId retried = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s", 2)));
    MessageId fresh = sent(from("alice").toAgent("bob"));
    deliveries().acknowledge(bob, List.of(acked));
    deliveries().recordAttempts(bob, retried, 2);
    List<Delivery> before = pending("bob");

    reopen();

    assertThat(pending("bob")).isEqualTo(before);
    assertThat(pendingIds("bob")).containsExactly(retried, fresh);
    assertThat(deliveries().queued(SubscriptionId.of("s"))).isEqualTo(1);
    assertThat(deliveries().acknowledge(bob, List.of(acked))).isZero();
  }

  @Test
  void theQueueBoundHoldsAcrossReopening() {
    agent("bob");
    sent(from("alice").onTopic("news").subscribers(pushed("bob", "s", 2)));
    MessageId second = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s", 2)));

    reopen();
    MessageId third = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s", 2)));

    assertThat(pendingIds("bob")).containsExactly(second, third);
  }

  @Test
  void deadLettersSurviveReopening() {
    AgentId bob = agent("bob");
    MessageId id = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s")));
    tick(100);
    deliveries().deadLetter(bob, id, 3, "no ack after 3 attempts");
    DeadLetter before = deliveries().deadLetter(bob, id).orElseThrow();

    reopen();

    assertThat(deliveries().deadLetters(Optional.empty(), Optional.empty(), 10))
        .containsExactly(before);
    assertThat(deliveries().replay(bob, id)).isTrue();
    assertThat(pending("bob")).containsExactly(delivery(id, "bob", SubscriptionId.of("s"), 0));
  }

  @Test
  void topicConfigurationsAndStatisticsSurviveReopening() {
    TopicConfig ai = TopicConfig.inheritAll(box("ai"));
    TopicConfig news = TopicRules.everyPart("ai.news");
    topics().configure(ai, false);
    topics().configure(news, true);
    tick(10);
    sent(from("alice").onTopic("ai.news"));
    sent(from("alice").onTopic("ai.other"));
    topics().recordSubscribers(box("ai.news"), 6);
    List<TopicStats> before = topics().topics();

    reopen();

    assertThat(topics().configs()).containsExactly(ai, news);
    assertThat(topics().topics()).isEqualTo(before).hasSize(2);
    sent(from("alice").onTopic("ai.news"));
    assertThat(topics().stats(box("ai.news")).map(TopicStats::messages)).contains(2L);
  }
}
