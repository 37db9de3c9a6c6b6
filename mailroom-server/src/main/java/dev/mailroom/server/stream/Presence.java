package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Periodic;
import dev.mailroom.core.spi.PresenceStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part of presence: which agents hold a connection here (a stream, a waiting long poll,
 * an MCP session), kept as marks in the shared {@link PresenceStore}, and when agents were last
 * seen.
 *
 * <p>An agent's first connection here marks it online at once, and its last one closing clears the
 * mark at once, so another node sees the change on its next read. A background task refreshes the
 * marks of every agent connected here each {@link Settings#refresh} (so they last {@link
 * Settings#lapse} past the last refresh: a node that crashed stops refreshing, and its marks lapse
 * then), removes lapsed marks, and writes last-seen times. A last-seen time is written at most once
 * per {@link Settings#seenEvery} per agent, by the task, never on the request that saw the agent.
 *
 * <p>Store failures are logged and ignored: presence is advisory, and never fails a connection or a
 * request. Thread-safe; {@link #close} stops the task and clears this node's marks.
 */
public final class Presence implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

  /** Most agents whose last-seen times one node keeps before it forgets the oldest writes. */
  static final int MAX_SEEN = 100_000;

  /**
   * How presence is kept.
   *
   * @param refresh how often a node renews its marks
   * @param lapse how long a mark lasts past its renewal (longer than {@code refresh})
   * @param seenEvery how often, at most, an agent's last-seen time is written
   */
  public record Settings(Duration refresh, Duration lapse, Duration seenEvery) {
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LAPSE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_SEEN_EVERY = Duration.ofMinutes(1);
    public static final Settings DEFAULTS =
        new Settings(DEFAULT_REFRESH, DEFAULT_LAPSE, DEFAULT_SEEN_EVERY);

    public Settings {
      Objects.requireNonNull(refresh, "refresh");
      Objects.requireNonNull(lapse, "lapse");
      Objects.requireNonNull(seenEvery, "seenEvery");
      if (refresh.isNegative() || refresh.isZero() || lapse.compareTo(refresh) <= 0) {
        throw new IllegalArgumentException(
            "presence refresh must be positive and lapse longer than it: "
                + refresh
                + ", "
                + lapse);
      }
    }
  }

  /** One connection of an agent; closing it (once or more) ends it. */
  public interface Connection extends AutoCloseable {
    @Override
    void close();
  }

  private final PresenceStore store;
  private final String node;
  private final InstantSource clock;
  private final Settings settings;
  private final Map<AgentId, Integer> open = new ConcurrentHashMap<>();
  private final Map<AgentId, Instant> written = new ConcurrentHashMap<>();
  private final Map<AgentId, Instant> unwritten = new ConcurrentHashMap<>();
  private final Periodic refresher;

  private Presence(PresenceStore store, String node, InstantSource clock, Settings settings) {
    this.store = store;
    this.node = node;
    this.clock = clock;
    this.settings = settings;
    this.refresher = Periodic.every("mailroom-presence", settings.refresh(), this::refresh);
  }

  /**
   * Starts keeping this node's presence.
   *
   * @param node a name for this node unique among those sharing the store
   */
  public static Presence start(
      PresenceStore store, String node, InstantSource clock, Settings settings) {
    return new Presence(store, node, clock, settings);
  }

  /** The store it writes to; the directory reads who is online from there. */
  public PresenceStore store() {
    return store;
  }

  /** Notes a connection of {@code agent}; the agent is online until every one is closed. */
  public Connection connected(AgentId agent) {
    open.compute(
        agent,
        (a, n) -> {
          if (n == null) {
            quietly(
                "mark " + a + " online",
                () -> store.mark(node, List.of(a), clock.instant().plus(settings.lapse())));
            return 1;
          }
          return n + 1;
        });
    seen(agent);
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        disconnected(agent);
      }
    };
  }

  private void disconnected(AgentId agent) {
    open.compute(
        agent,
        (a, n) -> {
          if (n == null || n <= 1) {
            quietly("clear " + a, () -> store.clear(node, a));
            return null;
          }
          return n - 1;
        });
    seen(agent);
  }

  /** Whether {@code agent} holds a connection on this node. */
  public boolean connectedHere(AgentId agent) {
    return open.containsKey(agent);
  }

  /**
   * Notes that {@code agent} was seen now (it authenticated); the time is written by the next
   * refresh if the last one written is older than {@link Settings#seenEvery}. Costs a map lookup.
   */
  public void seen(AgentId agent) {
    Instant now = clock.instant();
    Instant last = written.get(agent);
    if (last == null || !now.isBefore(last.plus(settings.seenEvery()))) {
      if (unwritten.size() < MAX_SEEN) {
        unwritten.put(agent, now);
      }
    }
  }

  /** Every agent with an unlapsed mark from any node. */
  public Set<AgentId> online() {
    return store.online(clock.instant());
  }

  /**
   * One round of the refresher: renew this node's marks, sweep lapsed ones, write last-seen times.
   */
  void refresh() {
    Instant now = clock.instant();
    Set<AgentId> here = Set.copyOf(open.keySet());
    quietly("refresh marks", () -> store.mark(node, here, now.plus(settings.lapse())));
    quietly("sweep lapsed marks", () -> store.sweep(now));
    here.forEach(this::seen);
    Map<AgentId, Instant> batch = new HashMap<>(unwritten);
    if (!batch.isEmpty()) {
      quietly(
          "write last-seen times",
          () -> {
            store.seen(batch);
            batch.forEach(unwritten::remove);
            if (written.size() + batch.size() > MAX_SEEN) {
              written.clear(); // bounded: forgetting costs only an early write
            }
            written.putAll(batch);
          });
    }
  }

  private static void quietly(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("presence: could not {}: {}", what, e.toString());
    }
  }

  /** Stops the refresher, then clears this node's marks so that its agents show offline at once. */
  @Override
  public void close() {
    refresher.close();
    for (AgentId a : Set.copyOf(open.keySet())) {
      quietly("clear " + a, () -> store.clear(node, a));
    }
    open.clear();
  }
}
