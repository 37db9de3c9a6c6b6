package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of the HTTP transport as Mailroom sees them: which agent opened each (a session
 * serves only that agent), the token it last used, whether its client listens on its stream, and
 * when it was last used. The MCP SDK keeps the sessions themselves and drops one that has had no
 * stream open and no request for a sweep interval; one that has had neither for longer than the SDK
 * can keep it is forgotten here too (and its inbox watch ends).
 *
 * <p>Sessions are bounded: an agent holds at most {@code maxPerAgent} (opening one more ends its
 * least recently used one, one whose client does not listen first; an MCP client whose session is
 * gone opens a new one), and the server at most {@code maxTotal} (beyond that, new sessions are
 * refused until some end). Thread-safe.
 */
final class HttpSessions {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSessions.class);

  private final McpStreamableServerTransportProvider transport;
  private final Supplier<MailroomClient> base;
  private final long forgetAfterNanos;
  private final LongSupplier nanoTime;
  private final int maxPerAgent;
  private final int maxTotal;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /** Held while a session opens, so that an agent opening several at once stays within limits. */
  private final ReentrantLock opening = new ReentrantLock();

  /** A session as it stood when another of its agent's opened. */
  private record Candidate(String id, boolean listened, long lastUsed) {}

  /**
   * @param transport where notifications go
   * @param base a client of the server without a token, to act with each session's token
   * @param forgetAfter how long an unused session without an open stream is remembered
   * @param maxPerAgent the most sessions one agent holds
   * @param maxTotal the most sessions the server holds
   */
  HttpSessions(
      McpStreamableServerTransportProvider transport,
      Supplier<MailroomClient> base,
      Duration forgetAfter,
      LongSupplier nanoTime,
      int maxPerAgent,
      int maxTotal) {
    if (maxPerAgent < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("session limits must be at least 1");
    }
    this.transport = transport;
    this.base = base;
    this.forgetAfterNanos = forgetAfter.toNanos();
    this.nanoTime = nanoTime;
    this.maxPerAgent = maxPerAgent;
    this.maxTotal = maxTotal;
  }

  /** Whether the server holds as many sessions as it may (after forgetting expired ones). */
  boolean full() {
    sessions.values().removeIf(s -> !s.open());
    return sessions.size() >= maxTotal;
  }

  int maxTotal() {
    return maxTotal;
  }

  /**
   * Records a session the SDK just opened for this agent, and forgets expired ones.
   *
   * @return the ids of the agent's sessions beyond its limit, least recently used first, forgotten
   *     here already: the caller ends them in the SDK
   */
  List<String> opened(String id, String agent, String token) {
    List<String> beyond = new ArrayList<>();
    opening.lock();
    try {
      sessions.values().removeIf(s -> !s.open());
      List<Candidate> others =
          sessions.values().stream()
              .filter(s -> s.agent.equals(agent))
              .map(s -> new Candidate(s.id, s.listened(), s.lastUsed))
              .sorted(
                  Comparator.comparing(Candidate::listened).thenComparingLong(Candidate::lastUsed))
              .toList();
      sessions.put(id, new Session(id, agent, token));
      for (int i = 0; i < others.size() + 1 - maxPerAgent; i++) {
        String old = others.get(i).id();
        ended(old);
        beyond.add(old);
      }
    } finally {
      opening.unlock();
    }
    if (!beyond.isEmpty()) {
      LOG.info(
          "agent {} opened more than {} MCP sessions; ended its least recently used: {}",
          agent,
          maxPerAgent,
          beyond.size());
    }
    return beyond;
  }

  /** The session, if it exists and belongs to this agent; records its use with this token. */
  Optional<Session> use(String id, String agent, String token) {
    Session s = sessions.get(id);
    if (s == null || !s.agent.equals(agent) || !s.open()) {
      return Optional.empty();
    }
    s.used(token);
    return Optional.of(s);
  }

  void ended(String id) {
    Session s = sessions.remove(id);
    if (s != null) {
      s.end();
    }
  }

  /** One session. */
  final class Session implements WatchedSession {
    private final String id;
    private final String agent;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition listening = lock.newCondition();
    private volatile String token;
    private volatile long lastUsed;
    private volatile boolean ended;
    private int streams;

    private Session(String id, String agent, String token) {
      this.id = id;
      this.agent = agent;
      this.token = token;
      this.lastUsed = nanoTime.getAsLong();
    }

    /** Whether its client listens on its stream now. */
    private boolean listened() {
      lock.lock();
      try {
        return streams > 0;
      } finally {
        lock.unlock();
      }
    }

    private void used(String token) {
      this.token = token;
      this.lastUsed = nanoTime.getAsLong();
    }

    private void end() {
      lock.lock();
      try {
        ended = true;
        listening.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** The client opened its stream of server messages. */
    void streamOpened() {
      lock.lock();
      try {
        streams++;
        listening.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** The client's stream closed. */
    void streamClosed() {
      lock.lock();
      try {
        streams--;
        lastUsed = nanoTime.getAsLong();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String agent() {
      return agent;
    }

    @Override
    public MailroomClient client() {
      return base.get().withToken(token);
    }

    @Override
    public boolean open() {
      if (ended) {
        return false;
      }
      lock.lock();
      try {
        return streams > 0 || nanoTime.getAsLong() - lastUsed < forgetAfterNanos;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean awaitListening(Duration max) throws InterruptedException {
      lock.lock();
      try {
        long left = max.toNanos();
        while (streams == 0 && left > 0 && !ended) {
          left = listening.awaitNanos(left);
        }
        return streams > 0 && !ended;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void inboxUpdated() {
      try {
        transport
            .notifyClient(
                id,
                McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED,
                new McpSchema.ResourcesUpdatedNotification(MailroomMcp.INBOX_URI))
            .block(Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        LOG.debug("could not notify session {} of new mail: {}", id, e.getMessage());
      }
    }
  }
}
