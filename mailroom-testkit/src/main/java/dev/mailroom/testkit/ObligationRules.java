package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.Obligation.Fulfilment;
import dev.mailroom.core.receipt.Obligation.State;
import dev.mailroom.core.receipt.ReceiptMark;
import dev.mailroom.core.receipt.ReceiptTimes;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.ObligationStore.Party;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Obligations and receipt marks: stored with the message that asks for one, opened once per
 * message, listed from either side by state, met once (the first fulfilment stays), due once past
 * the deadline until noticed, noticed exactly once however many callers race; marks keep the first
 * time of each kind; both go with their message.
 */
abstract class ObligationRules extends ContractRules {
  private static final Set<State> ALL = EnumSet.allOf(State.class);
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");

  private long seq;

  ObligationRules(StorageFixture fixture) {
    super(fixture);
  }

  private ObligationStore store() {
    return storage().obligations();
  }

  private MessageId nextId() {
    return MessageId.of(now(), seq++);
  }

  private Obligation obligation(
      AgentId sender, String target, MailboxKind kind, Optional<Duration> replyIn) {
    MessageId id = nextId();
    return Obligation.opened(
        id,
        sender,
        MailboxName.of(target),
        kind,
        ThreadId.of("t-" + id),
        replyIn.isEmpty(),
        replyIn.map(d -> now().plus(d)),
        now().plus(Duration.ofDays(1)));
  }

  private Obligation opened(AgentId sender, String target, Optional<Duration> replyIn) {
    Obligation o = obligation(sender, target, MailboxKind.AGENT, replyIn);
    assertThat(store().open(o)).isTrue();
    return o;
  }

  private List<MessageId> listed(Party party, Set<State> states) {
    return store().list(party, states, now(), Optional.empty(), 100).stream()
        .map(Obligation::message)
        .toList();
  }

  @Test
  void anObligationIsOpenedOnceAndFoundAsStored() {
    Obligation o = obligation(ALICE, "ops", MailboxKind.SHARED, Optional.of(Duration.ofMinutes(5)));
    assertThat(store().open(o)).isTrue();
    assertThat(store().open(o.withNoticedAt(now()))).isFalse();
    assertThat(store().find(o.message())).contains(o);
    assertThat(store().find(nextId())).isEmpty();
  }

  @Test
  void aSendThatAsksStoresItsObligationWithTheMessageOnce() {
    AgentId sender = agent("ann");
    AgentId owing = agent("ben");
    Route route = new Route.ToMailbox(owing.mailbox(), MailboxKind.AGENT);
    Instant by = now().plus(Duration.ofMinutes(5));
    OutgoingMessage asking =
        new OutgoingMessage(
            sender,
            Draft.text(SendMode.DIRECT, Optional.of(owing.mailbox()), "estimate?")
                .withObligation(false, Optional.of(by))
                .withIdempotencyKey("once"),
            Duration.ofHours(1));
    OutgoingMessage plain =
        new OutgoingMessage(
            sender,
            Draft.text(SendMode.DIRECT, Optional.of(owing.mailbox()), "fyi"),
            Duration.ofHours(1));

    MessageId id = messages().send(asking, route).id();
    assertThat(store().find(id))
        .contains(
            Obligation.opened(
                id,
                sender,
                owing.mailbox(),
                MailboxKind.AGENT,
                ThreadId.of(id.toString()),
                false,
                Optional.of(by),
                id.timestamp().plus(Duration.ofHours(1))));
    assertThat(messages().send(asking, route).id()).isEqualTo(id);
    assertThat(store().find(messages().send(plain, route).id())).isEmpty();

    List<SendResult> batch =
        messages()
            .sendAll(
                List.of(
                    new MessageStore.Send(
                        new OutgoingMessage(
                            sender,
                            Draft.text(SendMode.DIRECT, Optional.of(owing.mailbox()), "ack?")
                                .withObligation(true, Optional.empty())
                                .withThreadId(ThreadId.of("handoff")),
                            Duration.ofHours(1)),
                        route),
                    new MessageStore.Send(plain, route)));
    assertThat(store().find(batch.get(0).id()).map(Obligation::thread))
        .contains(ThreadId.of("handoff"));
    assertThat(store().find(batch.get(1).id())).isEmpty();
    assertThat(listed(new Party.Sender(sender), ALL)).containsExactly(batch.get(0).id(), id);
  }

