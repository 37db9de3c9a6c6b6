package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.server.DeliverySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's open stream: pushes its pending deliveries in id order, first what was queued while
 * it was away (read from the store), then live ones as the store commits them, and redelivers what
 * is not acknowledged in time until it goes to the dead-letter queue.
 *
 * <p>The store is the record and this is a cursor over it. Live deliveries arrive through {@link
 * #offer} into a bounded buffer; when that overflows, or when too many pushes await
 * acknowledgement, the buffer is dropped and the stream goes back to reading the store from the
 * last id it pushed. So a slow client only ever slows itself, and nothing is lost.
 *
 * <p>Threads: {@link #run()} is the stream's own (virtual) thread and owns every field not guarded
 * by {@link #lock}; {@link #offer}, {@link #acknowledged} and {@link #close} may be called from any
 * thread.
 */
public final class StreamSession implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);
  private static final int PAGE = 256;
  private static final int LIVE_BUFFER = 4096;

  /** The most live deliveries pushed in one round before the stream yields its carrier. */
  private static final int LIVE_ROUND = 64;

  private final AgentId agent;
  private final StreamCredential credential;
  private final StreamTransport transport;
  private final StreamContext context;
  private final DeliverySettings settings;
  private final boolean inboxAutoAck;
  private final Optional<MessageId> resumeAfter;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<Live> live = new ArrayDeque<>();
  private final List<MessageId> acked = new ArrayList<>();
  private final List<MessageId> clientAcks = new ArrayList<>(); // still to be written
  private boolean lagging;
  private boolean rewound;
  private @Nullable String closeReason;

  // Owned by the stream thread.
  private final Map<MessageId, InFlight> inFlight = new HashMap<>();
  private final PriorityQueue<InFlight> deadlines =
      new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
  private final Map<SubscriptionId, Batch> batches = new LinkedHashMap<>();
  // Acknowledged but maybe not yet in the store: written by a background virtual thread, at most
  // one at a time, so pushing never waits for a commit.
  private final Set<MessageId> unconfirmedAcks = ConcurrentHashMap.newKeySet();
  private final Set<MessageId> replayedWhileAcking = ConcurrentHashMap.newKeySet();
  private final List<MessageId> acksToWrite = new ArrayList<>();
  private final AtomicBoolean writingAcks = new AtomicBoolean();
  private @Nullable MessageId lastPushed;
  private boolean catchingUp = true;
  private long nextHeartbeat;

  StreamSession(
      AgentId agent,
      StreamCredential credential,
      StreamTransport transport,
      StreamContext context,
      boolean inboxAutoAck,
      Optional<MessageId> resumeAfter) {
    this.agent = agent;
    this.credential = credential;
    this.transport = transport;
    this.context = context;
    this.settings = context.settings();
    this.inboxAutoAck = inboxAutoAck;
    this.resumeAfter = resumeAfter;
  }

  public AgentId agent() {
    return agent;
  }

  StreamCredential credential() {
    return credential;
  }

  /** A delivery the store just committed for this agent. Never blocks. */
  void offer(RenderedMessage message, SubscriptionId subscription) {
    lock.lock();
    try {
      if (closeReason != null || lagging) {
        return;
      }
      if (live.size() >= LIVE_BUFFER) {
        lagging = true; // the store has them; the stream will read them from there
        live.clear();
      } else {
        live.add(new Live(message, subscription));
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
  void rewind() {
    lock.lock();
    try {
      rewound = true;
      live.clear();
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Deliveries the agent acknowledged elsewhere (the store already knows). */
  void acknowledged(List<MessageId> ids) {
    lock.lock();
    try {
      acked.addAll(ids);
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Ends the stream: its thread finishes what it is doing and closes the transport. */
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

  /**
   * Acknowledgements from the client over this stream: taken off the in-flight set now, written to
   * the store by the stream thread in batches.
   */
  public void acknowledgedByClient(List<MessageId> ids) {
    lock.lock();
    try {
      acked.addAll(ids);
      for (MessageId id : ids) {
        clientAcks.add(id);
      }
      wake.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    String reason = "stream ended";
    try {
      nextHeartbeat = System.nanoTime() + settings.heartbeat().toNanos();
      transport.send("connected", null, context.frames().connected(agent, resumeAfter, settings));
      while (true) {
        String closing = takeSignals();
        if (closing == null && tokenExpired()) {
          closing = "token expired";
        }
        if (closing != null) {
          reason = closing;
          break;
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
        // Pushing never blocks (writes are asynchronous), so a busy stream would keep its carrier
        // thread; giving it up after each round keeps HTTP requests and the other streams served.
        Thread.yield();
        if (!catchingUp || !hasRoom()) {
          waitForWork();
        }
      }
    } catch (IOException e) {
      reason = "connection lost: " + e.getMessage();
      LOG.debug("stream of {} lost its connection", agent, e);
    } catch (InterruptedException e) {
      reason = "server stopping";
      Thread.currentThread().interrupt();
    } catch (MailroomException.Unavailable e) {
      reason = "store unavailable";
      LOG.warn("stream of {} stopped: store unavailable", agent, e);
    } catch (RuntimeException e) {
      reason = "internal error";
      LOG.error("stream of {} failed", agent, e);
    } finally {
      finish(reason);
    }
  }

  private boolean tokenExpired() {
    return credential.expiresAt().isPresent()
        && !context.clock().instant().isBefore(credential.expiresAt().get());
  }

  /** Takes what other threads handed over; returns the close reason if the stream must end. */
  private @Nullable String takeSignals() {
    lock.lock();
    try {
      for (MessageId id : acked) {
        InFlight f = inFlight.remove(id);
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
    List<Delivery> page = context.store().pending(agent, Optional.ofNullable(lastPushed), want);
    for (Delivery d : page) {
      lastPushed = d.message().id();
      Optional<Subscription> sub = subscription(d.subscription());
      if (inFlight.containsKey(d.message().id()) || unconfirmedAcks.contains(d.message().id())) {
        continue; // pushed already, after a rewind
      }
      if (d.attempts() >= settings.maxAttempts()) {
        deadLetter(d.message().id(), d.attempts());
      } else if (resumeAfter.isPresent() && d.message().id().compareTo(resumeAfter.get()) <= 0) {
        alreadyReceived(d, sub);
      } else {
        deliver(context.render(d.message()), d.subscription(), sub, d.attempts() + 1);
      }
    }
    if (page.size() < want) {
      catchingUp = false;
    }
  }

  /** The client says (by its Last-Event-ID) it has this one: wait for its ack as if just pushed. */
  private void alreadyReceived(Delivery d, Optional<Subscription> sub) {
    if (autoAck(d.subscription(), sub)) {
      confirm(d.message().id());
    } else {
      track(context.render(d.message()), d.subscription(), d.attempts() + 1);
    }
  }

  /** Pushes live deliveries in order, skipping what was already pushed from the store. */
  private void pushLive() throws IOException {
    for (int pushed = 0; pushed < LIVE_ROUND; pushed++) {
      Live next;
      lock.lock();
      try {
        if (lagging) {
          return; // takeSignals switches to catching up
        }
        next = live.poll();
      } finally {
        lock.unlock();
      }
      if (next == null) {
        return;
      }
      MessageId id = next.message().message().id();
      if (lastPushed != null && id.compareTo(lastPushed) <= 0) {
        if (!isReplay(id)) {
          continue;
        }
      } else if (room() <= 0) {
        // Too much awaits acknowledgement: stop taking live ones and read the store later.
        lock.lock();
        try {
          live.clear();
        } finally {
          lock.unlock();
        }
        catchingUp = true;
        return;
      } else {
        lastPushed = id;
      }
      deliver(next.message(), next.subscription(), subscription(next.subscription()), 1);
    }
  }

  /**
   * Whether a live delivery at or below the last pushed id is a dead letter replayed (push it) and
   * not one already pushed from the store (skip it).
   */
  private boolean isReplay(MessageId id) {
    if (unconfirmedAcks.contains(id)) {
      // Its acknowledgement is being written: a replay arriving now is only told apart once that
      // write is done, when the store is read again (see writeAcks).
      replayedWhileAcking.add(id);
      return false;
    }
    if (inFlight.containsKey(id) || batched(id)) {
      return false;
    }
    Optional<MessageId> before =
        id.value() == 0 ? Optional.empty() : Optional.of(MessageId.of(id.value() - 1));
    List<Delivery> one = context.store().pending(agent, before, 1);
    return !one.isEmpty() && one.getFirst().message().id().equals(id);
  }

  private boolean batched(MessageId id) {
    for (Batch b : batches.values()) {
      for (Pushed p : b.items) {
        if (p.message().message().id().equals(id)) {
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
      RenderedMessage message,
      SubscriptionId subscriptionId,
      Optional<Subscription> sub,
      int attempt)
      throws IOException {
    if (!context.mayRead(agent, message.message())) {
      confirm(message.message().id());
      context.metrics().withheld();
      return;
    }
    if (sub.isPresent() && sub.get().mode() == DeliveryMode.BATCH) {
      Batch batch = batches.computeIfAbsent(subscriptionId, k -> new Batch(sub.get()));
      if (batch.items.isEmpty()) {
        batch.startedAt = System.nanoTime();
      }
      batch.items.add(new Pushed(message, attempt));
      if (batch.items.size() >= sub.get().batchSize()) {
        flushBatch(subscriptionId, batch);
      }
      return;
    }
    transport.send(
        "message",
        message.message().id().toString(),
        context.frames().message(message, subscriptionId, attempt));
    context.metrics().pushed(attempt > 1);
    afterPush(message, subscriptionId, sub, attempt);
  }

  private void afterPush(
      RenderedMessage message,
      SubscriptionId subscriptionId,
      Optional<Subscription> sub,
      int attempt) {
    if (autoAck(subscriptionId, sub)) {
      confirm(message.message().id());
    } else {
      track(message, subscriptionId, attempt);
    }
  }

  /**
   * Whether a push counts as acknowledged. A pending delivery whose subscription is gone (a dead
   * letter replayed after unsubscribing) still reaches the agent, and waits for its ack.
   */
  private boolean autoAck(SubscriptionId id, Optional<Subscription> sub) {
    return id.isInbox() ? inboxAutoAck : sub.map(Subscription::autoAck).orElse(false);
  }

  private void confirm(MessageId id) {
    unconfirmedAcks.add(id);
    acksToWrite.add(id);
  }

  private void track(RenderedMessage message, SubscriptionId subscription, int attempt) {
    Duration wait = settings.backoff(attempt, ThreadLocalRandom.current().nextDouble());
    InFlight f = new InFlight(message, subscription, attempt, System.nanoTime() + wait.toNanos());
    InFlight previous = inFlight.put(message.message().id(), f);
    if (previous != null) {
      previous.done = true;
    }
    deadlines.add(f);
  }

  private void flushDueBatches() throws IOException {
    long now = System.nanoTime();
    for (var it = batches.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Batch b = e.getValue();
      if (!b.items.isEmpty() && now - b.startedAt >= b.subscription.batchWindow().toNanos()) {
        flushBatch(e.getKey(), b);
      }
      if (b.items.isEmpty()) {
        it.remove();
      }
    }
  }

  private void flushBatch(SubscriptionId id, Batch batch) throws IOException {
    List<Pushed> items = List.copyOf(batch.items);
    batch.items.clear();
    batch.startedAt = System.nanoTime();
    String lastId = items.getLast().message().message().id().toString();
    transport.send("batch", lastId, context.frames().batch(id, items));
    for (Pushed p : items) {
      context.metrics().pushed(p.attempt() > 1);
      afterPush(p.message(), id, Optional.of(batch.subscription), p.attempt());
    }
  }

  /** Pushes again, or dead-letters, every in-flight delivery whose ack deadline has passed. */
  private void redeliverDue() throws IOException {
    long now = System.nanoTime();
    while (!deadlines.isEmpty() && deadlines.peek().deadline <= now) {
      InFlight f = deadlines.poll();
      if (f.done || inFlight.get(f.message.message().id()) != f) {
        continue;
      }
      inFlight.remove(f.message.message().id());
      MessageId id = f.message.message().id();
      if (f.attempt >= settings.maxAttempts()) {
        deadLetter(id, f.attempt);
        continue;
      }
      if (!context.store().recordAttempts(agent, id, f.attempt)) {
        continue; // acknowledged or expired meanwhile
      }
      transport.send(
          "message",
          id.toString(),
          context.frames().message(f.message, f.subscription, f.attempt + 1));
      context.metrics().pushed(true);
      track(f.message, f.subscription, f.attempt + 1);
    }
  }

  private void deadLetter(MessageId id, int attempts) {
    String reason = "not acknowledged after " + attempts + " attempt" + (attempts == 1 ? "" : "s");
    if (context.store().deadLetter(agent, id, attempts, reason)) {
      context.metrics().deadLettered();
    }
  }

  /**
   * Starts writing the acknowledgements gathered since the last write, in one store call on a
   * virtual thread, unless a write is already under way (the next one then takes them). A failed
   * write leaves the deliveries pending, so they are redelivered: at least once, never lost.
   */
  private void writeAcks() {
    if (acksToWrite.isEmpty() || !writingAcks.compareAndSet(false, true)) {
      return;
    }
    List<MessageId> batch = List.copyOf(acksToWrite);
    acksToWrite.clear();
    Thread.ofVirtual()
        .name("acks-" + agent)
        .start(
            () -> {
              try {
                context.store().acknowledge(agent, batch);
              } catch (RuntimeException e) {
                LOG.warn("stream of {}: {} acknowledgements not written", agent, batch.size(), e);
              } finally {
                batch.forEach(unconfirmedAcks::remove);
                // A live delivery skipped meanwhile may have been a dead letter replayed after its
                // late acknowledgement: read the pending deliveries again, so it is not lost here.
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
            });
  }

  /** Waits for an acknowledgement write under way, then writes what is left, on this thread. */
  private void writeAcksNow() throws InterruptedException {
    long nanos = TimeUnit.SECONDS.toNanos(5);
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
      context.store().acknowledge(agent, List.copyOf(acksToWrite));
      acksToWrite.clear();
    }
  }

  private void heartbeatIfDue() throws IOException {
    long now = System.nanoTime();
    if (now - nextHeartbeat >= 0) {
      transport.send("heartbeat", null, context.frames().heartbeat(context.clock().instant()));
      nextHeartbeat = now + settings.heartbeat().toNanos();
    }
  }

  /** Sleeps until something arrives or the next deadline (redelivery, batch, heartbeat). */
  private void waitForWork() throws InterruptedException {
    long now = System.nanoTime();
    long until = nextHeartbeat;
    if (!deadlines.isEmpty()) {
      until = Math.min(until, deadlines.peek().deadline);
    }
    for (Batch b : batches.values()) {
      if (!b.items.isEmpty()) {
        until = Math.min(until, b.startedAt + b.subscription.batchWindow().toNanos());
      }
    }
    if (!acksToWrite.isEmpty() && !writingAcks.get()) {
      return;
    }
    lock.lock();
    try {
      long nanos = until - now;
      boolean idle =
          (live.isEmpty() || catchingUp || room() <= 0)
              && acked.isEmpty()
              && clientAcks.isEmpty()
              && closeReason == null
              && !lagging;
      if (idle && nanos > 0) {
        wake.await(Math.min(nanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean hasRoom() {
    return room() > 0;
  }

  private int room() {
    int held = 0;
    for (Batch b : batches.values()) {
      held += b.items.size();
    }
    return settings.maxInFlight() - inFlight.size() - held;
  }

  private Optional<Subscription> subscription(SubscriptionId id) {
    return id.isInbox() ? Optional.empty() : context.subscriptions().get(id);
  }

  /**
   * Ends the stream: writes the acknowledgements gathered, records one more attempt on what was
   * pushed and never acknowledged (so a client that keeps dying on a message still exhausts its
   * attempts), and closes the transport.
   */
  private void finish(String reason) {
    try {
      takeSignals();
      writeAcksNow();
      for (InFlight f : inFlight.values()) {
        context.store().recordAttempts(agent, f.message.message().id(), f.attempt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("stream of {}: could not record its last acknowledgements", agent, e);
    }
    transport.close(reason);
    context.ended(this);
  }

  private record Live(RenderedMessage message, SubscriptionId subscription) {}

  /** A delivery held for its batch. */
  record Pushed(RenderedMessage message, int attempt) {}

  private static final class Batch {
    final Subscription subscription;
    final List<Pushed> items = new ArrayList<>();
    long startedAt = System.nanoTime();

    Batch(Subscription subscription) {
      this.subscription = subscription;
    }
  }

  private static final class InFlight {
    final RenderedMessage message;
    final SubscriptionId subscription;
    final int attempt;
    final long deadline;
    boolean done;

    InFlight(RenderedMessage message, SubscriptionId subscription, int attempt, long deadline) {
      this.message = message;
      this.subscription = subscription;
      this.attempt = attempt;
      this.deadline = deadline;
    }
  }
}
