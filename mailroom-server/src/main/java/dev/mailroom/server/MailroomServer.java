package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.RetentionCleaner;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.blob.BlobService;
import dev.mailroom.core.delivery.DeliveryService;
import dev.mailroom.core.delivery.InboxSignals;
import dev.mailroom.core.delivery.NodeViews;
import dev.mailroom.core.delivery.SubscriptionIndex;
import dev.mailroom.core.delivery.TopicService;
import dev.mailroom.core.delivery.TopicSettings;
import dev.mailroom.core.reservation.ReservationService;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.server.stream.Presence;
import dev.mailroom.server.stream.StreamAccess;
import dev.mailroom.server.stream.StreamFrames;
import dev.mailroom.server.stream.StreamHub;
import dev.mailroom.store.redis.RedisStorage;
import dev.mailroom.store.sqlite.SqliteOptions;
import dev.mailroom.store.sqlite.SqliteSpool;
import dev.mailroom.store.sqlite.SqliteStorage;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running Mailroom server: the store, the bootstrap admin, the subscriptions and streams, the
 * retention and topic cleaners, and the HTTP API.
 *
 * <pre>{@code
 * try (MailroomServer server = MailroomServer.start(ServerConfig.builder().port(0).build())) {
 *   URI api = server.baseUri();
 * }
 * }</pre>
 *
 * <p>Thread-safe. HTTP requests are served on virtual threads; the store and the retention cleaner
 * own their threads until {@link #close()}.
 */
public final class MailroomServer implements AutoCloseable {
  /** The embedded store's file name inside the data directory. */
  public static final String SQLITE_FILE = "mailroom.db";

  private static final Logger LOG = LoggerFactory.getLogger(MailroomServer.class);

  private final Storage storage;
  private final Background background;
  private final ServerMetrics metrics;
  private final Javalin http;
  private final String host;
  private final String scheme;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * The server's background work. The endpoints and streams end first (so HTTP can stop without
   * waiting for open SSE responses), the cleaners after HTTP, then the audit log writes what it
   * holds, all before the store closes.
   */
  private record Background(
      List<ServletEndpoint> endpoints,
      @Nullable StreamHub hub,
      @Nullable Presence presence,
      @Nullable MailboxTails tails,
      @Nullable TopicJanitor janitor,
      @Nullable ReservationJanitor reservationJanitor,
      @Nullable ObligationSweeper obligationSweeper,
      @Nullable RetentionCleaner cleaner,
      @Nullable RateLimits limits,
      @Nullable AuditRetention auditRetention,
      @Nullable AuditLog audit,
      @Nullable Alerts alerts) {
    void closeStreams() {
      for (ServletEndpoint e : endpoints) {
        try {
          e.close();
        } catch (RuntimeException ex) {
          LOG.warn("closing the endpoint {} failed", e.path(), ex);
        }
      }
      if (hub != null) {
        hub.close();
      }
      if (presence != null) {
        presence.close(); // after the streams, whose ends it counts
      }
      if (tails != null) {
        tails.close();
      }
    }

    void close() {
      if (alerts != null) {
        alerts.close();
      }
      if (janitor != null) {
        janitor.close();
      }
      if (reservationJanitor != null) {
        reservationJanitor.close();
      }
      if (obligationSweeper != null) {
        obligationSweeper.close();
      }
      if (cleaner != null) {
        cleaner.close();
      }

      if (limits != null) {
        limits.close();
      }
      if (auditRetention != null) {
        auditRetention.close();
      }
      if (audit != null) {
        audit.close();
      }
    }
  }

  private MailroomServer(
      Storage storage, Background background, ServerMetrics metrics, Javalin http, ServerConfig c) {
    this.storage = storage;
    this.background = background;
    this.metrics = metrics;
    this.http = http;
    this.host = c.host();
    this.scheme = c.security().tls().isPresent() ? "https" : "http";
  }

  /**
   * Opens the store, makes sure the bootstrap admin exists and starts serving HTTP. When it
   * generates an admin token, it prints it once to standard output (and writes it to {@code
   * <data-dir>/admin.token}).
   *
   * @throws dev.mailroom.core.MailroomException.Unavailable if the store cannot be opened
   * @throws IllegalStateException if the port cannot be bound or the admin cannot be set up
   * @throws IllegalArgumentException naming the setting, if the TLS key store cannot be used
   */
  public static MailroomServer start(ServerConfig config) {
    return start(config, System.out);
  }

  static MailroomServer start(ServerConfig config, PrintStream console) {
    long startedNanos = System.nanoTime();
    // Before anything is opened or written: a bad key store is a configuration error.
    Optional<TlsListener> tls = config.security().tls().map(TlsListener::load);
    Opened opened =
        config
            .storage()
            .map(s -> new Opened(s, Optional.empty()))
            .orElseGet(() -> openStore(config));
    CachingStorage storage = new CachingStorage(opened.storage(), System::nanoTime);
    @Nullable RetentionCleaner cleaner = null;
    @Nullable TopicJanitor janitor = null;
    @Nullable ReservationJanitor reservationJanitor = null;
    @Nullable ObligationSweeper obligationSweeper = null;
    @Nullable StreamHub hub = null;
    @Nullable Presence presence = null;
    @Nullable MailboxTails tails = null;
    @Nullable RateLimits limits = null;
    @Nullable AuditLog audit = null;
    @Nullable AuditRetention auditRetention = null;
    @Nullable Alerts alerts = null;
    @Nullable ServerMetrics metrics = null;
    @Nullable Javalin http = null;
    List<ServletEndpoint> endpoints = new ArrayList<>();
    AtomicReference<@Nullable URI> self = new AtomicReference<>();
    try {
      Optional<String> generated =
          AdminBootstrap.run(
              storage.agents(), config.adminToken(), config.dataDir(), config.clock());
      JsonMapper mapper = JsonBodies.mapper(config.json());
      AccessControl access = new AccessControl(storage.access(), mapper);
      Permissions permissions =
          new Permissions(access::policy, storage.agents(), storage.messages());
      SubscriptionIndex subscriptions = SubscriptionIndex.load(storage.deliveries());
      TopicPolicy policy = config.topics();
      TopicService topics =
          new TopicService(
              storage,
              subscriptions,
              config.clock(),
              new TopicSettings(
                  config.limits().defaultTtl(), policy.maxSubscribers(), policy.cleanupAfter()),
              policy.autoCreate(),
              permissions,
              config.quotas());
      DeliveryService deliveries =
          new DeliveryService(storage, subscriptions, topics, config.clock(), config.quotas());
      InboxSignals signals = new InboxSignals();
      BlobService blobs =
          new BlobService(storage.blobs(), storage.messages(), config.clock(), config.blobs());
      MessageService service =
          new MessageService(
              storage,
              config.clock(),
              config.limits(),
              subscriptions,
              topics,
              signals,
              permissions,
              blobs);
      metrics = new ServerMetrics(config.metricsEnabled());
      metrics.bindStore(storage);
      if (opened.spool().isPresent()) {
        metrics.bindSpool(opened.spool().get(), config.clock());
      }
      BlobCollector blobCollector = new BlobCollector(blobs);
      metrics.bindBlobs(blobCollector);
      cleaner =
          RetentionCleaner.start(
              storage.messages(),
              config.retention().cleanupInterval(),
              blobCollector::beforeRetention,
              blobCollector::runOnce);
      metrics.bindRetention(cleaner);
      janitor = TopicJanitor.start(topics, policy.cleanupInterval());
      ReservationService reservations =
          new ReservationService(storage.reservations(), config.clock());
      reservationJanitor =
          ReservationJanitor.start(reservations, config.retention().cleanupInterval());
      obligationSweeper =
          ObligationSweeper.start(
              service.obligations(),
              storage.obligations(),
              config.clock(),
              config.limits().defaultTtl(),
              config.retention().cleanupInterval());
      Authenticator authenticator = Authenticator.create(storage.agents(), config.clock());
      SecuritySettings security = config.security();
      audit = AuditLog.start(storage.audit(), security.auditQueueSize());
      auditRetention =
          AuditRetention.start(
              storage.audit(),
              security.auditRetention(),
              config.clock(),
              config.retention().cleanupInterval());
      metrics.bindAudit(audit);
      AuditCapture auditCapture = new AuditCapture(audit, config.clock());
      alerts =
          new Alerts(
                  config.alerts(),
                  new AlertSignals(
                      storage.deliveries(),
                      opened.spool(),
                      watchedDisk(config, opened).map(HealthRoutes.DiskWatch::directory),
                      metrics.recent(),
                      config.clock()),
                  service,
                  topics,
                  mapper,
                  metrics.registry(),
                  config.clock(),
                  auditCapture.chain())
              .start();
      SendRequestMapper sendMapper = new SendRequestMapper(mapper, config.limits(), config.json());
      MessageViews views = sendMapper.views();
      StreamFrames frames = new StreamFrames(mapper);
      presence =
          Presence.start(
              storage.presence(), auditCapture.chain(), config.clock(), config.presence());
      AgentDirectory directory = new AgentDirectory(presence);
      hub =
          new StreamHub(
              storage.deliveries(),
              subscriptions,
              config.delivery(),
              frames,
              m -> mapper.writeValueAsString(views.view(m, Optional.empty())),
              metrics,
              config.clock(),
              streamAccess(permissions, authenticator),
              presence,
              service.obligations()::acknowledged);
      storage.listen(
          new NodeViews(
              subscriptions,
              topics,
              signals,
              storage.deliveries(),
              new TransportViews(hub, storage, authenticator, access)));
      metrics.bindStreams(hub);
      limits = RateLimits.create(config);
      RateLimits admission = limits;
      metrics.bindRateLimits(limits);
      for (ServletEndpoint.Factory f : config.endpoints()) {
        endpoints.add(
            f.create(new ServletEndpoint.Context(() -> listening(self), config.sessions())));
      }
      tails =
          new MailboxTails(
              service, views, mapper, config.http(), config.clock(), config.delivery().heartbeat());
      AgentRoutes agentRoutes =
          new AgentRoutes(
              storage.agents(),
              config.clock(),
              mapper,
              config.security().tokenTtl(),
              access::policy,
              directory);
      HttpApi api =
          new HttpApi(
              config,
              mapper,
              authenticator,
              limits,
              new MessageRoutes(
                  service,
                  deliveries,
                  sendMapper,
                  metrics,
                  mapper,
                  config.maxRequestBytes(),
                  config.http(),
                  presence),
              agentRoutes,
              new DirectoryRoutes(
                  storage.agents(), directory, config.clock(), mapper, config.http()),
              new EnrollmentRoutes(
                  storage.agents(),
                  agentRoutes,
                  limits,
                  config.clock(),
                  mapper,
                  config.security().tokenTtl()),
              presence,
              new AccessRoutes(
                  access,
                  storage.agents(),
                  storage.messages(),
                  config.clock(),
                  mapper,
                  config.http()),
              new HealthRoutes(
                  storage,
                  metrics,
                  mapper,
                  ctx ->
                      ctx.header("Authorization") != null
                          && HttpApi.admit(admission, authenticator, ctx).principal().isAdmin(),
                  watchedDisk(config, opened),
                  opened
                      .spool()
                      .flatMap(s -> config.spool().map(l -> new HealthRoutes.SpoolWatch(s, l))),
                  startedNanos),
              new SubscriptionRoutes(deliveries, mapper, config.http()),
              new TopicRoutes(topics, deliveries, mapper, config.limits().maxTtl(), config.http()),
              new DeadLetterRoutes(deliveries, views, mapper, config.http()),
              new StreamRoutes(
                  hub,
                  authenticator,
                  limits,
                  mapper,
                  frames,
                  config.delivery(),
                  auditCapture,
                  new StreamSends.Services(
                      service,
                      sendMapper,
                      metrics,
                      auditCapture,
                      limits,
                      authenticator,
                      storage.agents(),
                      mapper)),
              new AttachmentRoutes(blobs, service, mapper, metrics),
              new AuditRoutes(
                  storage.audit(),
                  audit,
                  new AuditVerifier(storage.audit(), config.clock(), security.auditRetention()),
                  mapper,
                  config.http()),
              new AlertRoutes(alerts, mapper),
              new StatsRoutes(
                  storage,
                  service,
                  subscriptions,
                  hub,
                  metrics,
                  config.clock(),
                  mapper,
                  auditCapture.chain()),
              new ReservationRoutes(reservations, mapper, config.http()),
              new ReceiptRoutes(service.obligations(), mapper, config.http()),
              tails,
              config.console().enabled()
                  ? Optional.of(
                      new ConsoleSessions(
                          storage.agents(),
                          authenticator,
                          limits,
                          config.clock(),
                          config.console().sessionTtl()))
                  : Optional.empty(),
              auditCapture,
              metrics,
              endpoints);
      http = api.create(tls);
      try {
        http.start();
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e), e);
      }
      MailroomServer server =
          new MailroomServer(
              storage,
              new Background(
                  endpoints,
                  hub,
                  presence,
                  tails,
                  janitor,
                  reservationJanitor,
                  obligationSweeper,
                  cleaner,
                  limits,
                  auditRetention,
                  audit,
                  alerts),
              metrics,
              http,
              config);
      self.set(server.baseUri());
      LOG.info(
          "Mailroom listening on {} (data dir {}, store {})",
          server.baseUri(),
          config.dataDir().toAbsolutePath().normalize(),
          config.storage().isPresent()
              ? "provided " + storage.health().backend()
              : storage.health().backend());
      generated.ifPresent(
          token -> {
            console.println(
                "Generated the admin token (shown once; also saved to "
                    + config.dataDir().resolve(AdminBootstrap.TOKEN_FILE).toAbsolutePath()
                    + "):");
            console.println(token);
            console.flush();
          });
      return server;
    } catch (RuntimeException e) {
      closeQuietly(
          http,
          new Background(
              endpoints,
              hub,
              presence,
              tails,
              janitor,
              reservationJanitor,
              obligationSweeper,
              cleaner,
              limits,
              auditRetention,
              audit,
              alerts),
          metrics,
          storage);
      throw e;
    }
  }

  private static URI listening(AtomicReference<@Nullable URI> self) {
    URI uri = self.get();
    if (uri == null) {
      throw new IllegalStateException("the server is not listening yet");
    }
    return uri;
  }

  private static StreamAccess streamAccess(Permissions permissions, Authenticator authenticator) {
    return new StreamAccess() {
      @Override
      public boolean mayRead(AgentId agent, Message message) {
        return permissions.mayRead(agent, message);
      }

      @Override
      public boolean tokenValid(AgentId agent, String tokenHash) {
        return authenticator.stillValid(agent, tokenHash);
      }
    };
  }

  /** The store the server opened, and its spool on Redis (see {@link ServerConfig#spool()}). */
  private record Opened(Storage storage, Optional<Spool> spool) {}

  /**
   * The disk the health checks watch: the data directory's, when the server keeps its store there
   * (SQLite) or its spool (Redis with a spool); none on Redis without one, or with a store it was
   * given.
   */
  private static Optional<HealthRoutes.DiskWatch> watchedDisk(ServerConfig config, Opened opened) {
    boolean onDisk =
        config.storage().isEmpty() && (config.redis().isEmpty() || opened.spool().isPresent());
    return onDisk
        ? Optional.of(
            new HealthRoutes.DiskWatch(config.dataDir(), config.health().diskFreeFloorBytes()))
        : Optional.empty();
  }

  private static Opened openStore(ServerConfig config) {
    if (config.redis().isPresent()) {
      // The spool is a SQLite file of its own in the data directory (see the Redis store's
      // SpoolingMessageStore).
      Optional<Spool> spool =
          config.spool().map(limits -> SqliteSpool.open(config.dataDir(), limits));
      try {
        return new Opened(
            RedisStorage.open(config.redis().get(), config.clock(), config.retention(), spool),
            spool);
      } catch (RuntimeException e) {
        spool.ifPresent(Spool::close);
        throw e;
      }
    }
    return new Opened(openSqlite(config), Optional.empty());
  }

  private static Storage openSqlite(ServerConfig config) {
    Path file = config.dataDir().resolve(SQLITE_FILE);
    return SqliteStorage.open(SqliteOptions.of(file), config.clock(), config.retention());
  }

  /** The port the server listens on (the chosen one when configured with port 0). */
  public int port() {
    return http.port();
  }

  /** The server's base URI, such as {@code http://127.0.0.1:8080} ({@code https} with TLS). */
  public URI baseUri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return URI.create(scheme + "://" + h + ":" + port());
  }

  /**
   * Stops HTTP, then the streams and the background cleaners, then closes the store. Safe to call
   * twice.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Mailroom stopping");
    closeQuietly(http, background, metrics, storage);
    LOG.info("Mailroom stopped");
  }

  private static void closeQuietly(
      @Nullable Javalin http,
      Background background,
      @Nullable ServerMetrics metrics,
      Storage storage) {
    try {
      background.closeStreams();
    } catch (RuntimeException e) {
      LOG.warn("closing the streams failed", e);
    }
    if (http != null) {
      try {
        http.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping HTTP failed", e);
      }
    }
    try {
      background.close();
    } catch (RuntimeException e) {
      LOG.warn("stopping background work failed", e);
    }
    if (metrics != null) {
      metrics.close();
    }
    try {
      storage.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the store failed", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