  @Test
  void findAllAnswersThoseThatHaveAnObligationInOneCall() {
    Obligation a = opened(ALICE, "bob", Optional.empty());
    Obligation b = opened(BOB, "alice", Optional.of(Duration.ofMinutes(1)));
    MessageId none = nextId();
    assertThat(store().findAll(List.of(b.message(), none, a.message(), b.message())))
        .containsExactlyInAnyOrder(a, b);
    assertThat(store().findAll(List.of())).isEmpty();
  }

  @Test
  void bothSidesListTheirObligationsNewestFirstByStateAndPage() {
    Obligation first = opened(ALICE, "bob", Optional.of(Duration.ofSeconds(10)));
    Obligation second = opened(ALICE, "bob", Optional.empty());
    Obligation third = opened(BOB, "alice", Optional.of(Duration.ofMinutes(10)));
    Party alice = new Party.Sender(ALICE);
    Party owedByBob = new Party.Target(BOB.mailbox());

    assertThat(listed(alice, ALL)).containsExactly(second.message(), first.message());
    assertThat(listed(owedByBob, ALL)).containsExactly(second.message(), first.message());
    assertThat(listed(new Party.Target(ALICE.mailbox()), ALL)).containsExactly(third.message());
    assertThat(
            store().list(alice, ALL, now(), Optional.of(second.message()), 10).stream()
                .map(Obligation::message))
        .containsExactly(first.message());
    assertThat(store().list(alice, ALL, now(), Optional.empty(), 1)).hasSize(1);

    tick(10_000);
    assertThat(listed(alice, Set.of(State.OVERDUE))).containsExactly(first.message());
    assertThat(listed(alice, Set.of(State.OPEN))).containsExactly(second.message());
    store().meet(second.message(), Fulfilment.ack(BOB, now()));
    assertThat(listed(alice, Set.of(State.MET))).containsExactly(second.message());
    assertThat(listed(alice, Set.of(State.OPEN))).isEmpty();
    assertThatThrownBy(() -> store().list(alice, ALL, now(), Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFirstFulfilmentStays() {
    Obligation o = opened(ALICE, "bob", Optional.of(Duration.ofSeconds(5)));
    MessageId reply = nextId();
    Obligation met = store().meet(o.message(), Fulfilment.reply(BOB, reply)).orElseThrow();
    assertThat(met.met()).contains(Fulfilment.reply(BOB, reply));
    tick(1000);
    assertThat(store().meet(o.message(), Fulfilment.ack(BOB, now())).orElseThrow()).isEqualTo(met);
    assertThat(store().find(o.message())).contains(met);
    assertThat(store().meet(nextId(), Fulfilment.ack(BOB, now()))).isEmpty();
  }

  @Test
  void anObligationIsDuePastItsDeadlineUntilMetOrNoticed() {
    Obligation late = opened(ALICE, "bob", Optional.of(Duration.ofSeconds(2)));
    Obligation early = opened(ALICE, "carol", Optional.of(Duration.ofSeconds(1)));
    Obligation met = opened(ALICE, "dave", Optional.of(Duration.ofSeconds(1)));
    opened(ALICE, "erin", Optional.empty());
    opened(ALICE, "frank", Optional.of(Duration.ofMinutes(1)));
    store().meet(met.message(), Fulfilment.ack(AgentId.of("dave"), now()));
    assertThat(store().due(now(), 10)).isEmpty();

    tick(2000);
    assertThat(store().due(now(), 10).stream().map(Obligation::message))
        .containsExactly(early.message(), late.message());
    assertThat(store().due(now(), 1).stream().map(Obligation::message))
        .containsExactly(early.message());

    assertThat(store().noticed(early.message(), now())).isTrue();
    assertThat(store().noticed(early.message(), now())).isFalse();
    assertThat(store().find(early.message()).orElseThrow().noticedAt()).contains(now());
    assertThat(store().due(now(), 10).stream().map(Obligation::message))
        .containsExactly(late.message());
    tick(1);
    store().meet(late.message(), Fulfilment.ack(BOB, now()));
    assertThat(store().due(now(), 10)).isEmpty();
    assertThat(store().find(late.message()).orElseThrow().metLate()).isTrue();
  }

  @Test
  void ofManyRacingNoticesExactlyOneIsRecorded() throws Exception {
    Obligation o = opened(ALICE, "bob", Optional.of(Duration.ofSeconds(1)));
    tick(1000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> store().noticed(o.message(), now()));
      }
      int recorded = 0;
      for (Future<Boolean> f : pool.invokeAll(calls)) {
        recorded += f.get() ? 1 : 0;
      }
      assertThat(recorded).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aThreadsUnmetObligationsAreFoundByThread() {
    ThreadId thread = ThreadId.of("design");
    MessageId a = nextId();
    MessageId b = nextId();
    Instant expires = now().plus(Duration.ofDays(1));
    store()
        .open(
            Obligation.opened(
                a,
                ALICE,
                BOB.mailbox(),
                MailboxKind.AGENT,
                thread,
                true,
                Optional.empty(),
                expires));
    store()
        .open(
            Obligation.opened(
                b,
                BOB,
                ALICE.mailbox(),
                MailboxKind.AGENT,
                thread,
                true,
                Optional.empty(),
                expires));
    opened(ALICE, "bob", Optional.empty());
    assertThat(store().unmet(thread, 10).stream().map(Obligation::message)).containsExactly(a, b);
    store().meet(a, Fulfilment.ack(BOB, now()));
    assertThat(store().unmet(thread, 10).stream().map(Obligation::message)).containsExactly(b);
    assertThat(store().unmet(ThreadId.of("other"), 10)).isEmpty();
  }

  @Test
  void marksKeepTheFirstTimeOfEachKindAndAreListedByAgent() {
    MessageId m = nextId();
    Instant expires = now().plus(Duration.ofDays(1));
    Instant t0 = now();
    store()
        .record(
            List.of(
                new ReceiptMark(m, BOB, ReceiptMark.Kind.DELIVERED, t0, expires),
                new ReceiptMark(m, ALICE, ReceiptMark.Kind.ACKNOWLEDGED, t0, expires)));
    Instant t1 = tick(500);
    store()
        .record(
            List.of(
                new ReceiptMark(m, BOB, ReceiptMark.Kind.DELIVERED, t1, expires),
                new ReceiptMark(m, BOB, ReceiptMark.Kind.ACKNOWLEDGED, t1, expires)));
    store().record(List.of());

    assertThat(store().marks(m, Optional.empty(), 10))
        .containsExactly(
            new ReceiptTimes(ALICE, Optional.empty(), Optional.of(t0)),
            new ReceiptTimes(BOB, Optional.of(t0), Optional.of(t1)));
    assertThat(store().marks(m, Optional.of(ALICE), 10))
        .extracting(ReceiptTimes::agent)
        .containsExactly(BOB);
    assertThat(store().marks(m, Optional.empty(), 1))
        .extracting(ReceiptTimes::agent)
        .containsExactly(ALICE);
    assertThat(store().marks(nextId(), Optional.empty(), 10)).isEmpty();
  }

  @Test
  void obligationsAndMarksGoWithTheirMessage() {
    MessageId m = nextId();
    Instant soon = now().plus(Duration.ofSeconds(5));
    Obligation o =
        Obligation.opened(
            m,
            ALICE,
            BOB.mailbox(),
            MailboxKind.AGENT,
            ThreadId.of("t"),
            true,
            Optional.empty(),
            soon);
    store().open(o);
    store().record(List.of(new ReceiptMark(m, BOB, ReceiptMark.Kind.DELIVERED, now(), soon)));
    Obligation kept = opened(ALICE, "bob", Optional.empty());

    store().purgeExpired(now(), 100);
    assertThat(store().find(m)).isPresent();
    tick(5000);
    store().purgeExpired(now(), 100);
    assertThat(store().find(m)).isEmpty();
    assertThat(store().marks(m, Optional.empty(), 10)).isEmpty();
    assertThat(store().find(kept.message())).isPresent();
  }
}
