package dev.mailroom.core.delivery.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The delivery engine on a clock that moves only when the test moves it, with an in-memory store
 * and a sink that records what would have gone out: no sockets, no threads, no sleeping.
 */
class DeliveryEngineTest {
  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
  private static final AgentId AGENT = AgentId.of("reader");
  private static final SubscriptionId SUB = SubscriptionId.of("news");
  private static final SubscriptionId BATCHED = SubscriptionId.of("digest");

  /** Retries after 1 s, 2 s, 4 s ... up to 10 s, ± 20%; three attempts; heartbeat every 15 s. */
  private static final DeliverySettings SETTINGS = settings(3, Duration.ofSeconds(15), 100);

  /** Retries after 1 s, 2 s, 4 s ... up to 10 s, ± 20%, with these attempts and limits. */
  private static DeliverySettings settings(int maxAttempts, Duration heartbeat, int maxInFlight) {
    return new DeliverySettings(
        Duration.ofSeconds(1),
        2.0,
        Duration.ofSeconds(10),
        0.2,
        maxAttempts,
        heartbeat,
        maxInFlight,
        Duration.ofSeconds(30));
  }

  private final Clock clock = new Clock();
  private final Store store = new Store();
  private final Frames frames = new Frames();
  private double jitter = 0.5; // the middle of the range: no scaling

  private DeliveryEngine<Message> engine(DeliverySettings settings) {
    return engine(settings, DeliveryEngine.Options.DEFAULT);
  }

  private DeliveryEngine<Message> engine(
      DeliverySettings settings, DeliveryEngine.Options options) {
    DeliveryEngine<Message> engine =
        new DeliveryEngine<>(
            AGENT, store, frames, settings, clock, () -> jitter, Runnable::run, options);
    engine.start();
    return engine;
  }

  @Test
  void pushesWhatWasQueuedInIdOrderThenLiveOnesSkippingWhatItPushedAlready() throws IOException {
    Message m1 = store.queue(1, SUB);
    Message m2 = store.queue(2, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);

    engine.step();
    Message m3 = store.queue(3, SUB);
    engine.offer(m2, SUB); // committed before the stream read it: already pushed
    engine.offer(m3, SUB);
    engine.step();

    assertThat(frames.ids()).containsExactly(m1.id(), m2.id(), m3.id());
    assertThat(frames.attempts()).containsOnly(1);
  }

  @Test
  void flushesTheSinkOnceAtTheEndOfEveryStepWithWhatThatStepPushed() throws IOException {
    for (int i = 1; i <= 5; i++) {
      store.queue(i, SUB);
    }
    DeliveryEngine<Message> engine = engine(SETTINGS);

    engine.step(); // the catch-up read: five pushes, one flush after them
    engine.step(); // nothing to do: still one flush, with nothing in it
    Message m6 = store.queue(6, SUB);
    Message m7 = store.queue(7, SUB);
    engine.offer(m6, SUB);
    engine.offer(m7, SUB);
    engine.step();

    assertThat(frames.flushes).containsExactly(5, 0, 2);
    assertThat(frames.sent).hasSize(7);
  }

