package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.delivery.SubscriptionIndex;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Recipient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of this node, one per agent, and the live path into them: the store tells its
 * change listener about each delivery it commits, which hands it to the hub ({@code
 * TransportViews}), and the hub to the agent's stream if that agent is connected here. A newer
 * stream of an agent supersedes the older one, which is closed.
 *
 * <p>Thread-safe. Each stream runs on its own virtual thread (or the SSE request's); {@link #close}
 * ends them all and waits for them.
 */
public final class StreamHub implements StreamContext, AutoCloseable {
  /** The most streams one node holds open; beyond it new streams get 503. */
  public static final int MAX_STREAMS = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final DeliveryStore store;
  private final SubscriptionIndex subscriptions;
  private final DeliverySettings settings;
  private final StreamFrames frames;
  private final Function<Message, String> renderer;
  private final StreamMetrics metrics;
  private final InstantSource clock;
  private final StreamAccess access;
  private final Map<AgentId, StreamSession> sessions = new ConcurrentHashMap<>();
  private final Map<StreamSession, Presence.Connection> connections = new ConcurrentHashMap<>();
  private final Presence presence;
  private final BiConsumer<AgentId, List<MessageId>> acknowledgements;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public StreamHub(
      DeliveryStore store,
      SubscriptionIndex subscriptions,
      DeliverySettings settings,
      StreamFrames frames,
      Function<Message, String> renderer,
      StreamMetrics metrics,
      InstantSource clock,
      StreamAccess access,
      Presence presence,
      BiConsumer<AgentId, List<MessageId>> acknowledgements) {
    this.store = store;
    this.subscriptions = subscriptions;
    this.settings = settings;
    this.frames = frames;
    this.renderer = renderer;
    this.metrics = metrics;
    this.clock = clock;
    this.access = access;
    this.presence = presence;
    this.acknowledgements = acknowledgements;
  }

  /** Hands {@code message} to the open streams of these pushed recipients (never blocks). */
  public void queued(Message message, List<Recipient> recipients) {
    RenderedMessage rendered = null;
    for (Recipient r : recipients) {
      StreamSession s = sessions.get(r.agent());
      if (s != null) {
        if (rendered == null) {
          rendered = render(message);
        }
        s.offer(rendered, r.subscription());
      }
    }
  }

  /** Has every open stream read its pending deliveries from the store again (after a resync). */
  public void rewind() {
    sessions.values().forEach(StreamSession::rewind);
  }

  /**
   * Registers a new stream for an agent, superseding its current one. Run it with {@link #run} (on
   * the caller's thread) or {@link #start} (on a new virtual thread).
   *
   * @throws MailroomException.Unavailable if the node holds its maximum of streams or is stopping
   */
  public StreamSession open(
      AgentId agent,
      StreamCredential credential,
      StreamTransport transport,
      boolean inboxAutoAck,
      Optional<MessageId> resumeAfter,
      boolean coalesce) {
    checkCapacity(agent);
    StreamSession session =
        new StreamSession(agent, credential, transport, this, inboxAutoAck, resumeAfter, coalesce);
    // Connected before the previous stream ends, so that a supersession never shows offline.
    connections.put(session, presence.connected(agent));
    StreamSession previous = sessions.put(agent, session);
    if (previous != null) {
      previous.close("superseded by a newer stream of " + agent);
    }
    return session;
  }

  /**
   * Refuses a new stream when the node holds its maximum, unless it replaces one of the agent's.
   *
   * @throws MailroomException.Unavailable if the node holds its maximum of streams or is stopping
   */
  public void checkCapacity(AgentId agent) {
    if (closed) {
      throw new MailroomException.Unavailable("the server is stopping", null);
    }
    if (sessions.size() >= MAX_STREAMS && !sessions.containsKey(agent)) {
      throw new MailroomException.Unavailable(
          "this node holds its maximum of " + MAX_STREAMS + " streams", null);
    }
  }

  /** The agent's stream open on this node, if any. */
  public Optional<StreamSession> session(AgentId agent) {
    return Optional.ofNullable(sessions.get(agent));
  }

  @Override
  public InstantSource clock() {
    return clock;
  }

  /** Runs a stream on the calling thread until it ends. */
  public void run(StreamSession session) {
    Thread self = Thread.currentThread();
    threads.add(self);
    try {
      session.run();
    } finally {
      threads.remove(self);
    }
  }

  /** Runs a stream on a new virtual thread. */
  public void start(StreamSession session) {
    Thread t = Thread.ofVirtual().name("stream-" + session.agent()).unstarted(() -> run(session));
    t.start();
  }

  /** The agent acknowledged deliveries through the REST API; its open stream stops waiting. */
  public void acknowledged(AgentId agent, List<MessageId> ids) {
    StreamSession s = sessions.get(agent);
    if (s != null) {
      s.acknowledged(ids);
    }
  }

  /**
   * Ends the agent's stream here if the token it was opened with no longer authenticates it
   * (replaced, revoked or expired). Called when an agent changes, on this node or another.
   */
  public void revalidate(AgentId agent) {
    StreamSession s = sessions.get(agent);
    if (s != null && !access.tokenValid(agent, s.credential().tokenHash())) {
      s.close("token revoked");
    }
  }

  /** {@link #revalidate} for every open stream (after changes may have been missed). */
  public void revalidateAll() {
    sessions.keySet().forEach(this::revalidate);
  }

  @Override
  public boolean mayRead(AgentId agent, Message message) {
    return access.mayRead(agent, message);
  }

  /** How many streams are open on this node. */
  public int openStreams() {
    return sessions.size();
  }

  @Override
  public void acknowledgedOverStream(AgentId agent, List<MessageId> ids) {
    try {
      acknowledgements.accept(agent, ids);
    } catch (RuntimeException e) {
      LOG.warn("recording the stream acknowledgements of {} for receipts failed", agent, e);
    }
  }

  @Override
  public DeliveryStore store() {
    return store;
  }

  @Override
  public SubscriptionIndex subscriptions() {
    return subscriptions;
  }

  @Override
  public DeliverySettings settings() {
    return settings;
  }

  @Override
  public StreamFrames frames() {
    return frames;
  }

  @Override
  public StreamMetrics metrics() {
    return metrics;
  }

  @Override
  public RenderedMessage render(Message message) {
    return new RenderedMessage(message, renderer);
  }

  @Override
  public void ended(StreamSession session) {
    sessions.remove(session.agent(), session);
    Presence.Connection c = connections.remove(session);
    if (c != null) {
      c.close();
    }
  }

  /** Ends every stream and waits (a few seconds at most) for them to record their state. */
  @Override
  public void close() {
    closed = true;
    sessions.values().forEach(s -> s.close("server stopping"));
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (Thread t : List.copyOf(threads)) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !t.join(Duration.ofNanos(left))) {
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (!threads.isEmpty()) {
      LOG.warn("{} streams did not end within {}", threads.size(), CLOSE_WAIT);
    }
  }
}
