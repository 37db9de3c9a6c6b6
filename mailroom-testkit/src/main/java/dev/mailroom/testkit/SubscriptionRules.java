package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Priority;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Storing, listing and deleting subscriptions, and what deleting one does to its queue. */
abstract class SubscriptionRules extends ContractRules {

  SubscriptionRules(StorageFixture fixture) {
    super(fixture);
  }

  /** A subscription with every field away from its default. */
  private Subscription everyField() {
    tick(1_234);
    return new Subscription(
        SubscriptionId.of("sub_every-field"),
        AgentId.of("bob"),
        SubscriptionPattern.of("ai.**.gpt4"),
        DeliveryMode.BATCH,
        filter()
            .sender("alice")
            .minPriority(Priority.HIGH)
            .contentType(ContentType.APPLICATION_JSON)
            .tags("x", "y:z")
            .build(),
        25,
        Duration.ofMillis(1_500),
        77,
        true,
        now());
  }

  @Test
  void aSavedSubscriptionReadsBackFieldByField() {
    agent("bob");
    Subscription saved = everyField();

    deliveries().saveSubscription(saved);

    assertThat(deliveries().subscription(saved.id())).contains(saved);
    assertThat(deliveries().subscriptions()).containsExactly(saved);
  }

  @Test
  void everyDeliveryModeRoundTrips() {
    agent("bob");
    for (DeliveryMode mode : DeliveryMode.values()) {
      Subscription s = subscription("s-" + mode.name(), "bob", "news.*", 10);
      Subscription withMode =
          new Subscription(
              s.id(),
              s.agent(),
              s.pattern(),
              mode,
              s.filter(),
              s.batchSize(),
              s.batchWindow(),
              s.maxQueueSize(),
              s.autoAck(),
              s.createdAt());
      deliveries().saveSubscription(withMode);
      assertThat(deliveries().subscription(s.id())).contains(withMode);
    }
  }

  @Test
  void subscriptionsAreListedById() {
    agent("bob");
    agent("carol");
    Subscription c = subscription("c", "bob", "**", 10);
    Subscription a = subscription("a", "carol", "news", 10);
    Subscription b = subscription("b", "bob", "team.*", 10);

    deliveries().saveSubscription(c);
    deliveries().saveSubscription(a);
    deliveries().saveSubscription(b);

    assertThat(deliveries().subscriptions()).containsExactly(a, b, c);
  }

  @Test
  void savingATakenIdConflictsAndKeepsTheFirst() {
    agent("bob");
    agent("carol");
    Subscription first = subscription("dup", "bob", "news", 10);
    deliveries().saveSubscription(first);

    assertThatThrownBy(
            () -> deliveries().saveSubscription(subscription("dup", "carol", "other", 5)))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(deliveries().subscriptions()).containsExactly(first);
  }

  @Test
  void anUnknownSubscriptionIsEmpty() {
    assertThat(deliveries().subscription(SubscriptionId.of("nope"))).isEmpty();
    assertThat(deliveries().subscriptions()).isEmpty();
  }

  @Test
  void deletingRemovesTheSubscriptionOnce() {
    agent("bob");
    Subscription keep = subscription("keep", "bob", "a", 10);
    Subscription gone = subscription("gone", "bob", "b", 10);
    deliveries().saveSubscription(keep);
    deliveries().saveSubscription(gone);

    assertThat(deliveries().deleteSubscription(gone.id())).isTrue();

    assertThat(deliveries().subscription(gone.id())).isEmpty();
    assertThat(deliveries().subscriptions()).containsExactly(keep);
    assertThat(deliveries().deleteSubscription(gone.id())).isFalse();
  }

  @Test
  void deletingStopsItsPendingDeliveriesAndKeepsTheInbox() {
    agent("bob");
    deliveries().saveSubscription(subscription("gone", "bob", "one", 10));
    deliveries().saveSubscription(subscription("kept", "bob", "two", 10));
    MessageId viaGone = sent(from("alice").onTopic("one").subscribers(pushed("bob", "gone")));
    MessageId viaKept = sent(from("alice").onTopic("two").subscribers(pushed("bob", "kept")));
    MessageId direct = sent(from("alice").toAgent("bob"));

    deliveries().deleteSubscription(SubscriptionId.of("gone"));

    assertThat(pendingIds("bob")).containsExactly(viaKept, direct);
    assertThat(deliveries().queued(SubscriptionId.of("gone"))).isZero();
    assertThat(deliveries().queued(SubscriptionId.of("kept"))).isEqualTo(1);
    assertThat(ids("bob")).containsExactly(viaGone, viaKept, direct);
    assertThat(deliveries().acknowledge(AgentId.of("bob"), List.of(viaGone))).isZero();
  }

  @Test
  void theInboxIsNoSubscriptionToDelete() {
    agent("bob");
    MessageId direct = sent(from("alice").toAgent("bob"));

    assertThat(deliveries().deleteSubscription(SubscriptionId.INBOX)).isFalse();

    assertThat(pendingIds("bob")).containsExactly(direct);
  }

  @Test
  void anAgentAtItsMaximumOfSubscriptionsIsRefusedOneMore() {
    agent("bob");
    agent("carol");
    assertThat(deliveries().saveSubscription(subscription("s1", "bob", "a", 10), 2)).isTrue();
    assertThat(deliveries().saveSubscription(subscription("s2", "bob", "b", 10), 2)).isTrue();

    assertThat(deliveries().saveSubscription(subscription("s3", "bob", "c", 10), 2)).isFalse();

    assertThat(deliveries().subscription(SubscriptionId.of("s3"))).isEmpty();
    assertThat(deliveries().subscriptionCount(AgentId.of("bob"))).isEqualTo(2);
    assertThat(deliveries().saveSubscription(subscription("s4", "carol", "c", 10), 2)).isTrue();
    assertThat(deliveries().subscriptionCount(AgentId.of("carol"))).isEqualTo(1);
  }

  @Test
  void deletingASubscriptionMakesRoomForAnother() {
    agent("bob");
    deliveries().saveSubscription(subscription("s1", "bob", "a", 10), 1);

    assertThat(deliveries().deleteSubscription(SubscriptionId.of("s1"))).isTrue();

    assertThat(deliveries().subscriptionCount(AgentId.of("bob"))).isZero();
    assertThat(deliveries().saveSubscription(subscription("s2", "bob", "b", 10), 1)).isTrue();
  }
}
