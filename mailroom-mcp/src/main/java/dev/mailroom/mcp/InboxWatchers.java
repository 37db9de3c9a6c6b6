package dev.mailroom.mcp;

import dev.mailroom.client.Backoff;
import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.Order;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the inbox of every session subscribed to {@code mailroom://inbox} and tells it when new
 * mail arrives. Each watch is a loop on a virtual thread of its own that long-polls {@code GET
 * /v1/inbox?unread=true&after_id=…&wait_seconds=…} as the session's agent (an ordinary request: not
 * a {@code /v1/stream}, which would displace the agent's own stream) and sends {@code
 * notifications/resources/updated} when a newer unread message is there. It pauses while the
 * session's client does not listen, and ends when the session unsubscribes or ends, when the agent
 * may no longer read its inbox, or on {@link #close()}. Watches are bounded in all and per agent.
 * Thread-safe.
 */
final class InboxWatchers implements AutoCloseable {
  static final int DEFAULT_MAX_WATCHES = 256;
  static final int DEFAULT_MAX_PER_AGENT = 4;

  /** How long one poll waits for mail by default. */
  static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(InboxWatchers.class);
  private static final Backoff RETRY = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final int maxWatches;
  private final int maxPerAgent;
  private final Duration pollWait;
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("mailroom-mcp-inbox-", 0).factory());
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param pollWait how long one poll waits for mail: how late a watch notices that its session's
   *     token no longer works
   */
  InboxWatchers(int maxWatches, int maxPerAgent, Duration pollWait) {
    this.maxWatches = maxWatches;
    this.maxPerAgent = maxPerAgent;
    this.pollWait = pollWait;
  }

  /**
   * Starts watching for this session, unless it is watched already, a limit is reached or its inbox
   * cannot be read. What arrives after this call is what the watch reports.
   *
   * @return empty when the session is watched, else why it is not, in a sentence for its client
   */
  Optional<String> start(WatchedSession session) {
    Optional<String> after;
    try {
      after = newest(session);
    } catch (MailroomClientException e) {
      return Optional.of("cannot watch the inbox: " + Failures.describe(e));
    }
    lock.lock();
    try {
      if (watches.containsKey(session.id())) {
        return Optional.empty();
      }
      if (watches.size() >= maxWatches) {
        return Optional.of("the server watches as many inboxes as it may; try again later");
      }
      if (watches.values().stream().filter(w -> w.session.agent().equals(session.agent())).count()
          >= maxPerAgent) {
        return Optional.of(
            "your agent's other sessions watch its inbox as often as allowed; unsubscribe there"
                + " or end an idle session");
      }
      Watch w = new Watch(session, after);
      watches.put(session.id(), w);
      w.future = threads.submit(w::run);
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** The newest message id now in the inbox, read or not: a watch reports what comes after. */
  private static Optional<String> newest(WatchedSession session) {
    MessagePage page =
        session.client().messages().inbox(ListQuery.builder().order(Order.DESC).limit(1).build());
    return page.messages().stream().findFirst().map(MessageView::id);
  }

  /** Stops watching for this session, if it was watched. */
  void stop(String sessionId) {
    lock.lock(); // a watch being started has its future once the lock is free
    try {
      Watch w = watches.remove(sessionId);
      if (w != null) {
        w.cancel();
      }
    } finally {
      lock.unlock();
    }
  }

  boolean watching(String sessionId) {
    return watches.containsKey(sessionId);
  }

  /** Stops every watch and waits a little for the loops to end. */
  @Override
  public void close() {
    watches.keySet().forEach(this::stop);
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("inbox watches did not end within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Watch {
    final WatchedSession session;
    private final Optional<String> baseline;
    volatile @Nullable Future<?> future;

    Watch(WatchedSession session, Optional<String> baseline) {
      this.session = session;
      this.baseline = baseline;
    }

    void cancel() {
      Future<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }

    void run() {
      try {
        loop();
      } catch (InterruptedException e) {
        // stopped
      } finally {
        watches.remove(session.id(), this);
      }
    }

    private void loop() throws InterruptedException {
      Optional<String> after = baseline;
      int failures = 0;
      while (!Thread.currentThread().isInterrupted() && session.open()) {
        if (!session.awaitListening(pollWait)) {
          continue;
        }
        try {
          ListQuery.Builder q = ListQuery.builder().unread(true).order(Order.DESC).limit(1);
          after.ifPresent(q::afterId);
          MessagePage page = session.client().messages().inbox(q.build(), pollWait);
          failures = 0;
          if (!page.messages().isEmpty()) {
            after = Optional.of(page.messages().get(0).id());
            session.inboxUpdated();
          }
        } catch (MailroomClientException e) {
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          if (!e.kind().retryable()) {
            LOG.info("stopped watching the inbox of session {}: {}", session.id(), e.detail());
            return;
          }
          failures++;
          Thread.sleep(RETRY.delay(failures, ThreadLocalRandom.current().nextDouble()));
        }
      }
    }
  }
}
