package dev.mailroom.store.redis;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spi.StoreObserver;
import dev.mailroom.core.spi.TopicStore;
import dev.mailroom.core.spool.Spool;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared storage backend: Redis standalone, Sentinel or Cluster, through one Lettuce
 * connection. Several Mailroom nodes may open the same namespace on the same Redis.
 *
 * <p>Every write is one Lua script, so it is atomic; it is durable as far as the Redis deployment
 * makes it (its {@code appendonly} and {@code appendfsync} settings, and replicas: see
 * docs/OPERATIONS.md). A namespace's mailboxes, messages and deliveries are spread over shards,
 * each a hash tag of its own, and no command or script spans slots: a Cluster gives this store both
 * failover and the capacity of all its masters (see {@link KeySpace}).
 *
 * <p>The store takes time from its clock, never from Redis, and passes it to each script. Thread-
 * safe.
 */
public final class RedisStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStorage.class);

  private final RedisLink link;
  private final RedisOptions options;
  private final RedisMessageStore messages;
  private final RedisAgentStore agents;
  private final RedisPresence presence;
  private final RedisDeliveryStore deliveries;
  private final RedisTopicStore topics;
  private final RedisAccessStore access;
  private final RedisAuditStore audit;
  private final RedisBlobStore blobs;
  private final RedisReservationStore reservations;
  private final RedisObligationStore obligations;
  private final RedisEvents events;
  private final NodeIds ids;
  private final Optional<Spool> spool;
  private final Optional<SpoolingMessageStore> spooling;
  private final Optional<SpoolingAuditStore> spoolingAudit;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RedisStorage(
      RedisLink link,
      RedisOptions options,
      InstantSource clock,
      RetentionPolicy retention,
      Scripts scripts,
      NodeIds ids,
      Optional<Spool> spool) {
    this.link = link;
    this.options = options;
    this.spool = spool;
    this.ids = ids;
    this.deliveries = new RedisDeliveryStore(link, scripts);
    this.events =
        new RedisEvents(
            link.node(),
            link,
            deliveries,
            options.commandTimeout().plus(options.waitTimeout()).plusSeconds(1));
    this.obligations = new RedisObligationStore(link, scripts);
    this.messages =
        new RedisMessageStore(link, scripts, events, clock, retention, ids, obligations);
    long indexed = messages.indexThreads();
    if (indexed > 0) {
      LOG.info("indexed the threads of {} messages stored before the thread index", indexed);
    }
    long searchable = messages.indexSearch();
    if (searchable > 0) {
      LOG.info("indexed {} messages stored before the search index for search", searchable);
    }
    this.spooling = spool.map(s -> new SpoolingMessageStore(s, messages, clock));
    this.deliveries.wire(messages, events);
    this.reservations = new RedisReservationStore(link, scripts);
    this.agents = new RedisAgentStore(link, scripts, events, clock, deliveries, reservations);
    this.presence = new RedisPresence(link, scripts);
    this.topics = new RedisTopicStore(link, scripts, events);
    this.access = new RedisAccessStore(link, scripts, events);
    this.audit = new RedisAuditStore(link, scripts);
    this.blobs = new RedisBlobStore(link, scripts, options.maxBlobBytes(), BlobChunks.CHUNK);
    this.spoolingAudit = spool.map(s -> new SpoolingAuditStore(s.records(), audit));
    link.onUnconfirmed(events::resyncSoon);
    link.onRecovered(events::resyncSoon);
    spooling.ifPresent(SpoolingMessageStore::start);
    spoolingAudit.ifPresent(SpoolingAuditStore::start);
  }

  /**
   * Connects to Redis.
   *
   * @throws dev.mailroom.core.MailroomException.Unavailable if Redis cannot be reached
   */
  public static RedisStorage open(
      RedisOptions options, InstantSource clock, RetentionPolicy retention) {
    return open(options, clock, retention, Optional.empty());
  }

  /**
   * Connects to Redis, with a spool that keeps sends and audit records while Redis cannot take them
   * and replays them when it is back (see {@link SpoolingMessageStore} and {@link
   * SpoolingAuditStore}). The storage owns the spool and closes it.
   *
   * @throws dev.mailroom.core.MailroomException.Unavailable if Redis cannot be reached
   */
  public static RedisStorage open(
      RedisOptions options, InstantSource clock, RetentionPolicy retention, Optional<Spool> spool) {
    RedisLink link = RedisLink.connect(options, clock);
    NodeIds ids = null;
    try {
      Scripts scripts = new Scripts();
      ids = NodeIds.claim(link, scripts, clock);
      RedisStorage storage = new RedisStorage(link, options, clock, retention, scripts, ids, spool);
      LOG.info(
          "connected to Redis {} (namespace {}, node {})",
          link.isCluster() ? "Cluster" : "server",
          options.namespace(),
          link.node());
      return storage;
    } catch (RuntimeException e) {
      if (ids != null) {
        ids.close();
      }
      link.close();
      throw e;
    }
  }

  /** The namespace this store works in. */
  String namespace() {
    return options.namespace();
  }

  /** How many shards the namespace's data is spread over. */
  int shards() {
    return link.keys().shards();
  }

  /** Redis's own, or with a spool, the spool's over it. */
  @Override
  public MessageStore messages() {
    return spooling.isPresent() ? spooling.get() : messages;
  }

  @Override
  public PresenceStore presence() {
    return presence;
  }

  @Override
  public AgentStore agents() {
    return agents;
  }

  @Override
  public DeliveryStore deliveries() {
    return deliveries;
  }

  @Override
  public TopicStore topics() {
    return topics;
  }

  @Override
  public AccessStore access() {
    return access;
  }

  @Override
  public AuditStore audit() {
    return spoolingAudit.isPresent() ? spoolingAudit.get() : audit;
  }

  /**
   * Uploads and blobs in the same Redis and namespace, on the same connection (see {@link
   * RedisBlobStore}), bounded by {@link RedisOptions#maxBlobBytes()}.
   */
  @Override
  public BlobStore blobs() {
    return blobs;
  }

  /** Reservations among the system's own keys ({@link RedisReservationStore}). */
  @Override
  public ReservationStore reservations() {
    return reservations;
  }

  /** Obligations among the system's own keys, receipt marks beside their messages. */
  @Override
  public ObligationStore obligations() {
    return obligations;
  }

  /**
   * The events thread tells the listener of every node's changes, this node's own included, in the
   * order Redis committed them (see {@link RedisEvents}).
   */
  @Override
  public void listen(ChangeListener listener) {
    events.listen(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void observe(StoreObserver observer) {
    link.observe(observer);
  }

  @Override
  public StoreHealth health() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("mode", link.isCluster() ? "cluster" : "standalone");
    details.put("namespace", options.namespace());
    details.put("circuit", link.breakerState());
    spooling.ifPresent(sp -> details.put("spool", sp.health()));
    spoolingAudit.ifPresent(sp -> details.put("audit_spool", sp.health()));
    if (closed.get()) {
      return new StoreHealth(false, "redis", details);
    }
    try {
      details.put("messages", messages.count());
      details.put("shards", link.keys().shards());
      details.put("agents", link.call(() -> link.sync().hlen(link.key("agents"))));
      details.put("pending", deliveries.pendingCount());
      details.put("events_dropped", events.dropped());
      return new StoreHealth(true, "redis", details);
    } catch (RuntimeException e) {
      details.put("error", e.getMessage());
      return new StoreHealth(false, "redis", details);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      spooling.ifPresent(SpoolingMessageStore::close);
      spoolingAudit.ifPresent(SpoolingAuditStore::close);
      spool.ifPresent(Spool::close);
      ids.close();
      events.close();
      blobs.close();
      link.close();
    }
  }
}
