package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.SubscriptionId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dead-letter queue: moving deliveries there, listing, replaying and purging them. */
abstract class DeadLetterRules extends ContractRules {
  private static final AgentId BOB = AgentId.of("bob");
  private static final AgentId CAROL = AgentId.of("carol");
  private static final SubscriptionId INBOX = SubscriptionId.INBOX;
  private static final SubscriptionId NEWS = SubscriptionId.of("sub-news");

  DeadLetterRules(StorageFixture fixture) {
    super(fixture);
  }

  private DeadLetter dead(
      MessageId id, AgentId agent, SubscriptionId via, int attempts, Instant at) {
    return new DeadLetter(messages().find(id).orElseThrow(), agent, via, attempts, "no ack", at);
  }

  private List<DeadLetter> all() {
    return deliveries().deadLetters(Optional.empty(), Optional.empty(), 1_000);
  }

  private List<DeadLetter> of(AgentId agent) {
    return deliveries().deadLetters(Optional.of(agent), Optional.empty(), 1_000);
  }

  /** A message that reaches bob through {@link #NEWS}. */
  private MessageId news() {
    return sent(from("alice").onTopic("news").subscribers(pushed("bob", NEWS.value(), 10)));
  }

  @Test
  void deadLetteringMovesAPendingDeliveryToTheQueue() {
    agent("bob");
    MessageId id = news();
    deliveries().recordAttempts(BOB, id, 2);
    Instant deadAt = tick(500);

    assertThat(deliveries().deadLetter(BOB, id, 3, "no ack")).isTrue();

    DeadLetter expected = dead(id, BOB, NEWS, 3, deadAt);
    assertThat(deliveries().deadLetter(BOB, id)).contains(expected);
    assertThat(of(BOB)).containsExactly(expected);
    assertThat(pending("bob")).isEmpty();
    assertThat(deliveries().queued(NEWS)).isZero();
    assertThat(ids("bob")).containsExactly(id);
  }

  @Test
  void onlyAPendingDeliveryCanBeDeadLettered() {
    agent("bob");
    MessageId acked = sent(from("alice").toAgent("bob"));
    deliveries().acknowledge(BOB, List.of(acked));
    MessageId gone = sent(from("alice").toAgent("bob"));
    Instant deadAt = now();
    deliveries().deadLetter(BOB, gone, 3, "no ack");
    tick(10);

    assertThat(deliveries().deadLetter(BOB, acked, 3, "no ack")).isFalse();
    assertThat(deliveries().deadLetter(BOB, MessageId.of(42), 3, "no ack")).isFalse();
    assertThat(deliveries().deadLetter(CAROL, gone, 3, "no ack")).isFalse();
    assertThat(deliveries().deadLetter(BOB, gone, 9, "again")).isFalse();

    assertThat(of(BOB)).containsExactly(dead(gone, BOB, INBOX, 3, deadAt));
    assertThat(deliveries().deadLetter(BOB, acked)).isEmpty();
  }

  @Test
  void deadLettersAreListedByIdThenAgent() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId toAll = sent(from("alice").broadcast());
    MessageId toBob = sent(from("alice").toAgent("bob"));
    MessageId toCarol = sent(from("alice").toAgent("carol"));
    Instant at = now();
    deliveries().deadLetter(CAROL, toCarol, 1, "no ack");
    deliveries().deadLetter(BOB, toBob, 2, "no ack");
    deliveries().deadLetter(CAROL, toAll, 3, "no ack");
    deliveries().deadLetter(BOB, toAll, 4, "no ack");

