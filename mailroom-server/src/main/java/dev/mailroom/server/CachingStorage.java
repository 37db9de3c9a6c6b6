package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.ConsoleSession;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Enrollment;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spi.StoreObserver;
import dev.mailroom.core.spi.TopicStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link Storage} whose agent lookups by id are remembered for a short time. The message service
 * looks up the target of every direct send to tell an agent's mailbox from a shared one; without
 * this, every send would cost an extra store read. An agent is forgotten ({@link #forget}) whenever
 * the store tells the node's change listener that it changed, which for a change made on this node
 * happens before the change returns; what the listener misses (another node's change while the
 * store's change feed was down) shows within {@link #TTL}. While the store cannot be reached, an
 * agent looked up before is answered from what was last loaded, however old, so that sends keep
 * going to the node's spool. Console sessions are never cached: each lookup goes to the store, so
 * that signing out on one node takes effect on every node at once. An agent's profile and
 * retirement are part of its record, so they are forgotten with it; enrollments and presence are
 * never cached. Thread-safe.
 */
final class CachingStorage implements Storage {
  static final Duration TTL = Duration.ofSeconds(10);
  static final int MAX_ENTRIES = 100_000;

  private final Storage delegate;
  private final CachingAgents agents;

  CachingStorage(Storage delegate, LongSupplier nanoTime) {
    this.delegate = delegate;
    this.agents = new CachingAgents(delegate.agents(), nanoTime);
  }

  @Override
  public MessageStore messages() {
    return delegate.messages();
  }

  @Override
  public AgentStore agents() {
    return agents;
  }

  @Override
  public DeliveryStore deliveries() {
    return delegate.deliveries();
  }

  @Override
  public TopicStore topics() {
    return delegate.topics();
  }

  @Override
  public AccessStore access() {
    return delegate.access();
  }

  @Override
  public AuditStore audit() {
    return delegate.audit();
  }

  @Override
  public BlobStore blobs() {
    return delegate.blobs();
  }

  /** Reservations are never cached: each check must see every node's latest reservation. */
  @Override
  public ReservationStore reservations() {
    return delegate.reservations();
  }

  /** Obligations are never cached: the sweepers of every node must see each other's notices. */
  @Override
  public ObligationStore obligations() {
    return delegate.obligations();
  }

  @Override
  public PresenceStore presence() {
    return delegate.presence();
  }

  @Override
  public StoreHealth health() {
    return delegate.health();
  }

  @Override
  public void listen(ChangeListener listener) {
    delegate.listen(listener);
  }

  @Override
  public void observe(StoreObserver observer) {
    delegate.observe(observer);
  }

  /** Forgets a cached agent: it changed ({@link TransportViews}). */
  void forget(AgentId agent) {
    agents.forget(agent);
  }

  /**
   * Has every cached agent reloaded before it is used again: changes may have been missed ({@link
   * TransportViews}). An old entry still serves while the store is down.
   */
  void forgetAll() {
    agents.forgetAll();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static final class CachingAgents implements AgentStore {
    private record Entry(Optional<AgentRecord> agent, long loadedAt, long generation) {}

    private final AgentStore delegate;
    private final LongSupplier nanoTime;
    private final long ttlNanos = TTL.toNanos();
    private final Map<AgentId, Entry> byId = new ConcurrentHashMap<>();

    /**
     * Bumped by {@link #forgetAll}: older entries are reloaded, but serve while the store is down.
     */
    private final AtomicLong generation = new AtomicLong();

    CachingAgents(AgentStore delegate, LongSupplier nanoTime) {
      this.delegate = delegate;
      this.nanoTime = nanoTime;
    }

    @Override
    public void create(AgentRecord agent, String tokenHash) {
      delegate.create(agent, tokenHash);
    }

    @Override
    public boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt) {
      return delegate.replaceToken(id, tokenHash, expiresAt);
    }

    @Override
    public boolean revokeToken(AgentId id) {
      return delegate.revokeToken(id);
    }

    @Override
    public boolean replaceRoles(AgentId id, Set<Role> roles) {
      return delegate.replaceRoles(id, roles);
    }

    @Override
    public boolean updateProfile(AgentId id, AgentProfile profile) {
      return delegate.updateProfile(id, profile);
    }

    @Override
    public boolean retire(AgentId id, Instant at) {
      return delegate.retire(id, at);
    }

    @Override
    public boolean delete(AgentId id) {
      boolean deleted = delegate.delete(id);
      forget(id); // the listener did already, unless the change feed was down
      return deleted;
    }

    @Override
    public void createEnrollment(Enrollment enrollment, String hash) {
      delegate.createEnrollment(enrollment, hash);
    }

    @Override
    public Optional<Enrollment> findEnrollment(String hash) {
      return delegate.findEnrollment(hash);
    }

    @Override
    public List<Enrollment> enrollments() {
      return delegate.enrollments();
    }

    @Override
    public boolean deleteEnrollment(String id) {
      return delegate.deleteEnrollment(id);
    }

    @Override
    public Enrollment.Outcome enroll(
        String enrollmentHash, AgentRecord agent, String tokenHash, Instant now) {
      return delegate.enroll(enrollmentHash, agent, tokenHash, now);
    }

    @Override
    public Optional<AgentRecord> find(AgentId id) {
      long now = nanoTime.getAsLong();
      long current = generation.get();
      Entry e = byId.get(id);
      if (e != null && e.generation() == current && now - e.loadedAt() <= ttlNanos) {
        return e.agent();
      }
      Optional<AgentRecord> agent;
      try {
        agent = delegate.find(id);
      } catch (MailroomException.Unavailable down) {
        if (e == null) {
          throw down;
        }
        // The store is down (a node on Redis spools its sends meanwhile): what this node last
        // knew of the agent serves until the store is back.
        return e.agent();
      }
      if (byId.size() >= MAX_ENTRIES) {
        byId.clear(); // crude, but bounded; a full cache only costs a round of reloads
      }
      byId.put(id, new Entry(agent, now, current));
      return agent;
    }

    void forget(AgentId id) {
      byId.remove(id);
    }

    void forgetAll() {
      generation.incrementAndGet();
    }

    @Override
    public Optional<AgentRecord> findByTokenHash(String tokenHash) {
      return delegate.findByTokenHash(tokenHash);
    }

    @Override
    public List<AgentRecord> list(Optional<AgentId> after, int limit) {
      return delegate.list(after, limit);
    }

    @Override
    public void createSession(ConsoleSession session) {
      delegate.createSession(session);
    }

    @Override
    public Optional<ConsoleSession> findSession(String hash, Instant now) {
      return delegate.findSession(hash, now);
    }

    @Override
    public boolean deleteSession(String hash) {
      return delegate.deleteSession(hash);
    }

    @Override
    public int deleteExpiredSessions(Instant now) {
      return delegate.deleteExpiredSessions(now);
    }
  }
}
