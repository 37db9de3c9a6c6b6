package dev.mailroom.testkit;

import static dev.mailroom.testkit.TestMessage.from;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.reservation.PathPattern;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Deleting an agent ({@link dev.mailroom.core.spi.AgentStore#delete}): it goes with what only it
 * owns (token, mailbox, messages no other mailbox holds, subscriptions and their deliveries, dead
 * letters, read marks, presence, reservations), while what it sent to others stays; its id may be
 * registered again afterwards, as a new agent with nothing of the old one's.
 */
abstract class AgentDeletionRules extends ContractRules {
  private static final AgentId BOB = AgentId.of("bob");

  AgentDeletionRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void deletingRemovesTheAgentItsTokenAndItsMailbox() {
    agent("alice");
    agent("bob");
    MessageId toBob = sent(from("alice").toAgent("bob").text("only bob has this"));

    assertThat(agents().delete(BOB)).isTrue();

    assertThat(agents().find(BOB)).isEmpty();
    assertThat(agents().findByTokenHash("hash-bob")).isEmpty();
    assertThat(agents().list()).extracting(a -> a.id().value()).containsExactly("alice");
    assertThat(messages().mailbox(box("bob"))).isEmpty();
    assertThat(messages().find(toBob)).isEmpty();
    SearchRequest everywhere =
        new SearchRequest(
            SearchQuery.parse("only bob"),
            AgentId.of("alice"),
            true,
            Optional.empty(),
            MessageFilter.NONE,
            Optional.empty(),
            10);
    assertThat(messages().search(everywhere).hits()).isEmpty();
  }

  @Test
  void deletingAnUnknownAgentIsFalseAndSoIsDeletingTwice() {
    agent("bob");

    assertThat(agents().delete(AgentId.of("nobody"))).isFalse();
    assertThat(agents().delete(BOB)).isTrue();
    assertThat(agents().delete(BOB)).isFalse();
  }

  @Test
  void whatTheAgentSentToOthersStays() {
    agent("alice");
    agent("bob");
    MessageId fromBob = sent(from("bob").toAgent("alice").text("still here"));
    MessageId shared = sent(from("bob").to("team").text("on the team's board"));

    agents().delete(BOB);

    assertThat(ids("alice")).containsExactly(fromBob);
    assertThat(messages().find(fromBob).orElseThrow().sender()).isEqualTo(BOB);
    assertThat(ids("team")).containsExactly(shared);
  }

  @Test
  void aMessageAnotherMailboxHoldsStaysWithItsOtherDeliveries() {
    agent("alice");
    agent("bob");
    agent("carol");
    deliveries().saveSubscription(subscription("s-bob", "bob", "news", 10));
    MessageId news =
        sent(
            from("alice")
                .onTopic("news")
                .subscribers(pushed("bob", "s-bob"), pushed("carol", "s-carol")));

    agents().delete(BOB);

    assertThat(messages().find(news)).isPresent();
    assertThat(ids("news")).containsExactly(news);
    assertThat(ids("carol")).containsExactly(news);
    assertThat(pendingIds("carol")).containsExactly(news);
    assertThat(deliveries().queued(SubscriptionId.of("s-carol"))).isEqualTo(1);
  }

  @Test
  void itsSubscriptionsPendingDeliveriesAndDeadLettersGoAndTheListenerIsTold() {
    agent("alice");
    agent("bob");
    deliveries().saveSubscription(subscription("s-bob", "bob", "news", 10));
    MessageId first = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s-bob")));
    sent(from("alice").onTopic("news").subscribers(pushed("bob", "s-bob")));
    sent(from("alice").toAgent("bob").text("direct"));
    deliveries().deadLetter(BOB, first, 3, "no ack");
    RecordingListener listener = new RecordingListener();
    storage().listen(listener);

    agents().delete(BOB);

    assertThat(deliveries().subscription(SubscriptionId.of("s-bob"))).isEmpty();
    assertThat(deliveries().subscriptions()).isEmpty();
    assertThat(deliveries().subscriptionCount(BOB)).isZero();
    assertThat(deliveries().queued(SubscriptionId.of("s-bob"))).isZero();
    assertThat(pending("bob")).isEmpty();
    assertThat(deliveries().deadLetters(Optional.of(BOB), Optional.empty(), 100)).isEmpty();
    assertThat(deliveries().deadLetters(Optional.empty(), Optional.empty(), 100)).isEmpty();
    assertThat(deliveries().totals().pending()).isZero();
    assertThat(listener.changes()).contains("subscription deleted s-bob", "agent changed bob");
  }

  @Test
  void itsReadMarksGo() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId board = sent(from("alice").to("team").text("read by two"));
    messages().markRead(board, BOB);
    messages().markRead(board, AgentId.of("carol"));

    agents().delete(BOB);

    assertThat(messages().readers(board))
        .extracting(r -> r.reader().value())
        .containsExactly("carol");
  }

  @Test
  void itsPresenceLastSeenTimeAndReservationsGo() {
    agent("alice");
    agent("bob");
    Instant now = now();
    storage().presence().mark("n1", List.of(BOB, AgentId.of("alice")), now.plusSeconds(60));
    storage().presence().seen(Map.of(BOB, now));
    ProjectName repo = ProjectName.of("repo");
    storage()
        .reservations()
        .reserve(
            new Reservation(
                "res_bob",
                repo,
                BOB,
                List.of(new PathPattern("src/**")),
                Reservation.Mode.EXCLUSIVE,
                "editing",
                now,
                now.plus(Duration.ofHours(1))),
            now);

    agents().delete(BOB);

    assertThat(storage().presence().online(now)).containsExactly(AgentId.of("alice"));
    assertThat(storage().presence().lastSeen(List.of(BOB))).isEmpty();
    assertThat(storage().reservations().find("res_bob", now)).isEmpty();
    assertThat(storage().reservations().live(repo, now)).isEmpty();
  }

  @Test
  void itsIdMayBeRegisteredAgainAsANewAgentWithNothingOfTheOldOnes() {
    agent("alice");
    agent("bob");
    agents()
        .updateProfile(
            BOB,
            new AgentProfile(
                Optional.of("Old Bob"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of()));
    sent(from("alice").toAgent("bob").text("for the old bob"));
    deliveries().saveSubscription(subscription("s-bob", "bob", "news", 10));
    agents().delete(BOB);

    agent("bob");

    assertThat(agents().find(BOB).orElseThrow().profile()).isEqualTo(AgentProfile.EMPTY);
    assertThat(agents().findByTokenHash("hash-bob")).isPresent();
    assertThat(ids("bob")).isEmpty();
    assertThat(pending("bob")).isEmpty();
    assertThat(deliveries().subscriptionCount(BOB)).isZero();
    MessageId fresh = sent(from("alice").toAgent("bob").text("for the new bob"));
    assertThat(ids("bob")).containsExactly(fresh);
  }

  @Test
  void anIdempotencyKeyTheOldAgentUsedDoesNotDedupeTheNewOnesSend() {
    agent("alice");
    agent("bob");
    MessageId old = sent(from("bob").toAgent("alice").key("k1").text("from the old bob"));
    agents().delete(BOB);
    agent("bob");

    MessageId fresh = sent(from("bob").toAgent("alice").key("k1").text("from the new bob"));

    assertThat(fresh).isNotEqualTo(old);
    assertThat(ids("alice")).containsExactly(old, fresh);
  }

  @Test
  void topicsItCreatedStayAndCountForNobody() {
    agent("bob");
    topics().create(box("bobs-topic"), BOB, 10);

    agents().delete(BOB);

    assertThat(topics().stats(box("bobs-topic"))).isPresent();
    assertThat(topics().createdBy(BOB)).isZero();
  }
}