  @Test
  void aLateNoticeOfADeliveryAcknowledgedBeforeARewindIsNotPushedAgain() throws IOException {
    Message m1 = store.queue(1, SUB);
    Message m2 = store.queue(2, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step(); // both pushed from the store
    engine.acknowledgedByClient(List.of(m1.id(), m2.id()));
    engine.step(); // acknowledged, and written: nothing is pending any more

    // The node resynchronises (a Redis reconnection): the cursor starts again, finds nothing.
    engine.rewind();
    engine.step();
    // Then the notices of both, queued before the rewind, arrive.
    engine.offer(m1, SUB);
    engine.offer(m2, SUB);
    engine.step();
    Message m3 = store.queue(3, SUB);
    engine.offer(m3, SUB);
    engine.step();

    assertThat(frames.ids()).containsExactly(m1.id(), m2.id(), m3.id());
  }

  @Test
  void theAckWaitStartsWhenThePushIsFlushedNotWhenItWasChosen() throws IOException {
    store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    // A slow write to the client (or a slow step): 1.5 s pass between choosing and sending.
    frames.onFlush = () -> clock.advance(Duration.ofMillis(1500));
    engine.step();
    frames.onFlush = () -> {};

    clock.advance(Duration.ofMillis(900)); // 2.4 s after it was chosen, 0.9 s after it was sent
    engine.step();
    assertThat(frames.attempts()).containsExactly(1);

    clock.advance(Duration.ofMillis(200)); // 1.1 s after it was sent: overdue
    engine.step();
    assertThat(frames.attempts()).containsExactly(1, 2);
  }

  @Test
  void pushesAgainAfterTheBackoffAndDeadLettersAfterMaxAttempts() throws IOException {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    clock.advance(Duration.ofMillis(999));
    engine.step();
    assertThat(frames.sent).hasSize(1);

    clock.advance(Duration.ofMillis(1)); // 1 s after the first push
    engine.step();
    assertThat(frames.attempts()).containsExactly(1, 2);
    assertThat(store.attempts).containsEntry(m.id(), 1);

    clock.advance(Duration.ofMillis(1999));
    engine.step();
    assertThat(frames.sent).hasSize(2);
    clock.advance(Duration.ofMillis(1)); // 2 s after the second
    engine.step();
    assertThat(frames.attempts()).containsExactly(1, 2, 3);

    clock.advance(Duration.ofSeconds(4)); // the third is the last: no fourth push
    engine.step();
    assertThat(frames.sent).hasSize(3);
    assertThat(store.deadLetters).containsExactly(m.id() + ": not acknowledged after 3 attempts");
    assertThat(store.pending).isEmpty();
    assertThat(frames.deadLettered).isEqualTo(1);
  }

  @Test
  void jitterScalesEachWaitWithinItsBoundsAndTheMaximumCapsIt() throws IOException {
    DeliverySettings many = settings(10, Duration.ofHours(1), 100);
    for (double unit : new double[] {0.0, 0.999999}) {
      jitter = unit;
      store.pending.clear();
      frames.sent.clear();
      store.queue(1, SUB);
      DeliveryEngine<Message> engine = engine(many);
      engine.step();
      List<Long> waits = new ArrayList<>();
      long last = clock.millis();
      for (int attempt = 2; attempt <= 8; attempt++) {
        int before = frames.sent.size();
        while (frames.sent.size() == before) {
          clock.advance(Duration.ofMillis(1));
          engine.step();
        }
        waits.add(clock.millis() - last);
        last = clock.millis();
      }
      // 1, 2, 4, 8, 10, 10, 10 seconds, scaled by 0.8 (unit 0) or just under 1.2 (unit ~1).
      double scale = unit == 0.0 ? 0.8 : 1.2;
      long[] base = {1000, 2000, 4000, 8000, 10000, 10000, 10000};
      for (int i = 0; i < base.length; i++) {
        assertThat((double) waits.get(i)).isCloseTo(base[i] * scale, offset(2.0));
      }
    }
  }

  @Test
  void anAcknowledgementStopsRedeliveryAndIsWrittenOnce() throws IOException {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    engine.acknowledgedByClient(List.of(m.id()));
    engine.step();
    clock.advance(Duration.ofMinutes(5));
    engine.step();

    assertThat(frames.sent).hasSize(1);
    assertThat(store.acknowledgements).containsExactly(List.of(m.id()));
    assertThat(store.deadLetters).isEmpty();
    assertThat(engine.inFlight()).isZero();
  }

  @Test
  void anAcknowledgementTheStoreCannotTakeIsWrittenOnceItCanAndNotPushedAgain() throws IOException {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    store.down = true;

    engine.acknowledgedByClient(List.of(m.id()));
    engine.step();
    engine.rewind(); // as the stream does while the store is down
    engine.step();
    assertThat(store.acknowledgements).isEmpty();

    store.down = false;
    engine.rewind();
    engine.step();
    // Not tried again at every step (the store is down: that would spin), but a while later.
    assertThat(store.acknowledgements).isEmpty();
    assertThat(engine.nextDeadline()).isEqualTo(engine.now() + DeliveryEngine.ACK_RETRY.toNanos());
    clock.advance(DeliveryEngine.ACK_RETRY);
    engine.step();

    assertThat(store.acknowledgements).containsExactly(List.of(m.id()));
    assertThat(frames.sent).hasSize(1);
    assertThat(engine.inFlight()).isZero();
  }

  @Test
  void theStoresNoticeOfTheStreamsOwnAcknowledgementGivesThePumpNoWork() throws IOException {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    // The store tells the node of every acknowledgement it writes, this stream's own included,
    // while the write is under way (here on the step's thread).
    store.onAcknowledge = engine::acknowledged;

    engine.acknowledgedByClient(List.of(m.id()));
    engine.step();

    assertThat(store.acknowledgements).containsExactly(List.of(m.id()));
    assertThat(engine.hasNews()).isFalse();
  }

  @Test
  void anAcknowledgementMadeElsewhereWakesThePump() throws IOException {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    engine.acknowledged(List.of(m.id()));

    assertThat(engine.hasNews()).isTrue();
  }

  @Test
  void anAcknowledgementMadeElsewhereStopsRedeliveryWithoutAWrite() throws IOException {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    store.pending.remove(m.id());
    engine.acknowledged(List.of(m.id()));
    clock.advance(Duration.ofMinutes(5));
    engine.step();

    assertThat(frames.sent).hasSize(1);
    assertThat(store.acknowledgements).isEmpty();
  }

  @Test
  void aBatchGoesOutWhenItIsFull() throws IOException {
    store.subscriptions.put(BATCHED, batch(3, Duration.ofSeconds(10)));
    Message a = store.queue(1, BATCHED);
    Message b = store.queue(2, BATCHED);
    Message c = store.queue(3, BATCHED);
    store.queue(4, BATCHED);
    DeliveryEngine<Message> engine = engine(SETTINGS);

    engine.step();

    assertThat(frames.batches).containsExactly(List.of(a.id(), b.id(), c.id()));
    assertThat(frames.sent).isEmpty();
  }

  @Test
  void aBatchGoesOutWhenItsWindowHasPassed() throws IOException {
    store.subscriptions.put(BATCHED, batch(10, Duration.ofSeconds(10)));
    Message a = store.queue(1, BATCHED);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    long opened = engine.now();

    clock.advance(Duration.ofSeconds(4));
    Message b = store.queue(2, BATCHED);
    engine.offer(b, BATCHED);
    engine.step();
    assertThat(engine.nextDeadline()).isEqualTo(opened + Duration.ofSeconds(10).toNanos());

    clock.advance(Duration.ofMillis(5999));
    engine.step();
    assertThat(frames.batches).isEmpty();
    clock.advance(Duration.ofMillis(1)); // the window counts from the oldest one waiting
    engine.step();

    assertThat(frames.batches).containsExactly(List.of(a.id(), b.id()));
  }

  @Test
  void batchedDeliveriesAreRetriedOneByOneLikeOthers() throws IOException {
    store.subscriptions.put(BATCHED, batch(2, Duration.ofSeconds(10)));
    Message a = store.queue(1, BATCHED);
    store.queue(2, BATCHED);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    engine.acknowledgedByClient(List.of(a.id()));

    clock.advance(Duration.ofSeconds(1));
    engine.step();

    assertThat(frames.batches).hasSize(1);
    assertThat(frames.ids()).containsExactly(MessageId.of(2));
    assertThat(frames.attempts()).containsExactly(2);
  }

  @Test
  void stopsPushingWhenTooManyAwaitAcknowledgementAndGoesOnAsTheyArrive() throws IOException {
    DeliverySettings two = settings(3, Duration.ofSeconds(15), 2);
    for (int i = 1; i <= 5; i++) {
      store.queue(i, SUB);
    }
    DeliveryEngine<Message> engine = engine(two);

    engine.step();
    engine.step();
    assertThat(frames.ids()).containsExactly(MessageId.of(1), MessageId.of(2));
    assertThat(engine.busy()).isFalse();

    engine.acknowledgedByClient(List.of(MessageId.of(1)));
    engine.step();
    assertThat(frames.ids()).containsExactly(MessageId.of(1), MessageId.of(2), MessageId.of(3));

    engine.acknowledgedByClient(List.of(MessageId.of(2), MessageId.of(3)));
    engine.step();
    engine.step();
    assertThat(frames.ids()).hasSize(5);
  }

  @Test
  void aLiveBufferThatOverflowsIsDroppedAndTheStoreReadInstead() throws IOException {
    DeliverySettings roomy = settings(3, Duration.ofSeconds(15), 10_000);
    DeliveryEngine<Message> engine = engine(roomy);
    engine.step(); // nothing queued: live from now on
    int count = DeliveryEngine.LIVE_BUFFER + 10;
    for (int i = 1; i <= count; i++) {
      engine.offer(store.queue(i, SUB), SUB);
    }

    for (int round = 0; round < 100 && frames.sent.size() < count; round++) {
      engine.step();
    }

    assertThat(frames.ids()).hasSize(count).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aLiveDeliveryBelowTheLastPushedIsPushedIfTheStoreHasItPending() throws IOException {
    // A store spread over several Redis masters commits an agent's deliveries out of id order.
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    Message later = store.queue(5, SUB);
    engine.offer(later, SUB);
    engine.step();
    Message earlier = store.queue(3, SUB);
    engine.offer(earlier, SUB);
    engine.step();

    assertThat(frames.ids()).containsExactly(later.id(), earlier.id());
  }

  @Test
  void liveDeliveriesAlreadyPushedFromTheStoreAreToldApartInOneReadNotOneEach() throws IOException {
    // A rewind read 60 deliveries from the store, and the client acknowledged them; their live
    // notices, which came meanwhile, follow.
    List<Message> read = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      read.add(store.queue(i, SUB));
    }
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    engine.acknowledgedByClient(read.stream().map(Message::id).toList());
    engine.step();
    assertThat(store.pending).isEmpty();
    Message replayed = store.queue(30, SUB); // a dead letter replayed meanwhile
    read.forEach(m -> engine.offer(m, SUB));
    int reads = store.pendingReads;

    engine.step();

    assertThat(store.pendingReads - reads).as("reads of the store").isEqualTo(1);
    assertThat(frames.ids()).hasSize(61).endsWith(replayed.id());
  }

  @Test
  void aDeliveryNoticedTwiceInOneRoundIsPushedOnce() throws IOException {
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    Message later = store.queue(5, SUB);
    Message earlier = store.queue(3, SUB);
    // Out of id order (several Redis masters), and each noticed twice (a reconnection, a resync).
    engine.offer(later, SUB);
    engine.offer(earlier, SUB);
    engine.offer(later, SUB);
    engine.offer(earlier, SUB);
    engine.step();

    assertThat(frames.ids()).containsExactly(later.id(), earlier.id());
  }

  @Test
  void anOverflowReadsTheStoreFromBelowTheLowestIdItDropped() throws IOException {
    DeliverySettings roomy = settings(3, Duration.ofSeconds(15), 10_000);
    DeliveryEngine<Message> engine = engine(roomy);
    engine.step();
    engine.offer(store.queue(100_000, SUB), SUB);
    engine.step(); // pushed: the last id pushed is now 100,000
    for (int i = 1; i <= DeliveryEngine.LIVE_BUFFER + 1; i++) {
      engine.offer(store.queue(200_000 + i, SUB), SUB);
    }
    Message late = store.queue(7, SUB); // committed after them; its notice dropped, too many wait
    engine.offer(late, SUB);

    for (int round = 0; round < 100 && !frames.ids().contains(late.id()); round++) {
      engine.step();
    }

    assertThat(frames.ids()).contains(late.id()).doesNotHaveDuplicates();
  }

  @Test
  void aFullWindowReadsTheStoreFromBelowTheLowestIdItDropped() throws IOException {
    DeliveryEngine<Message> engine = engine(settings(3, Duration.ofSeconds(15), 2));
    engine.step();
    Message first = store.queue(100, SUB);
    Message second = store.queue(200, SUB);
    engine.offer(first, SUB);
    engine.offer(second, SUB);
    engine.step(); // two await acknowledgement: the window is full
    Message third = store.queue(300, SUB);
    Message late = store.queue(150, SUB); // committed after 200 was pushed
    engine.offer(third, SUB);
    engine.offer(late, SUB);
    engine.step(); // no room: both dropped, to be read from the store
    engine.acknowledgedByClient(List.of(first.id(), second.id()));
    for (int round = 0; round < 5; round++) {
      engine.step();
    }

    assertThat(frames.ids()).containsExactly(first.id(), second.id(), late.id(), third.id());
  }

  @Test
  void heartbeatsAreDueEveryInterval() throws IOException {
    DeliveryEngine<Message> engine = engine(SETTINGS);
    long started = engine.now();
    assertThat(engine.nextDeadline()).isEqualTo(started + Duration.ofSeconds(15).toNanos());

    clock.advance(Duration.ofMillis(14_999));
    engine.step();
    assertThat(frames.heartbeats).isZero();
    clock.advance(Duration.ofMillis(1));
    engine.step();
    assertThat(frames.heartbeats).isEqualTo(1);
    clock.advance(Duration.ofSeconds(14));
    engine.step();
    assertThat(frames.heartbeats).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    engine.step();
    assertThat(frames.heartbeats).isEqualTo(2);
  }

  @Test
  void theNextDeadlineIsTheEarliestRetry() throws IOException {
    store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    assertThat(engine.nextDeadline()).isEqualTo(engine.now() + Duration.ofSeconds(1).toNanos());
  }

  @Test
  void aDeliveryOutOfAttemptsIsDeadLetteredWhenRead() throws IOException {
    Message m = store.queue(1, SUB);
    store.pending.put(m.id(), new Delivery(m, AGENT, SUB, 3));
    DeliveryEngine<Message> engine = engine(SETTINGS);

    engine.step();

    assertThat(frames.sent).isEmpty();
    assertThat(store.deadLetters).containsExactly(m.id() + ": not acknowledged after 3 attempts");
  }

  @Test
  void aDeliveryTheAgentMayNoLongerReadIsWithheldAndAcknowledged() throws IOException {
    Message m = store.queue(1, SUB);
    store.unreadable.add(m.id());
    DeliveryEngine<Message> engine = engine(SETTINGS);

    engine.step();
    engine.step(); // writes the acknowledgement

    assertThat(frames.sent).isEmpty();
    assertThat(frames.withheld).isEqualTo(1);
    assertThat(store.acknowledgements).containsExactly(List.of(m.id()));
  }

  @Test
  void autoAckSubscriptionsAndTheInboxOptionCountAPushAsAcknowledged() throws IOException {
    store.subscriptions.put(SUB, subscription(SUB, DeliveryMode.REALTIME, 1, Duration.ZERO, true));
    Message fromTopic = store.queue(1, SUB);
    Message direct = store.queue(2, SubscriptionId.INBOX);
    DeliveryEngine<Message> engine =
        engine(SETTINGS, new DeliveryEngine.Options(true, Optional.empty()));

    engine.step();
    engine.step();
    clock.advance(Duration.ofMinutes(1));
    engine.step();

    assertThat(frames.ids()).containsExactly(fromTopic.id(), direct.id());
    assertThat(store.acknowledgements.stream().flatMap(List::stream))
        .containsExactly(fromTopic.id(), direct.id());
  }

  @Test
  void whatTheClientSaysItHasIsNotPushedAgainButAwaitsItsAck() throws IOException {
    Message had = store.queue(1, SUB);
    Message next = store.queue(2, SUB);
    DeliveryEngine<Message> engine =
        engine(SETTINGS, new DeliveryEngine.Options(false, Optional.of(had.id())));

    engine.step();
    assertThat(frames.ids()).containsExactly(next.id());

    clock.advance(Duration.ofSeconds(1));
    engine.step(); // both are overdue now
    assertThat(frames.ids()).hasSize(3);
    assertThat(frames.ids().subList(1, 3)).containsExactlyInAnyOrder(had.id(), next.id());
    assertThat(frames.attempts()).containsExactly(1, 2, 2);
  }

  @Test
  void finishingRecordsAnAttemptOnWhatAwaitsAcknowledgement() throws Exception {
    Message m = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    engine.close("bye");
    assertThat(engine.step()).isEqualTo("bye");
    engine.finish(Duration.ZERO);

    assertThat(store.attempts).containsEntry(m.id(), 1);
  }

  @Test
  void aRewindReadsTheStoreAgainWithoutPushingTwiceWhatAwaitsAcknowledgement() throws IOException {
    Message a = store.queue(1, SUB);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();
    Message b = store.queue(2, SUB); // committed on another node; its notice was lost

    engine.rewind();
    engine.step();

    assertThat(frames.ids()).containsExactly(a.id(), b.id());
  }

  @Test
  void aRewindDoesNotAddToABatchWhatItHoldsAlready() throws IOException {
    store.subscriptions.put(BATCHED, batch(3, Duration.ofSeconds(10)));
    Message a = store.queue(1, BATCHED);
    Message b = store.queue(2, BATCHED);
    DeliveryEngine<Message> engine = engine(SETTINGS);
    engine.step();

    engine.rewind();
    engine.step();
    Message c = store.queue(3, BATCHED);
    engine.offer(c, BATCHED);
    engine.step();

    assertThat(frames.batches).containsExactly(List.of(a.id(), b.id(), c.id()));
  }

  private static Subscription batch(int size, Duration window) {
    return subscription(BATCHED, DeliveryMode.BATCH, size, window, false);
  }

  private static Subscription subscription(
      SubscriptionId id, DeliveryMode mode, int size, Duration window, boolean autoAck) {
    return new Subscription(
        id,
        AGENT,
        SubscriptionPattern.of("news.**"),
        mode,
        MessageFilter.NONE,
        size,
        window,
        1000,
        autoAck,
        T0);
  }

  private static Message newMessage(long id) {
    return new Message(
        MessageId.of(id),
        AgentId.of("writer"),
        SendMode.TOPIC,
        Optional.of(MailboxName.of("news")),
        ContentType.TEXT_PLAIN,
        Optional.empty(),
        Payload.ofText("m" + id),
        Priority.NORMAL,
        List.of(),
        "{}",
        T0.plus(Duration.ofDays(1)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        1);
  }

  /** A clock that moves only when told to. */
  private static final class Clock implements InstantSource {
    private Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  /** One agent's pending deliveries, attempts, dead letters and acknowledgements, in memory. */
  private static final class Store implements DeliveryEngine.Port<Message> {
    final TreeMap<MessageId, Delivery> pending = new TreeMap<>();
    final Map<SubscriptionId, Subscription> subscriptions = new HashMap<>();
    final Map<MessageId, Integer> attempts = new HashMap<>();
    final List<String> deadLetters = new ArrayList<>();
    final List<List<MessageId>> acknowledgements = new ArrayList<>();
    final Set<MessageId> unreadable = new HashSet<>();

    /** What the store's change listener is told of each acknowledgement written. */
    Consumer<List<MessageId>> onAcknowledge = ids -> {};

    /** While set, acknowledgements fail as a store that cannot be reached does. */
    boolean down;

    /** How many times the engine read the pending deliveries. */
    int pendingReads;

    Message queue(long id, SubscriptionId subscription) {
      Message m = newMessage(id);
      pending.put(m.id(), new Delivery(m, AGENT, subscription, 0));
      return m;
    }

    @Override
    public List<Delivery> pending(Optional<MessageId> after, int limit) {
      pendingReads++;
      var tail = after.isPresent() ? pending.tailMap(after.get(), false) : pending;
      return tail.values().stream().limit(limit).toList();
    }

    @Override
    public Message render(Message message) {
      return message;
    }

    @Override
    public Message message(Message rendered) {
      return rendered;
    }

    @Override
    public boolean mayRead(Message message) {
      return !unreadable.contains(message.id());
    }

    @Override
    public Optional<Subscription> subscription(SubscriptionId id) {
      return Optional.ofNullable(subscriptions.get(id));
    }

    @Override
    public boolean recordAttempts(MessageId id, int count) {
      Delivery d = pending.get(id);
      if (d == null) {
        return false;
      }
      attempts.put(id, count);
      pending.put(id, new Delivery(d.message(), AGENT, d.subscription(), count));
      return true;
    }

    @Override
    public boolean deadLetter(MessageId id, int count, String reason) {
      deadLetters.add(id + ": " + reason);
      return pending.remove(id) != null;
    }

    @Override
    public void acknowledge(List<MessageId> ids) {
      if (down) {
        throw new MailroomException.Unavailable("the store is down (test)", null);
      }
      acknowledgements.add(ids);
      ids.forEach(pending::remove);
      onAcknowledge.accept(ids);
    }
  }

  /** What the engine pushed. */
  private static final class Frames implements DeliveryEngine.Sink<Message> {
    record Sent(MessageId id, int attempt) {}

    final List<Sent> sent = new ArrayList<>();
    final List<List<MessageId>> batches = new ArrayList<>();

    /** How many pushes each flush closed (one element per flush). */
    final List<Integer> flushes = new ArrayList<>();

    private int sinceFlush;

    /** What a flush does besides counting: a test may make it slow by moving the clock. */
    Runnable onFlush = () -> {};

    int heartbeats;
    int withheld;
    int deadLettered;

    @Override
    public void message(Message message, SubscriptionId subscription, int attempt) {
      sent.add(new Sent(message.id(), attempt));
      sinceFlush++;
    }

    @Override
    public void flush() {
      flushes.add(sinceFlush);
      sinceFlush = 0;
      onFlush.run();
    }

    @Override
    public void batch(SubscriptionId subscription, List<DeliveryEngine.Pushed<Message>> items) {
      batches.add(items.stream().map(p -> p.message().id()).collect(Collectors.toList()));
    }

    @Override
    public void heartbeat() {
      heartbeats++;
    }

    @Override
    public void withheld() {
      withheld++;
    }

    @Override
    public void deadLettered() {
      deadLettered++;
    }

    List<MessageId> ids() {
      return sent.stream().map(Sent::id).toList();
    }

    List<Integer> attempts() {
      return sent.stream().map(Sent::attempt).toList();
    }
  }
}