    assertThat(all())
        .containsExactly(
            dead(toAll, BOB, INBOX, 4, at),
            dead(toAll, CAROL, INBOX, 3, at),
            dead(toBob, BOB, INBOX, 2, at),
            dead(toCarol, CAROL, INBOX, 1, at));
    assertThat(of(CAROL))
        .containsExactly(dead(toAll, CAROL, INBOX, 3, at), dead(toCarol, CAROL, INBOX, 1, at));
    assertThat(deliveries().deadLetters(Optional.empty(), Optional.of(toAll), 1_000))
        .containsExactly(dead(toBob, BOB, INBOX, 2, at), dead(toCarol, CAROL, INBOX, 1, at));
    assertThat(deliveries().deadLetters(Optional.empty(), Optional.empty(), 3))
        .extracting(l -> l.message().id())
        .containsExactly(toAll, toAll, toBob);
    assertThat(deliveries().deadLetters(Optional.of(BOB), Optional.of(toBob), 10)).isEmpty();
  }

  @Test
  void replayMakesADeadLetterPendingAgainWithNoAttempts() {
    agent("bob");
    MessageId id = news();
    deliveries().deadLetter(BOB, id, 3, "no ack");

    assertThat(deliveries().replay(BOB, id)).isTrue();

    assertThat(pending("bob")).containsExactly(delivery(id, "bob", NEWS, 0));
    assertThat(deliveries().deadLetter(BOB, id)).isEmpty();
    assertThat(all()).isEmpty();
    assertThat(deliveries().queued(NEWS)).isEqualTo(1);
    assertThat(deliveries().replay(BOB, id)).isFalse();
  }

  @Test
  void replayTellsTheListenerAboutThatOneRecipient() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId id = sent(from("alice").broadcast());
    deliveries().deadLetter(BOB, id, 3, "no ack");
    deliveries().deadLetter(CAROL, id, 3, "no ack");
    RecordingListener listener = new RecordingListener();
    storage().listen(listener);

    deliveries().replay(CAROL, id);

    assertThat(listener.calls())
        .containsExactly(
            new RecordingListener.Call(messages().find(id).orElseThrow(), List.of(inbox("carol"))));
    assertThat(of(BOB)).hasSize(1);
  }

  @Test
  void replayOfASubscriptionDeliveryNamesItsSubscription() {
    agent("bob");
    MessageId id = news();
    deliveries().deadLetter(BOB, id, 3, "no ack");
    RecordingListener listener = new RecordingListener();
    storage().listen(listener);

    deliveries().replay(BOB, id);

    assertThat(listener.calls())
        .extracting(RecordingListener.Call::recipients)
        .containsExactly(List.of(pushed("bob", NEWS.value(), Integer.MAX_VALUE)));
  }

  @Test
  void replayOfWhatIsNotDeadIsRefusedAndNotTold() {
    agent("bob");
    MessageId pendingOne = sent(from("alice").toAgent("bob"));
    RecordingListener listener = new RecordingListener();
    storage().listen(listener);

    assertThat(deliveries().replay(BOB, pendingOne)).isFalse();
    assertThat(deliveries().replay(BOB, MessageId.of(42))).isFalse();
    assertThat(deliveries().replay(CAROL, pendingOne)).isFalse();

    assertThat(listener.calls()).isEmpty();
    assertThat(pending("bob")).containsExactly(delivery(pendingOne, "bob", INBOX, 0));
  }

  @Test
  void aReplayedDeliveryCanBeAcknowledgedOrDeadLetteredAgain() {
    agent("bob");
    MessageId one = sent(from("alice").toAgent("bob"));
    MessageId two = sent(from("alice").toAgent("bob"));
    deliveries().deadLetter(BOB, one, 3, "no ack");
    deliveries().deadLetter(BOB, two, 3, "no ack");
    deliveries().replay(BOB, one);
    deliveries().replay(BOB, two);

    assertThat(deliveries().acknowledge(BOB, List.of(one))).isEqualTo(1);
    assertThat(deliveries().deadLetter(BOB, two, 1, "still no ack")).isTrue();

    assertThat(pending("bob")).isEmpty();
    assertThat(deliveries().deadLetter(BOB, two).map(DeadLetter::reason)).contains("still no ack");
  }

  @Test
  void purgingOneDeadLetter() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId toAll = sent(from("alice").broadcast());
    MessageId toBob = sent(from("alice").toAgent("bob"));
    deliveries().deadLetter(BOB, toAll, 3, "no ack");
    deliveries().deadLetter(CAROL, toAll, 3, "no ack");
    deliveries().deadLetter(BOB, toBob, 3, "no ack");

    assertThat(deliveries().purgeDeadLetters(Optional.of(BOB), Optional.of(toAll))).isEqualTo(1);

    assertThat(all())
        .extracting(l -> l.agent().value() + "/" + (l.message().id().equals(toAll) ? "all" : "bob"))
        .containsExactly("carol/all", "bob/bob");
    assertThat(deliveries().purgeDeadLetters(Optional.of(BOB), Optional.of(toAll))).isZero();
    assertThat(ids("bob")).containsExactly(toAll, toBob);
    assertThat(pending("bob")).isEmpty();
  }

  @Test
  void purgingOneMessagesDeadLettersOfEveryAgent() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId toAll = sent(from("alice").broadcast());
    MessageId toBob = sent(from("alice").toAgent("bob"));
    deliveries().deadLetter(BOB, toAll, 3, "no ack");
    deliveries().deadLetter(CAROL, toAll, 3, "no ack");
    deliveries().deadLetter(BOB, toBob, 3, "no ack");

    assertThat(deliveries().purgeDeadLetters(Optional.empty(), Optional.of(toAll))).isEqualTo(2);

    assertThat(all()).extracting(l -> l.message().id()).containsExactly(toBob);
  }

  @Test
  void purgingAnAgentsDeadLetters() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId toAll = sent(from("alice").broadcast());
    MessageId toBob = sent(from("alice").toAgent("bob"));
    deliveries().deadLetter(BOB, toAll, 3, "no ack");
    deliveries().deadLetter(CAROL, toAll, 3, "no ack");
    deliveries().deadLetter(BOB, toBob, 3, "no ack");

    assertThat(deliveries().purgeDeadLetters(Optional.of(BOB), Optional.empty())).isEqualTo(2);

    assertThat(of(BOB)).isEmpty();
    assertThat(of(CAROL)).hasSize(1);
    assertThat(ids("bob")).containsExactly(toAll, toBob);
  }

  @Test
  void purgingEveryDeadLetter() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId toAll = sent(from("alice").broadcast());
    MessageId kept = sent(from("alice").toAgent("bob"));
    deliveries().deadLetter(BOB, toAll, 3, "no ack");
    deliveries().deadLetter(CAROL, toAll, 3, "no ack");

    assertThat(deliveries().purgeDeadLetters(Optional.empty(), Optional.empty())).isEqualTo(2);

    assertThat(all()).isEmpty();
    assertThat(deliveries().purgeDeadLetters(Optional.empty(), Optional.empty())).isZero();
    assertThat(deliveries().replay(BOB, toAll)).isFalse();
    assertThat(pendingIds("bob")).containsExactly(kept);
  }

  @Test
  void deadLettersOfExpiredMessagesAreInvisible() {
    agent("bob");
    MessageId expiring = sent(from("alice").toAgent("bob").ttl(Duration.ofMinutes(1)));
    MessageId lasting = sent(from("alice").toAgent("bob").ttl(Duration.ofDays(1)));
    deliveries().deadLetter(BOB, expiring, 3, "no ack");
    deliveries().deadLetter(BOB, lasting, 3, "no ack");
    clock().advance(Duration.ofMinutes(1));

    assertThat(deliveries().deadLetter(BOB, expiring)).isEmpty();
    assertThat(all()).extracting(l -> l.message().id()).containsExactly(lasting);
    assertThat(deliveries().replay(BOB, expiring)).isFalse();
    assertThat(pending("bob")).isEmpty();
  }
}
