package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's audit log: takes one {@link Entry} per finished operation, links it into the node's
 * {@link AuditChain} and appends it to the {@link AuditStore}.
 *
 * <p>Threading: any thread may {@link #record} an entry; it goes into a bounded queue, and a caller
 * finding the queue full waits for room (back-pressure), up to 2 s: a queue full that long means
 * the store has stopped taking records, and the entry is dropped and counted rather than the
 * request held (at once, while the store still takes nothing). One platform thread, {@code
 * mailroom-audit}, drains the queue, links the entries in queue order and appends them in batches
 * of up to {@value #MAX_BATCH}; a failed append is retried with backoff until it succeeds. {@link
 * #close()} lets the writer drain the queue and waits for it.
 */
final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  static final int MAX_BATCH = 1000;
  private static final long POLL_MILLIS = 100;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** Appends tried while stopping before the writer gives up on a failing store. */
  private static final int ATTEMPTS_WHEN_STOPPING = 3;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  /** How long a request waits for room in a full queue before its entry is dropped. */
  static final Duration FULL_WAIT = Duration.ofSeconds(2);

  private static final Duration DROP_WARNING_EVERY = Duration.ofMinutes(1);

  /**
   * One finished operation, before it is linked into a chain; the fields are those of {@link
   * AuditRecord}.
   */
  record Entry(
      Instant at,
      String requestId,
      String actor,
      String action,
      String resource,
      int status,
      String detail) {
    Entry {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private final AuditStore store;
  private final AuditChain chain;
  private final BlockingQueue<Entry> queue;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong lastDropWarning = new AtomicLong();
  private volatile long lastAppended = System.nanoTime(); // when the store last took records
  private final Thread writer;
  private volatile @Nullable AuditRecord head;
  private volatile boolean closing;

  private AuditLog(AuditStore store, AuditChain chain, int queueSize) {
    this.store = store;
    this.chain = chain;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.writer = Thread.ofPlatform().name("mailroom-audit").daemon(true).unstarted(this::run);
  }

  /** Starts a log on a new chain with a random name, holding at most {@code queueSize} entries. */
  static AuditLog start(AuditStore store, int queueSize) {
    return start(store, AuditChain.create(), queueSize);
  }

  static AuditLog start(AuditStore store, AuditChain chain, int queueSize) {
    AuditLog log = new AuditLog(store, chain, queueSize);
    log.writer.start();
    return log;
  }

  /** The name of this node's chain. */
  String chain() {
    return chain.name();
  }

  /** The newest record this log has stored, if any. */
  Optional<AuditRecord> head() {
    return Optional.ofNullable(head);
  }

  /** Records stored since start. */
  long written() {
    return written.get();
  }

  /** Entries waiting to be written. */
  int queueDepth() {
    return queue.size();
  }

  /**
   * Queues an entry, waiting while the queue is full, for at most {@link #FULL_WAIT}: a queue that
   * stays full that long means the store has not taken records for a while (Redis down, say), and
   * then the entry is dropped, counted ({@link #dropped()}) and logged (once a minute at most),
   * rather than every request of the node waiting for the store. While the queue is full and the
   * store has taken nothing for {@link #FULL_WAIT}, an entry is dropped at once. An interrupt does
   * not abandon the entry (it stays set on the thread). After {@link #close()} the entry is logged
   * and dropped.
   */
  void record(Entry entry) {
    if (queue.offer(entry)) {
      return;
    }
    if (System.nanoTime() - lastAppended > FULL_WAIT.toNanos()) {
      // Full, and the store has taken nothing for a while: waiting would only hold the request.
      drop(entry);
      return;
    }
    boolean interrupted = false;
    long deadline = System.nanoTime() + FULL_WAIT.toNanos();
    try {
      while (!closing) {
        try {
          if (queue.offer(entry, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
        if (System.nanoTime() > deadline) {
          drop(entry);
          return;
        }
      }
      LOG.warn(
          "audit log closed; not recorded: request {} {} {}",
          entry.requestId(),
          entry.action(),
          entry.status());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Entries dropped because the queue stayed full (the store did not take records). */
  long dropped() {
    return dropped.get();
  }

  private void drop(Entry entry) {
    long n = dropped.incrementAndGet();
    long now = System.nanoTime();
    long last = lastDropWarning.get();
    if ((n == 1 || now - last > DROP_WARNING_EVERY.toNanos())
        && lastDropWarning.compareAndSet(last, now)) {
      LOG.warn(
          "the audit queue has been full for {} s (the store takes no audit records): dropped"
              + " request {} {} {}; {} entries dropped so far",
          FULL_WAIT.toSeconds(),
          entry.requestId(),
          entry.action(),
          entry.status(),
          n);
    }
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      Entry first;
      try {
        first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        LOG.warn("audit writer interrupted; {} entries left unwritten", queue.size());
        return;
      }
      if (first == null) {
        if (closing) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      List<AuditRecord> records = new ArrayList<>(batch.size());
      for (Entry e : batch) {
        records.add(chain.link(e));
      }
      batch.clear();
      append(records);
    }
  }

  /** Appends until the store takes the records (or, while stopping, gives up after a few tries). */
  private void append(List<AuditRecord> records) {
    List<AuditRecord> left = records;
    for (int attempt = 1; ; attempt++) {
      try {
        store.append(left);
        lastAppended = System.nanoTime();
        head = left.getLast();
        written.addAndGet(left.size());
        return;
      } catch (RuntimeException e) {
        if (closing && attempt >= ATTEMPTS_WHEN_STOPPING) {
          LOG.error(
              "giving up on {} audit records of chain {} (indexes {}..{}) while stopping",
              left.size(),
              chain.name(),
              left.getFirst().index(),
              left.getLast().index(),
              e);
          return;
        }
        if (e instanceof MailroomException.Unavailable u && u.fault().isPresent()) {
          // The store logged the fault when it began; its stack says nothing more.
          LOG.warn(
              "appending {} audit records failed (attempt {}): {}",
              left.size(),
              attempt,
              e.getMessage());
        } else {
          LOG.warn("appending {} audit records failed (attempt {})", left.size(), attempt, e);
        }
        sleep(backoff(attempt));
        left = notYetStored(left);
        if (left.isEmpty()) {
          return;
        }
      }
    }
  }

  /**
   * What of {@code records} the store does not hold yet: an append that failed on the way back (a
   * timeout after the store wrote) must not be repeated, or the chain would hold its indexes twice.
   */
  private List<AuditRecord> notYetStored(List<AuditRecord> records) {
    try {
      List<AuditRecord> found =
          store.chain(chain.name(), records.getFirst().index(), records.size());
      if (!found.isEmpty() && records.subList(0, found.size()).equals(found)) {
        head = found.getLast();
        written.addAndGet(found.size());
        return records.subList(found.size(), records.size());
      }
    } catch (RuntimeException e) {
      LOG.debug("could not check which audit records were stored", e);
    }
    return records;
  }

  private static Duration backoff(int attempt) {
    Duration d = Duration.ofMillis(100L << Math.min(attempt - 1, 10));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking entries, writes those queued and stops the writer thread. Safe to call twice. */
  @Override
  public void close() {
    closing = true;
    try {
      if (!writer.join(CLOSE_WAIT)) {
        LOG.warn("the audit writer did not finish within {}", CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
