package dev.mailroom.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.Limits;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Order;
import dev.mailroom.core.Principal;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Obligations on the reference storage with a clock the test moves: which deadlines a send may
 * carry, who may meet an obligation and how, and that the sweeper sends one notice, and none for
 * one met in time.
 */
class ObligationServiceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Limits LIMITS =
      new Limits(1024, 1024, 8, Duration.ofHours(1), Duration.ofDays(30));
  private static final AgentId SYSTEM = AgentId.of("system");

  private final MutableClock clock = MutableClock.of(START);
  private final Storage storage = InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS);
  private final MessageService service = MessageService.create(storage, clock, LIMITS);
  private final ObligationService obligations = service.obligations();
  private final Principal alice = register("alice");
  private final Principal bob = register("bob");
  private final Principal carol = register("carol");

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  private Principal register(String id) {
    AgentRecord record = new AgentRecord(AgentId.of(id), Set.of(Role.AGENT), clock.instant());
    storage.agents().create(record, "hash-" + id);
    return record.principal();
  }

  private static Draft to(Principal who, boolean ack, Optional<Instant> replyBy) {
    return Draft.text(SendMode.DIRECT, Optional.of(who.id().mailbox()), "hi")
        .withObligation(ack, replyBy);
  }

  private Optional<Instant> in(Duration d) {
    return Optional.of(clock.instant().plus(d));
  }

  private Obligation obligation(MessageId id) {
    return storage.obligations().find(id).orElseThrow();
  }

  private List<Envelope> inbox(Principal who) {
    return storage
        .messages()
        .query(
            new MessageQuery(
                who.id().mailbox(), who.id(), MessageFilter.NONE, Optional.empty(), Order.ASC, 100))
        .items();
  }

  @Test
  void aDeadlineMustBeInTheFutureAndNoLaterThanTheMessageExpires() {
    assertThatThrownBy(() -> service.send(alice, to(bob, false, Optional.of(START))))
        .isInstanceOf(MailroomException.InvalidRequest.class)
        .hasMessageContaining("reply_by");
    assertThatThrownBy(() -> service.send(alice, to(bob, false, in(Duration.ofMinutes(61)))))
        .isInstanceOf(MailroomException.InvalidRequest.class)
        .hasMessageContaining("reply_by");
    MessageId atExpiry = service.send(alice, to(bob, false, in(Duration.ofHours(1)))).id();
    assertThat(obligation(atExpiry).replyBy()).contains(START.plus(Duration.ofHours(1)));
    Draft broadcast =
        Draft.text(SendMode.BROADCAST, Optional.empty(), "all")
            .withObligation(true, Optional.empty());
    assertThatThrownBy(() -> service.send(alice, broadcast))
        .isInstanceOf(MailroomException.InvalidRequest.class)
        .hasMessageContaining("ack_required");
    assertThat(inbox(bob)).hasSize(1);
  }

  @Test
  void onlyTheAgentOwingItMeetsItAndAnAckOnlyWhenOneWasAskedFor() {
    MessageId replyOwed = service.send(alice, to(bob, false, in(Duration.ofMinutes(5)))).id();
    MessageId ackOwed = service.send(alice, to(bob, true, Optional.empty())).id();
    Message replyMessage = storage.messages().find(replyOwed).orElseThrow();
    Message ackMessage = storage.messages().find(ackOwed).orElseThrow();

    obligations.acknowledged(bob, replyMessage);
    obligations.acknowledged(carol, ackMessage);
    obligations.acknowledged(alice, ackMessage);
    assertThat(obligation(replyOwed).met()).isEmpty();
    assertThat(obligation(ackOwed).met()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    obligations.acknowledged(bob.id(), List.of(ackOwed, replyOwed));
    assertThat(obligation(ackOwed).met().orElseThrow().by()).isEqualTo(bob.id());
    assertThat(obligation(replyOwed).met()).isEmpty();
    assertThat(storage.obligations().marks(replyOwed, Optional.empty(), 10))
        .extracting(ReceiptTimes::agent)
        .containsExactly(bob.id());
  }

  @Test
  void theSweeperSendsOneNoticeForAMissedDeadlineAndNoneForOneMetInTime() {
    register("system");
    MessageId missed = service.send(alice, to(bob, false, in(Duration.ofSeconds(10)))).id();
    MessageId answered = service.send(alice, to(carol, false, in(Duration.ofSeconds(10)))).id();
    service.send(
        carol,
        Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of("alice")), "done")
            .withThreadId(obligation(answered).thread()));
    assertThat(obligations.sweep(SYSTEM, Duration.ofHours(1), 10)).isZero();

    clock.advance(Duration.ofSeconds(10));
    assertThat(obligations.sweep(SYSTEM, Duration.ofHours(1), 10)).isEqualTo(1);
    assertThat(obligations.sweep(SYSTEM, Duration.ofHours(1), 10)).isZero();

    List<Message> notices =
        inbox(alice).stream()
            .map(Envelope::message)
            .filter(m -> m.sender().equals(SYSTEM))
            .toList();
    assertThat(notices).singleElement().satisfies(n -> assertThat(n.inReplyTo()).contains(missed));
    assertThat(obligation(missed).noticedAt()).contains(clock.instant());
    assertThat(obligation(answered).met()).isPresent();
    assertThat(obligation(answered).noticedAt()).isEmpty();
  }
}
