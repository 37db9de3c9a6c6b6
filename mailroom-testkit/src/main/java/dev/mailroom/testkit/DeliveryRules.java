package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.SubscriptionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The queue of pending deliveries: listing it, acknowledging, recording attempts, the bound of a
 * subscription's queue and of the inbox, and expiry.
 */
abstract class DeliveryRules extends ContractRules {
  private static final AgentId BOB = AgentId.of("bob");
  private static final SubscriptionId INBOX = SubscriptionId.INBOX;
  private static final SubscriptionId A = SubscriptionId.of("sub-a");
  private static final SubscriptionId B = SubscriptionId.of("sub-b");

  DeliveryRules(StorageFixture fixture) {
    super(fixture);
  }

  private MessageId direct() {
    return sent(from("alice").toAgent("bob"));
  }

  /** A send to topic {@code topic} that reaches bob through subscription {@code via}. */
  private MessageId viaTopic(String topic, SubscriptionId via, int max) {
    return sent(from("alice").onTopic(topic).subscribers(pushed("bob", via.value(), max)));
  }

  private MessageId viaTopic(SubscriptionId via) {
    return viaTopic("news", via, 1_000);
  }

  @Test
  void pendingListsEveryRouteByAscendingId() {
    agent("bob");
    MessageId d1 = direct();
    MessageId a1 = viaTopic(A);
    MessageId b1 = sent(from("alice").to("team").subscribers(pushed("bob", B.value())));
    MessageId d2 = direct();

    assertThat(pending("bob"))
        .containsExactly(
            delivery(d1, "bob", INBOX, 0),
            delivery(a1, "bob", A, 0),
            delivery(b1, "bob", B, 0),
            delivery(d2, "bob", INBOX, 0));
  }

  @Test
  void pendingPagesAfterAnIdUpToALimit() {
    agent("bob");
    List<MessageId> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(direct());
    }

