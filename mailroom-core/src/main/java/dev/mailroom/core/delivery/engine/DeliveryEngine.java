package dev.mailroom.core.delivery.engine;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's stream of deliveries, without the stream: what to push and in which order, first what
 * was queued while the agent was away (read from the store), then live ones as the store commits
 * them; when to push again what is not acknowledged in time (exponential backoff with jitter), when
 * to give up on it (the dead-letter queue), when a batch is full or old enough, when a heartbeat is
 * due, and how many pushes may await acknowledgement at once.
 *
 * <p>The store is the record and this is a cursor over it. Live deliveries arrive through {@link
 * #offer} into a bounded buffer; when that overflows, or when too many pushes await
 * acknowledgement, the buffer is dropped and the engine goes back to reading the store from the
 * last id it pushed, or from below the lowest it dropped if that is lower. So a slow client only
 * ever slows itself, and nothing is lost, even where the store commits an agent's deliveries out of
 * id order (a live delivery below the last pushed id is checked against the store and pushed if
 * pending).
 *
 * <p>Time is the injected {@link InstantSource}'s: nothing here reads the system clock or sleeps,
 * so retries, dead-lettering, batch windows and heartbeats are tested by moving a clock. What
 * leaves goes to a {@link Sink}; what the store does, through a {@link Port}.
 *
 * <p>Threads: one thread, the pump's, calls {@link #start}, {@link #step}, {@link #awaitWork} and
 * {@link #finish}, and owns every field not guarded by {@link #lock}; {@link #offer}, {@link
 * #rewind}, {@link #acknowledged}, {@link #acknowledgedByClient} and {@link #close} may be called
 * from any thread and never block on the store or the client.
 *
 * @param <M> a message as the sink pushes it (rendered once, however many streams push it)
 */
public final class DeliveryEngine<M> {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);

  /** Deliveries read from the store at once. */
  static final int PAGE = 256;

  /**
   * How long acknowledgements the store could not take (it is down) wait before they are written
   * again: about how often a store that failed is tried again (the Redis circuit breaker's probes).
   */
  static final Duration ACK_RETRY = Duration.ofMillis(500);

  /** Live deliveries buffered before the engine drops them and reads the store instead. */
  static final int LIVE_BUFFER = 4096;

  /** The most live deliveries pushed in one {@link #step}, so a busy stream yields its thread. */
  static final int LIVE_ROUND = 64;

  /** The longest {@link #awaitWork} sleeps without news (the token's expiry is checked then). */
  private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What the engine needs of the store and of the node's views, for one agent. */
  public interface Port<M> {
    /** The agent's pending deliveries after {@code after}, in id order, at most {@code limit}. */
    List<Delivery> pending(Optional<MessageId> after, int limit);

    /** The message as the sink pushes it. */
    M render(Message message);

    /** The message {@code rendered} was made from. */
    Message message(M rendered);

    /** Whether the agent may read this message now (its permissions may have changed). */
    boolean mayRead(Message message);

    /** The subscription, if it still exists (never asked for the inbox). */
    Optional<Subscription> subscription(SubscriptionId id);

    /** Records that a pending delivery was pushed this many times; false if it is gone. */
    boolean recordAttempts(MessageId id, int attempts);

    /** Moves a pending delivery to the dead-letter queue; false if it was gone. */
    boolean deadLetter(MessageId id, int attempts, String reason);

    /** Writes acknowledgements; may take a commit, so the engine calls it off its own thread. */
    void acknowledge(List<MessageId> ids);
  }

  /** Where pushes go: the stream's transport. A failed write ends the stream. */
  public interface Sink<M> {
    /** Pushes one delivery; {@code attempt} counts from 1. */
    void message(M message, SubscriptionId subscription, int attempt) throws IOException;

    /** Pushes a batch subscription's deliveries together, in id order. */
    void batch(SubscriptionId subscription, List<Pushed<M>> items) throws IOException;

    /** Tells the client the stream is alive. */
    void heartbeat() throws IOException;

    /**
     * The end of a step: what the sink held back (to send several pushes together) goes out now.
     * Called once after every {@link DeliveryEngine#step}, whether it pushed or not.
     */
    default void flush() throws IOException {}

    /**
     * A push of {@code message} was made ({@code redelivery}: not its first). Counts only; must not
     * block.
     */
    default void pushed(M message, boolean redelivery) {}

    /** A delivery was withheld: its agent may no longer read it. Counts only. */
    default void withheld() {}

    /** A delivery went to the dead-letter queue. Counts only. */
    default void deadLettered() {}
  }

  /** A delivery held for, or pushed in, a batch. */
  public record Pushed<M>(M message, int attempt) {}

  /**
   * How one stream behaves.
   *
   * @param inboxAutoAck a push from the agent's own mailbox counts as acknowledged
   * @param resumeAfter the client says it has every delivery up to this id (its Last-Event-ID):
   *     those still pending are not pushed again but wait for their acknowledgement
   */
  public record Options(boolean inboxAutoAck, Optional<MessageId> resumeAfter) {
    public static final Options DEFAULT = new Options(false, Optional.empty());
  }

  private final AgentId agent;
  private final Port<M> port;
  private final Sink<M> sink;
  private final DeliverySettings settings;
  private final InstantSource clock;
  private final DoubleSupplier jitter;
  private final Executor ackWriter;
  private final Options options;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<Live<M>> live = new ArrayDeque<>();

  /**
   * The lowest id among the live deliveries dropped since the engine last went back to the store
   * (null if none): reading the store again starts below it, even if it is below the last id
   * pushed. A store that commits an agent's deliveries out of id order (one spread over several
   * Redis masters) may notify one below the last pushed; in order, this is always above it, and the
   * store is read from the last pushed as before.
   */
  private @Nullable MessageId lowestDropped;

  private final List<MessageId> acked = new ArrayList<>();
  private final List<MessageId> clientAcks = new ArrayList<>(); // still to be written
  private boolean lagging;
  private boolean rewound;
  private @Nullable String closeReason;

  // Owned by the pump thread.
  private final Map<MessageId, InFlight<M>> inFlight = new HashMap<>();
  private final PriorityQueue<InFlight<M>> deadlines =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));

  /**
   * Tracked in this step, not yet flushed to the client: their ack deadlines start when the sink
   * has sent them, so a step that takes long (a slow store, a loaded machine, a client reading
   * slowly) cannot make a delivery overdue before the client even had it.
   */
  private final List<InFlight<M>> unflushed = new ArrayList<>();

  private final Map<SubscriptionId, Batch<M>> batches = new LinkedHashMap<>();
  private final List<MessageId> acksToWrite = new ArrayList<>();
  private @Nullable MessageId lastPushed;

  /**
   * The highest id this stream ever pushed (or was told by the client it has). Unlike {@link
   * #lastPushed}, the cursor over the store, a rewind does not lower it: after a rewind the cursor
   * starts again from the oldest pending delivery, and an acknowledged delivery is no longer
   * pending, so a late notice of one (an event queued before the rewind) would otherwise look new
   * and be pushed again.
   */
  private @Nullable MessageId highestPushed;

  private boolean catchingUp = true;
  private long nextHeartbeat;

  // Acknowledged but maybe not yet in the store: written by ackWriter, at most one write at a time,
  // so pushing never waits for a commit.
  private final Set<MessageId> unconfirmedAcks = ConcurrentHashMap.newKeySet();

  /**
   * Acknowledgements whose write found the store unavailable, handed back by the ack writer to be
   * written again (they stay unconfirmed meanwhile, so the deliveries are not pushed again).
   */
  private final Queue<MessageId> failedAcks = new ConcurrentLinkedQueue<>();

  private volatile boolean ackWritesFailing;

  /** When acknowledgements the store could not take are written again ({@link #now}'s time). */
  private volatile long ackRetryAt;

  private final Set<MessageId> replayedWhileAcking = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean writingAcks = new AtomicBoolean();

  /**
   * @param jitter random numbers in [0, 1) that scale each retry's wait (see {@link
   *     DeliverySettings#backoff(int, double)})
   * @param ackWriter runs each acknowledgement write (a new virtual thread per write in the server;
   *     the calling thread in tests)
   */
  public DeliveryEngine(
      AgentId agent,
      Port<M> port,
      Sink<M> sink,
      DeliverySettings settings,
      InstantSource clock,
      DoubleSupplier jitter,
      Executor ackWriter,
      Options options) {
    this.agent = agent;
    this.port = port;
    this.sink = sink;
    this.settings = settings;
    this.clock = clock;
    this.jitter = jitter;
    this.ackWriter = ackWriter;
    this.options = options;
  }

  // ---- any thread ----

  /** A delivery the store just committed for this agent. Never blocks. */
  public void offer(M message, SubscriptionId subscription) {
    lock.lock();
    try {
      if (closeReason != null) {
        return;
      }
      if (lagging) {
        dropped(port.message(message).id());
        return;
      }
      if (live.size() >= LIVE_BUFFER) {
        lagging = true; // the store has them; the engine will read them from there
        dropLive();
        dropped(port.message(message).id());
      } else {
        live.add(new Live<>(message, subscription));
      }
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Live deliveries may have been missed (another node's notices were lost): read every pending
   * delivery from the store again, from the oldest, skipping what awaits acknowledgement here.
   */
  public void rewind() {
    lock.lock();
    try {
      rewound = true;
      live.clear();
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Deliveries the store says the agent acknowledged, by whatever way. The store also says so of
   * this stream's own acknowledgements while it writes them; those are already off the in-flight
   * set, so they give the pump no work and do not wake it.
   */
  public void acknowledged(List<MessageId> ids) {
    if (unconfirmedAcks.containsAll(ids)) {
      return;
    }
    lock.lock();
    try {
      acked.addAll(ids);
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Acknowledgements from the client over this stream: taken off the in-flight set at the next
   * step, written to the store in batches off the pump's thread.
   */
  public void acknowledgedByClient(List<MessageId> ids) {
    lock.lock();
    try {
      acked.addAll(ids);
      clientAcks.addAll(ids);
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Asks the pump to end the stream: its next {@link #step} returns {@code reason}. */
  public void close(String reason) {
    lock.lock();
    try {
      if (closeReason == null) {
        closeReason = reason;
      }
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  // ---- the pump's thread ----

  /** Starts the clock of heartbeats; call once, before the first {@link #step}. */
  public void start() {
    nextHeartbeat = now() + settings.heartbeat().toNanos();
  }

  /**
   * Does what is due: takes what other threads handed over, writes acknowledgements, pushes again
   * or dead-letters what is overdue, flushes batches whose window has passed, reads the store or
   * pushes live deliveries, and sends a heartbeat when due; then {@linkplain Sink#flush flushes}
   * the sink, so a sink may send a step's pushes together.
   *
   * @return why the stream must end, or null to go on
   * @throws IOException if a push fails (the stream is lost)
   */
  public @Nullable String step() throws IOException {
    String closing = takeSignals();
    if (closing != null) {
      return closing;
    }
    writeAcks();
    redeliverDue();
    flushDueBatches();
    if (catchingUp) {
      catchUp();
    } else {
      pushLive();
    }
    heartbeatIfDue();
    sink.flush();
    startDeadlines();
    return null;
  }

  /** Whether the engine has more to push right now (it is reading the store and has room). */
  public boolean busy() {
    return catchingUp && room() > 0;
  }

  /**
   * When the engine next has something to do without news from other threads: the earliest of the
   * next heartbeat, retry deadline and batch window, in the clock's nanoseconds ({@link #now}).
   */
  public long nextDeadline() {
    long until = nextHeartbeat;
    if (!deadlines.isEmpty()) {
      until = Math.min(until, deadlines.peek().deadline);
    }
    for (Batch<M> b : batches.values()) {
      if (!b.items.isEmpty()) {
        until = Math.min(until, b.startedAt + b.subscription.batchWindow().toNanos());
      }
    }
    if (!failedAcks.isEmpty()) {
      until = Math.min(until, ackRetryAt);
    }
    return until;
  }

  /**
   * Sleeps until another thread hands something over or {@link #nextDeadline} comes, at most a
   * second (so the pump can check what only it knows, such as its token's expiry). Returns at once
   * when there is work.
   */
  public void awaitWork() throws InterruptedException {
    if (!acksToWrite.isEmpty() && !writingAcks.get()) {
      return;
    }
    long nanos = nextDeadline() - now();
    lock.lock();
    try {
      if (!hasNews() && nanos > 0) {
        wake.awaitNanos(Math.min(nanos, MAX_WAIT_NANOS));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether other threads handed over something for the next step. */
  /**
   * Waits {@code pause}, or less if the stream is closed meanwhile: how the pump backs off while
   * the store is unavailable.
   */
  public void pause(Duration pause) throws InterruptedException {
    long nanos = pause.toNanos();
    lock.lock();
    try {
      while (closeReason == null && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  boolean hasNews() {
    lock.lock(); // reentrant: awaitWork asks while it holds the lock
    try {
      return (!live.isEmpty() && !catchingUp && room() > 0)
          || !acked.isEmpty()
          || !clientAcks.isEmpty()
          || closeReason != null
          || lagging
          || rewound;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the engine: writes the acknowledgements gathered (after any write under way, waiting up to
   * {@code ackWait} for it), and records one more attempt on what was pushed and never
   * acknowledged, so a client that keeps dying on a message still exhausts its attempts.
   */
  public void finish(Duration ackWait) throws InterruptedException {
    takeSignals();
    long nanos = ackWait.toNanos();
    lock.lock();
    try {
      // The writing thread clears the flag and then signals under this lock.
      while (writingAcks.get() && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
    if (!acksToWrite.isEmpty()) {
      port.acknowledge(List.copyOf(acksToWrite));
      acksToWrite.clear();
    }
    for (InFlight<M> f : inFlight.values()) {
      port.recordAttempts(f.id, f.attempt);
    }
  }

  /** How many pushes await acknowledgement. */
  public int inFlight() {
    return inFlight.size();
  }

  /** The clock's time in nanoseconds, the unit of every deadline here. */
  public long now() {
    Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Takes what other threads handed over; returns the close reason if the stream must end. */
  private @Nullable String takeSignals() {
    lock.lock();
    try {
      for (MessageId id : acked) {
        InFlight<M> f = inFlight.remove(id);
        if (f != null) {
          f.done = true;
        }
      }
      acked.clear();
      for (MessageId id : clientAcks) {
        unconfirmedAcks.add(id);
        acksToWrite.add(id);
      }
      clientAcks.clear();
      if (lagging) {
        lagging = false;
        catchingUp = true;
      }
      if (catchingUp) {
        resumeBelowDropped();
      }
      if (rewound) {
        rewound = false;
        lastPushed = null;
        catchingUp = true;
      }
      return closeReason;
    } finally {
      lock.unlock();
    }
  }

  /** Reads the next page of pending deliveries after the last one pushed, and pushes them. */
  private void catchUp() throws IOException {
    int room = room();
    if (room <= 0) {
      return;
    }
    int want = Math.min(PAGE, room);
    List<Delivery> page = port.pending(Optional.ofNullable(lastPushed), want);
    for (Delivery d : page) {
      MessageId id = d.message().id();
      lastPushed = id;
      if (inFlight.containsKey(id) || unconfirmedAcks.contains(id) || batched(id)) {
        continue; // pushed already, before a rewind
      }
      Optional<Subscription> sub = subscription(d.subscription());
      if (d.attempts() >= settings.maxAttempts()) {
        deadLetter(id, d.attempts());
      } else if (options.resumeAfter().isPresent()
          && id.compareTo(options.resumeAfter().get()) <= 0) {
        alreadyReceived(d, sub);
      } else {
        deliver(port.render(d.message()), d.subscription(), sub, d.attempts() + 1);
      }
    }
    if (page.size() < want) {
      catchingUp = false;
    }
  }

  /** Raises {@link #highestPushed} to {@code id}. */
  private void pushedUpTo(MessageId id) {
    if (highestPushed == null || id.compareTo(highestPushed) > 0) {
      highestPushed = id;
    }
  }

  /** The client says (by its Last-Event-ID) it has this one: wait for its ack as if just pushed. */
  private void alreadyReceived(Delivery d, Optional<Subscription> sub) {
    pushedUpTo(d.message().id());
    if (autoAck(d.subscription(), sub)) {
      confirm(d.message().id());
    } else {
      track(port.render(d.message()), d.subscription(), d.attempts() + 1);
    }
  }

  /** Pushes live deliveries in order, skipping what was already pushed from the store. */
  private void pushLive() throws IOException {
    List<Live<M>> round = new ArrayList<>(LIVE_ROUND);
    lock.lock();
    try {
      if (lagging) {
        return; // takeSignals switches to catching up
      }
      for (Live<M> l; round.size() < LIVE_ROUND && (l = live.poll()) != null; ) {
        round.add(l);
      }
    } finally {
      lock.unlock();
    }
    if (round.isEmpty()) {
      return;
    }
    Set<MessageId> replays = replaysAmong(round);
    for (int i = 0; i < round.size(); i++) {
      Live<M> next = round.get(i);
      MessageId id = port.message(next.message()).id();
      if (highestPushed != null && id.compareTo(highestPushed) <= 0) {
        if (!replays.contains(id)
            || inFlight.containsKey(id)
            || unconfirmedAcks.contains(id)
            || batched(id)) {
          continue; // pushed already: from the store, earlier in this round, or before a rewind
        }
      } else if (room() <= 0) {
        // Too much awaits acknowledgement: stop taking live ones and read the store later.
        lock.lock();
        try {
          dropLive();
          for (Live<M> rest : round.subList(i, round.size())) {
            dropped(port.message(rest.message()).id());
          }
          resumeBelowDropped();
        } finally {
          lock.unlock();
        }
        catchingUp = true;
        return;
      }
      if (lastPushed == null || id.compareTo(lastPushed) > 0) {
        lastPushed = id;
      }
      deliver(next.message(), next.subscription(), subscription(next.subscription()), 1);
    }
  }

  /**
   * Of a round of live deliveries, those that come at or below the highest id pushed when their
   * turn comes and are still pending in the store without being in flight here: dead letters
   * replayed, or deliveries a store committed out of id order (to push), not ones already pushed
   * from the store or before a rewind (to skip). What the engine holds answers for most; the rest
   * are looked up in the store in one read from the lowest of them, not one each: after a catch-up,
   * the live deliveries it already pushed may be hundreds.
   */
  private Set<MessageId> replaysAmong(List<Live<M>> round) {
    TreeSet<MessageId> unknown = new TreeSet<>();
    MessageId last = highestPushed;
    for (Live<M> l : round) {
      MessageId id = port.message(l.message()).id();
      if (last == null || id.compareTo(last) > 0) {
        last = id; // pushed in its turn
      } else if (unconfirmedAcks.contains(id)) {
        // Its acknowledgement is being written: a replay arriving now is only told apart once that
        // write is done, when the store is read again (see writeAcks).
        replayedWhileAcking.add(id);
      } else if (!inFlight.containsKey(id) && !batched(id)) {
        unknown.add(id);
      }
    }
    return unknown.isEmpty() ? Set.of() : pendingAmong(unknown);
  }

  /** Which of {@code ids} are pending in the store, read in pages from just below the lowest. */
  private Set<MessageId> pendingAmong(NavigableSet<MessageId> ids) {
    Set<MessageId> pending = new HashSet<>();
    MessageId low = ids.first();
    Optional<MessageId> after =
        low.value() == 0 ? Optional.empty() : Optional.of(MessageId.of(low.value() - 1));
    while (true) {
      List<Delivery> page = port.pending(after, PAGE);
      for (Delivery d : page) {
        MessageId id = d.message().id();
        if (id.compareTo(ids.last()) > 0) {
          return pending;
        }
        if (ids.contains(id)) {
          pending.add(id);
        }
      }
      if (page.size() < PAGE) {
        return pending;
      }
      after = Optional.of(page.getLast().message().id());
    }
  }

  private boolean batched(MessageId id) {
    for (Batch<M> b : batches.values()) {
      for (Pushed<M> p : b.items) {
        if (port.message(p.message()).id().equals(id)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Pushes one delivery now, or holds it for its batch. A delivery the agent may no longer read
   * (its permission was revoked after the message was routed) is withheld: acknowledged unseen, so
   * it is neither pushed nor retried.
   */
  private void deliver(
      M message, SubscriptionId subscriptionId, Optional<Subscription> sub, int attempt)
      throws IOException {
    MessageId id = port.message(message).id();
    pushedUpTo(id);
    if (!port.mayRead(port.message(message))) {
      confirm(id);
      sink.withheld();
      return;
    }
    if (sub.isPresent() && sub.get().mode() == DeliveryMode.BATCH) {
      Batch<M> batch = batches.computeIfAbsent(subscriptionId, k -> new Batch<>(sub.get()));
      if (batch.items.isEmpty()) {
        batch.startedAt = now();
      }
      batch.items.add(new Pushed<>(message, attempt));
      if (batch.items.size() >= sub.get().batchSize()) {
        flushBatch(subscriptionId, batch);
      }
      return;
    }
    sink.message(message, subscriptionId, attempt);
    sink.pushed(message, attempt > 1);
    afterPush(message, subscriptionId, sub, attempt);
  }

  private void afterPush(
      M message, SubscriptionId subscriptionId, Optional<Subscription> sub, int attempt) {
    if (autoAck(subscriptionId, sub)) {
      confirm(port.message(message).id());
    } else {
      track(message, subscriptionId, attempt);
    }
  }

  /**
   * Whether a push counts as acknowledged. A pending delivery whose subscription is gone (a dead
   * letter replayed after unsubscribing) still reaches the agent, and waits for its ack.
   */
  private boolean autoAck(SubscriptionId id, Optional<Subscription> sub) {
    return id.isInbox() ? options.inboxAutoAck() : sub.map(Subscription::autoAck).orElse(false);
  }

  private void confirm(MessageId id) {
    unconfirmedAcks.add(id);
    acksToWrite.add(id);
  }

  private void track(M message, SubscriptionId subscription, int attempt) {
    Duration wait = settings.backoff(attempt, jitter.getAsDouble());
    MessageId id = port.message(message).id();
    InFlight<M> f = new InFlight<>(id, message, subscription, attempt, wait.toNanos());
    InFlight<M> previous = inFlight.put(id, f);
    if (previous != null) {
      previous.done = true;
    }
    unflushed.add(f);
  }

  private void flushDueBatches() throws IOException {
    long now = now();
    for (var it = batches.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Batch<M> b = e.getValue();
      if (!b.items.isEmpty() && now - b.startedAt >= b.subscription.batchWindow().toNanos()) {
        flushBatch(e.getKey(), b);
      }
      if (b.items.isEmpty()) {
        it.remove();
      }
    }
  }

  private void flushBatch(SubscriptionId id, Batch<M> batch) throws IOException {
    List<Pushed<M>> items = List.copyOf(batch.items);
    batch.items.clear();
    batch.startedAt = now();
    sink.batch(id, items);
    for (Pushed<M> p : items) {
      sink.pushed(p.message(), p.attempt() > 1);
      afterPush(p.message(), id, Optional.of(batch.subscription), p.attempt());
    }
  }

  /** Starts the ack deadlines of what this step pushed, now that the sink has sent it. */
  private void startDeadlines() {
    if (unflushed.isEmpty()) {
      return;
    }
    long now = now();
    for (InFlight<M> f : unflushed) {
      f.deadline = now + f.wait;
      deadlines.add(f);
    }
    unflushed.clear();
  }

  /** Pushes again, or dead-letters, every in-flight delivery whose ack deadline has passed. */
  private void redeliverDue() throws IOException {
    long now = now();
    while (!deadlines.isEmpty() && deadlines.peek().deadline <= now) {
      InFlight<M> f = deadlines.poll();
      if (f.done || inFlight.get(f.id) != f) {
        continue;
      }
      inFlight.remove(f.id);
      if (f.attempt >= settings.maxAttempts()) {
        deadLetter(f.id, f.attempt);
        continue;
      }
      if (!port.recordAttempts(f.id, f.attempt)) {
        continue; // acknowledged or expired meanwhile
      }
      sink.message(f.message, f.subscription, f.attempt + 1);
      sink.pushed(f.message, true);
      track(f.message, f.subscription, f.attempt + 1);
    }
  }

  private void deadLetter(MessageId id, int attempts) {
    String reason = "not acknowledged after " + attempts + " attempt" + (attempts == 1 ? "" : "s");
    if (port.deadLetter(id, attempts, reason)) {
      sink.deadLettered();
    }
  }

  /**
   * Starts writing the acknowledgements gathered since the last write, in one store call on the ack
   * writer, unless a write is already under way (the next one then takes them). A write that finds
   * the store unavailable is tried again {@link #ACK_RETRY} later; one that fails otherwise leaves
   * the deliveries pending, so they are redelivered: at least once, never lost.
   */
  private void writeAcks() {
    if (!failedAcks.isEmpty() && now() - ackRetryAt >= 0) {
      for (MessageId id; (id = failedAcks.poll()) != null; ) {
        acksToWrite.add(id);
      }
    }
    if (acksToWrite.isEmpty() || !writingAcks.compareAndSet(false, true)) {
      return;
    }
    List<MessageId> batch = List.copyOf(acksToWrite);
    acksToWrite.clear();
    ackWriter.execute(() -> writeAcks(batch));
  }

  private void writeAcks(List<MessageId> batch) {
    boolean retry = false;
    try {
      port.acknowledge(batch);
      if (ackWritesFailing) {
        ackWritesFailing = false;
        LOG.info("stream of {}: acknowledgements are written again", agent);
      }
    } catch (MailroomException.Unavailable e) {
      // The store is down (a Redis outage): write them again later; until then they stay
      // unconfirmed, so the deliveries are neither pushed again nor lost.
      retry = true;
      ackRetryAt = now() + ACK_RETRY.toNanos();
      if (!ackWritesFailing) {
        ackWritesFailing = true;
        LOG.warn("stream of {}: acknowledgements wait for the store: {}", agent, e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.warn("stream of {}: {} acknowledgements not written", agent, batch.size(), e);
    } finally {
      if (retry) {
        failedAcks.addAll(batch);
      } else {
        batch.forEach(unconfirmedAcks::remove);
      }
      // A live delivery skipped meanwhile may have been a dead letter replayed after its late
      // acknowledgement: read the pending deliveries again, so it is not lost here.
      boolean reread = batch.stream().anyMatch(replayedWhileAcking::remove);
      writingAcks.set(false);
      lock.lock();
      try {
        if (reread) {
          rewound = true;
        }
        wake.signal();
      } finally {
        lock.unlock();
      }
    }
  }

  private void heartbeatIfDue() throws IOException {
    long now = now();
    if (now - nextHeartbeat >= 0) {
      sink.heartbeat();
      nextHeartbeat = now + settings.heartbeat().toNanos();
    }
  }

  private int room() {
    int held = 0;
    for (Batch<M> b : batches.values()) {
      held += b.items.size();
    }
    return settings.maxInFlight() - inFlight.size() - held;
  }

  private Optional<Subscription> subscription(SubscriptionId id) {
    return id.isInbox() ? Optional.empty() : port.subscription(id);
  }

  private record Live<M>(M message, SubscriptionId subscription) {}

  /** Empties the live buffer, noting the lowest id it held. Under {@link #lock}. */
  private void dropLive() {
    for (Live<M> l : live) {
      dropped(port.message(l.message()).id());
    }
    live.clear();
  }

  /** Notes a live delivery dropped. Under {@link #lock}. */
  private void dropped(MessageId id) {
    if (lowestDropped == null || id.compareTo(lowestDropped) < 0) {
      lowestDropped = id;
    }
  }

  /**
   * Has the next reading of the store start at or below the lowest live delivery dropped, where
   * that is at or below the last id pushed. Under {@link #lock}, on the pump's thread.
   */
  private void resumeBelowDropped() {
    MessageId low = lowestDropped;
    lowestDropped = null;
    if (low != null && lastPushed != null && low.compareTo(lastPushed) <= 0) {
      lastPushed = low.value() == 0 ? null : MessageId.of(low.value() - 1);
    }
  }

  private static final class Batch<M> {
    final Subscription subscription;
    final List<Pushed<M>> items = new ArrayList<>();
    long startedAt;

    Batch(Subscription subscription) {
      this.subscription = subscription;
    }
  }

  private static final class InFlight<M> {
    final MessageId id;
    final M message;
    final SubscriptionId subscription;
    final int attempt;
    final long wait;
    long deadline; // set once, when the push is flushed
    boolean done;

    InFlight(MessageId id, M message, SubscriptionId subscription, int attempt, long wait) {
      this.id = id;
      this.message = message;
      this.subscription = subscription;
      this.attempt = attempt;
      this.wait = wait;
    }
  }
}
