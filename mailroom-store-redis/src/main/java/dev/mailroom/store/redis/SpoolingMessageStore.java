package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchRequest;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spool.Spool;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends that outlive a Redis outage. A send goes to Redis; when Redis cannot take it (down,
 * unreachable, failing over, an answer that never came), it goes into the node's {@link Spool},
 * synced to disk, and the sender hears its id as usual, marked {@link SendResult.Spooled}. Its id
 * was chosen by the node before Redis saw the send ({@link NodeIds}), so whether Redis stored it or
 * not, storing it again under that id changes nothing: a send is never stored twice.
 *
 * <p>While the spool holds anything, every send joins it, so one sender's messages reach Redis in
 * the order the node accepted them. One thread, {@code mailroom-spool-replay}, replays the spool
 * into Redis oldest first, in batches (on a single Redis one script per batch), removes what Redis
 * took, and backs off while Redis is still down. Once Redis takes a replayed batch, a new send
 * first waits (up to 2 s) for the replay to empty the spool, then goes straight to Redis, or joins
 * the spool if it is still not empty: senders slow to the replay's pace, the spool empties even
 * under steady load, and the node sends straight to Redis again as soon as it has. A node that
 * stops with a non-empty spool replays it when it starts again.
 *
 * <p>A spooled send that Redis refuses when it is replayed (its mailbox turned out to be another
 * kind, its agent was deleted meanwhile), or that cannot be read back, cannot be stored: it is
 * logged at ERROR, counted and dropped from the spool, since retrying cannot change that and would
 * hold up every send spooled after it.
 *
 * <p>A {@link MessageStore} over the Redis one: sends go as above, everything else straight to
 * Redis. Thread-safe. {@link #start()} starts the replay thread, {@link #close()} stops it; what is
 * still spooled stays on disk.
 */
final class SpoolingMessageStore implements MessageStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolingMessageStore.class);
  static final int REPLAY_BATCH = 256;
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  /**
   * While the spool is being replayed, how long a new send waits for it to empty before it joins
   * it: so that senders slow down to the replay's pace instead of growing the spool faster than it
   * empties.
   */
  private static final Duration REPLAY_PACE = Duration.ofSeconds(2);

  /** What the spool does now, as health and the log report it. */
  enum State {
    /** Sends go to Redis. */
    DIRECT,
    /** Redis cannot take sends: they go into the spool. */
    SPOOLING,
    /** Redis took a replayed batch: the spool is being emptied into it. */
    REPLAYING
  }

  private final Spool spool;
  private final RedisMessageStore direct;
  private final InstantSource clock;
  private final Thread replayer;
  private final Object wake = new Object();

  /** What the replay thread waits on while it backs off (appends do not cut that short). */
  private final Object backingOff = new Object();

  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile State state = State.DIRECT;
  private volatile boolean closed;

  SpoolingMessageStore(Spool spool, RedisMessageStore direct, InstantSource clock) {
    this.spool = spool;
    this.direct = direct;
    this.clock = clock;
    this.replayer =
        Thread.ofPlatform().name("mailroom-spool-replay").daemon(true).unstarted(this::replay);
    if (!spool.stats().isEmpty()) {
      state = State.SPOOLING;
    }
  }

  /** Starts replaying: once the store it sends through is wired up. */
  void start() {
    replayer.start();
  }

  @Override
  public SendResult send(OutgoingMessage message, Route route) {
    return send(direct.idFor(message, route), message, route);
  }

  @Override
  public List<SendResult> sendAll(List<MessageStore.Send> sends) {
    return sendAll(direct.ids(sends), sends);
  }

  /** A send under an id already given: a fresh one, or one tried before. */
  SendResult send(MessageId id, OutgoingMessage message, Route route) {
    return sendAll(List.of(id), List.of(new MessageStore.Send(message, route))).getFirst();
  }

  private List<SendResult> sendAll(List<MessageId> ids, List<MessageStore.Send> sends) {
    if (state == State.REPLAYING) {
      awaitReplayed();
    }
    if (spool.stats().isEmpty()) {
      try {
        return direct.sendAllNow(ids, sends);
      } catch (MailroomException.Unavailable e) {
        if (closed) {
          throw e;
        }
        enter(State.SPOOLING, "Redis cannot take sends (" + e.getMessage() + "); spooling them");
      }
    }
    return spool(ids, sends);
  }

  // ---- everything else is Redis's

  @Override
  public Optional<Message> find(MessageId id) {
    return direct.find(id);
  }

  @Override
  public boolean contains(MailboxName mailbox, MessageId id) {
    return direct.contains(mailbox, id);
  }

  @Override
  public Optional<MailboxInfo> mailbox(MailboxName name) {
    return direct.mailbox(name);
  }

  /** Redis's numbers: sends still in the spool are not counted until they reach Redis. */
  @Override
  public Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader) {
    return direct.mailboxStats(name, reader);
  }

  @Override
  public Page<Envelope> query(MessageQuery query) {
    return direct.query(query);
  }

  @Override
  public Page<Envelope> thread(
      ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit) {
    return direct.thread(thread, reader, position, order, limit);
  }

  @Override
  public SearchPage search(SearchRequest request) {
    return direct.search(request);
  }

  @Override
  public long unreadCount(MailboxName mailbox, AgentId reader) {
    return direct.unreadCount(mailbox, reader);
  }

  @Override
  public boolean markRead(MessageId id, AgentId reader) {
    return direct.markRead(id, reader);
  }

  @Override
  public boolean markUnread(MessageId id, AgentId reader) {
    return direct.markUnread(id, reader);
  }

  @Override
  public List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit) {
    return direct.readers(id, after, limit);
  }

  /**
   * Redis's answer while the spool is empty; while it holds any send, every candidate: a spooled
   * send may carry a blob that no message in Redis refers to yet, and the spool is not searched.
   * The spool is looked at first: a replayed send is stored in Redis before it leaves the spool,
   * and a send that joins the spool afterwards attached its blobs just now, which keeps them from a
   * removal decided on an older answer (see {@link dev.mailroom.core.spi.BlobStore#remove}).
   */
  @Override
  public Set<BlobId> referenced(Set<BlobId> blobs) {
    if (!spool.stats().isEmpty()) {
      return Set.copyOf(blobs);
    }
    return direct.referenced(blobs);
  }

  @Override
  public CleanupReport purgeExpired(int maxRows) {
    return direct.purgeExpired(maxRows);
  }

  /** What the spool holds now. */
  Spool.Stats stats() {
    return spool.stats();
  }

  /** The spool's figures for the store's health report. */
  Map<String, Object> health() {
    Spool.Stats s = spool.stats();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", state.name().toLowerCase(Locale.ROOT));
    out.put("depth", s.entries());
    out.put("bytes", s.bytes());
    out.put(
        "oldest_age_seconds",
        s.oldest().map(o -> Math.max(0, (clock.millis() - o.toEpochMilli()) / 1000)).orElse(0L));
    out.put("spooled", spooled.get());
    out.put("replayed", replayed.get());
    out.put("refused_at_replay", refused.get());
    return out;
  }

  private List<SendResult> spool(List<MessageId> ids, List<MessageStore.Send> sends) {
    List<SendResult> results = new ArrayList<>(sends.size());
    List<Spool.Send> appended = new ArrayList<>(sends.size());
    Map<String, MessageId> keysInBatch = new HashMap<>();
    for (int i = 0; i < sends.size(); i++) {
      OutgoingMessage m = sends.get(i).message();
      Route route = sends.get(i).route();
      Optional<String> key = m.draft().idempotencyKey();
      if (key.isPresent()) {
        // A retry of a spooled send with the same key gets the same id.
        String field = m.sender().value() + "\n" + key.get();
        Optional<MessageId> earlier =
            Optional.ofNullable(keysInBatch.get(field)).or(() -> spool.find(m.sender(), key.get()));
        if (earlier.isPresent()) {
          results.add(new SendResult.Duplicate(earlier.get(), routed(route)));
          continue;
        }
        keysInBatch.put(field, ids.get(i));
      }
      appended.add(
          new Spool.Send(ids.get(i), m.sender(), key, clock.instant(), Codec.spooled(m, route)));
      results.add(new SendResult.Spooled(ids.get(i), routed(route)));
    }
    try {
      spool.append(appended);
    } catch (Spool.FullException e) {
      throw new MailroomException.Unavailable(
          "Redis is unavailable and this node's spool is full; try again later", e);
    }
    spooled.addAndGet(appended.size());
    synchronized (this) {
      if (state == State.DIRECT && !appended.isEmpty()) {
        // The replay found the spool empty just before this append reached it, and went back to
        // sending straight to Redis: the spool is not empty now, so sends join it again.
        state = State.SPOOLING;
      }
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    return results;
  }

  /**
   * Goes back to sending straight to Redis, if the spool is empty, appends under way included (the
   * spool counts an append from before it is written): checked and set under the same lock as an
   * append's own check after it is written ({@link #spool}), so the node never sends straight to
   * Redis while the spool holds a send, which would leave it spooling every send from then on.
   */
  private void enterDirectIfEmpty() {
    synchronized (this) {
      if (state == State.DIRECT || !spool.stats().isEmpty()) {
        return;
      }
      state = State.DIRECT;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    LOG.info("the spool is empty; sends go to Redis again");
  }

  /**
   * While the spool is being replayed, a send waits (for {@link #REPLAY_PACE} at most) for the
   * replay to empty it, and then goes straight to Redis, instead of joining the spool's end. So
   * senders slow down to the replay's pace, the spool empties even under steady load, and the node
   * goes back to sending straight to Redis as soon as it has.
   */
  private void awaitReplayed() {
    long deadline = System.nanoTime() + REPLAY_PACE.toNanos();
    synchronized (wake) {
      long left;
      while (state == State.REPLAYING
          && !closed
          && !spool.stats().isEmpty()
          && (left = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(wake, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The recipients a route names: what a spooled send reports before the store counts them. */
  private static int routed(Route route) {
    return switch (route) {
      case Route.ToMailbox to ->
          route.recipients(1 + (to.kind() == MailboxKind.AGENT ? 0 : to.subscribers().size()));
      case Route.ToAllAgents all -> 0;
    };
  }

  private void replay() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      List<Spool.Entry> batch;
      try {
        batch = spool.oldest(REPLAY_BATCH);
      } catch (MailroomException.Unavailable e) {
        if (!closed) {
          LOG.warn("cannot read the spool: {}", e.getMessage());
          pause(MAX_BACKOFF);
        }
        continue;
      }
      if (batch.isEmpty()) {
        enterDirectIfEmpty();
        synchronized (wake) {
          if (spool.stats().isEmpty() && !closed) {
            try {
              wake.wait(IDLE_WAIT.toMillis());
            } catch (InterruptedException e) {
              return;
            }
          }
        }
        continue;
      }
      try {
        replayBatch(batch);
        backoff = MIN_BACKOFF;
      } catch (MailroomException.Unavailable e) {
        // Redis is still down, or down again: wait and try again. Sends waiting for the replay
        // join the spool at once.
        if (state == State.REPLAYING) {
          enter(State.SPOOLING, "Redis cannot take sends again (" + e.getMessage() + ")");
        }
        pause(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      } catch (RuntimeException e) {
        LOG.error("replaying the spool failed; trying again", e);
        pause(MAX_BACKOFF);
      }
    }
  }

  /**
   * Replays one batch, in order. On a refusal of the whole batch (one send in it conflicts),
   * replays its sends one by one, dropping the ones refused.
   */
  private void replayBatch(List<Spool.Entry> entries) {
    List<Spool.Entry> batch = new ArrayList<>(entries.size());
    List<MessageId> ids = new ArrayList<>(entries.size());
    List<MessageStore.Send> sends = new ArrayList<>(entries.size());
    for (Spool.Entry e : entries) {
      Codec.SpooledSend s;
      try {
        s = Codec.unspooled(e.body());
      } catch (RuntimeException unreadable) {
        drop(e, "it cannot be read back: " + unreadable.getMessage());
        continue;
      }
      batch.add(e);
      ids.add(e.id());
      sends.add(new MessageStore.Send(s.message(), s.route()));
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      direct.sendAllNow(ids, sends);
      if (state == State.SPOOLING) {
        enter(
            State.REPLAYING,
            "Redis takes sends again; replaying " + spool.stats().entries() + " spooled sends");
      }
      spool.remove(batch);
      replayed.addAndGet(batch.size());
      wakeWaitingSends();
      return;
    } catch (MailroomException.Conflict | IllegalStateException e) {
      // One of them is refused: find which, one by one.
    }
    for (int i = 0; i < batch.size(); i++) {
      try {
        direct.sendNow(ids.get(i), sends.get(i).message(), sends.get(i).route());
        replayed.incrementAndGet();
        spool.remove(List.of(batch.get(i)));
        wakeWaitingSends();
      } catch (MailroomException.Conflict | IllegalStateException e) {
        // Redis refused it (its mailbox is another kind, its agent is gone) or answered an error:
        // trying again cannot change that, and would hold up every send spooled after it.
        drop(batch.get(i), "Redis refused it: " + e.getMessage());
      }
    }
  }

  /** Drops a spooled send that can never be stored, and says so. */
  private void drop(Spool.Entry e, String why) {
    refused.incrementAndGet();
    LOG.error("spooled message {} from {} is dropped: {}", e.id(), e.sender().value(), why);
    spool.remove(List.of(e));
    wakeWaitingSends();
  }

  /** Wakes the sends waiting for the replay: it removed sends from the spool. */
  private void wakeWaitingSends() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void enter(State next, String why) {
    synchronized (this) {
      if (state == next) {
        return;
      }
      state = next;
    }
    synchronized (wake) {
      wake.notifyAll(); // sends waiting for the replay see the change
    }
    if (next == State.SPOOLING) {
      LOG.warn(why);
    } else {
      LOG.info(why);
    }
  }

  /**
   * Backs off for {@code d}: the first {@link #MIN_BACKOFF} whatever happens (so a busy spool does
   * not make the replay try Redis on every append), the rest until a new send joins the spool,
   * which is a good moment to try again.
   */
  private void pause(Duration d) {
    long first = Math.min(d.toMillis(), MIN_BACKOFF.toMillis());
    synchronized (backingOff) {
      if (closed) {
        return;
      }
      try {
        backingOff.wait(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    long rest = d.toMillis() - first;
    if (rest > 0) {
      synchronized (wake) {
        if (closed) {
          return;
        }
        try {
          wake.wait(rest);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    synchronized (backingOff) {
      backingOff.notifyAll();
    }
    replayer.interrupt();
    try {
      replayer.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