    assertThat(ids(BOB, Optional.empty(), 2)).containsExactly(sent.get(0), sent.get(1));
    assertThat(ids(BOB, Optional.of(sent.get(1)), 2)).containsExactly(sent.get(2), sent.get(3));
    assertThat(ids(BOB, Optional.of(sent.get(3)), 2)).containsExactly(sent.get(4));
    assertThat(ids(BOB, Optional.of(sent.get(4)), 2)).isEmpty();
  }

  private List<MessageId> ids(AgentId agent, Optional<MessageId> after, int limit) {
    return deliveries().pending(agent, after, limit).stream().map(d -> d.message().id()).toList();
  }

  @Test
  void pendingIsPerAgent() {
    agent("bob");
    agent("carol");
    MessageId toBob = direct();
    MessageId toCarol = sent(from("alice").toAgent("carol"));

    assertThat(pendingIds("bob")).containsExactly(toBob);
    assertThat(pendingIds("carol")).containsExactly(toCarol);
    assertThat(pending("nobody")).isEmpty();
  }

  @Test
  void acknowledgingStopsDeliveriesBeingPendingAndCountsOnlyPendingOnes() {
    agent("bob");
    MessageId m1 = direct();
    MessageId m2 = direct();
    MessageId m3 = direct();

    int acknowledged = deliveries().acknowledge(BOB, List.of(m1, m3, MessageId.of(42), m1));

    assertThat(acknowledged).isEqualTo(2);
    assertThat(pendingIds("bob")).containsExactly(m2);
    assertThat(deliveries().acknowledge(BOB, List.of(m1, m3))).isZero();
    assertThat(deliveries().acknowledge(BOB, List.of())).isZero();
    assertThat(ids("bob")).containsExactly(m1, m2, m3);
  }

  @Test
  void anAgentCannotAcknowledgeAnotherAgentsDelivery() {
    agent("bob");
    agent("carol");
    MessageId id = direct();

    assertThat(deliveries().acknowledge(AgentId.of("carol"), List.of(id))).isZero();

    assertThat(pendingIds("bob")).containsExactly(id);
  }

  @Test
  void acknowledgingOneBroadcastDeliveryLeavesTheOthersPending() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId id = sent(from("alice").broadcast());

    assertThat(deliveries().acknowledge(BOB, List.of(id))).isEqualTo(1);

    assertThat(pending("bob")).isEmpty();
    assertThat(pendingIds("carol")).containsExactly(id);
  }

  @Test
  void recordedAttemptsShowInThePendingDelivery() {
    agent("bob");
    MessageId id = viaTopic(A);

    assertThat(deliveries().recordAttempts(BOB, id, 2)).isTrue();
    assertThat(pending("bob")).containsExactly(delivery(id, "bob", A, 2));

    assertThat(deliveries().recordAttempts(BOB, id, 1)).isTrue();
    assertThat(pending("bob")).containsExactly(delivery(id, "bob", A, 1));
  }

  @Test
  void attemptsCannotBeRecordedForWhatIsNotPending() {
    agent("bob");
    MessageId acked = direct();
    deliveries().acknowledge(BOB, List.of(acked));

    assertThat(deliveries().recordAttempts(BOB, acked, 1)).isFalse();
    assertThat(deliveries().recordAttempts(BOB, MessageId.of(42), 1)).isFalse();
    assertThat(deliveries().recordAttempts(AgentId.of("carol"), acked, 1)).isFalse();
  }

  @Test
  void aFullSubscriptionQueueDropsItsOldestPendingDelivery() {
    agent("bob");
    MessageId m1 = viaTopic("news", A, 2);
    MessageId m2 = viaTopic("news", A, 2);
    MessageId m3 = viaTopic("news", A, 2);

    assertThat(pendingIds("bob")).containsExactly(m2, m3);
    assertThat(deliveries().queued(A)).isEqualTo(2);
    assertThat(ids("bob")).containsExactly(m1, m2, m3);
    assertThat(deliveries().acknowledge(BOB, List.of(m1))).isZero();
  }

  @Test
  void theQueueBoundCountsOnlyPendingDeliveries() {
    agent("bob");
    MessageId m1 = viaTopic("news", A, 2);
    MessageId m2 = viaTopic("news", A, 2);
    deliveries().acknowledge(BOB, List.of(m1));

    MessageId m3 = viaTopic("news", A, 2);

    assertThat(pendingIds("bob")).containsExactly(m2, m3);
  }

  @Test
  void eachSubscriptionIsBoundedOnItsOwn() {
    agent("bob");
    MessageId a1 = viaTopic("one", A, 1);
    MessageId b1 = viaTopic("two", B, 5);
    MessageId d1 = direct();
    MessageId a2 = viaTopic("one", A, 1);
    MessageId b2 = viaTopic("two", B, 5);
    MessageId d2 = direct();

    assertThat(pendingIds("bob")).containsExactly(b1, d1, a2, b2, d2);
    assertThat(ids("bob")).containsExactly(a1, b1, d1, a2, b2, d2);
    assertThat(deliveries().queued(A)).isEqualTo(1);
    assertThat(deliveries().queued(B)).isEqualTo(2);
  }

  @Test
  void anEntryDroppedFromAFullInboxTakesItsDeliveryWithIt() {
    useRetention(RetentionPolicy.DEFAULTS.withMaxInboxSize(3));
    agent("bob");
    MessageId m1 = viaTopic(A);
    MessageId m2 = direct();
    MessageId m3 = direct();
    MessageId m4 = direct();

    assertThat(ids("bob")).containsExactly(m2, m3, m4);
    assertThat(pendingIds("bob")).containsExactly(m2, m3, m4);
    assertThat(deliveries().queued(A)).isZero();
    assertThat(deliveries().acknowledge(BOB, List.of(m1))).isZero();
    assertThat(ids("news")).containsExactly(m1);
  }

  @Test
  void queuedCountsThePendingDeliveriesOfOneSubscription() {
    agent("bob");
    MessageId a1 = viaTopic(A);
    viaTopic(A);
    viaTopic(A);
    viaTopic("other", B, 10);
    direct();

    deliveries().acknowledge(BOB, List.of(a1));

    assertThat(deliveries().queued(A)).isEqualTo(2);
    assertThat(deliveries().queued(B)).isEqualTo(1);
    assertThat(deliveries().queued(SubscriptionId.of("unknown"))).isZero();
  }

  @Test
  void expiredMessagesAreNeverPending() {
    agent("bob");
    MessageId shortLived = sent(from("alice").toAgent("bob").ttl(Duration.ofMinutes(1)));
    MessageId longLived = sent(from("alice").toAgent("bob").ttl(Duration.ofDays(1)));
    clock().advance(Duration.ofMinutes(1).minusMillis(1));
    assertThat(pendingIds("bob")).containsExactly(shortLived, longLived);

    tick(1);

    assertThat(pendingIds("bob")).containsExactly(longLived);
    assertThat(deliveries().acknowledge(BOB, List.of(shortLived))).isZero();
    assertThat(deliveries().recordAttempts(BOB, shortLived, 1)).isFalse();
    assertThat(deliveries().deadLetter(BOB, shortLived, 1, "late")).isFalse();
  }

  @Test
  void aLimitedPageSkipsExpiredDeliveries() {
    agent("bob");
    MessageId live1 = direct();
    sent(from("alice").toAgent("bob").ttl(Duration.ofMinutes(1)));
    sent(from("alice").toAgent("bob").ttl(Duration.ofMinutes(1)));
    MessageId live2 = direct();
    clock().advance(Duration.ofMinutes(1));

    assertThat(ids(BOB, Optional.empty(), 2)).containsExactly(live1, live2);
  }

  @Test
  void cleaningRemovesTheDeliveriesOfExpiredMessages() {
    agent("bob");
    viaTopic("news", A, 10);
    sent(
        from("alice")
            .onTopic("news")
            .ttl(Duration.ofMinutes(1))
            .subscribers(pushed("bob", "sub-a")));
    clock().advance(Duration.ofMinutes(1));

    messages().purgeExpired(1_000);

    assertThat(deliveries().queued(A)).isEqualTo(1);
    assertThat(pending("bob")).hasSize(1);
  }
}
