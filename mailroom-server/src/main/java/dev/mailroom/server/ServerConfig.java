package dev.mailroom.server;

import dev.mailroom.core.Limits;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.core.delivery.AgentQuotas;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.server.stream.Presence;
import dev.mailroom.store.redis.RedisOptions;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link MailroomServer} needs to start. Immutable; validated when built. Build one
 * with {@link #builder()}, or load one from flags, environment and a file with {@link
 * ConfigLoader}.
 *
 * @param host the address to listen on
 * @param port the TCP port; {@code 0} picks a free one
 * @param dataDir where the embedded store and {@code admin.token} live
 * @param adminToken the bootstrap admin's token; when empty the server keeps the admin it has or
 *     generates a token on first start
 * @param limits size and lifetime limits on sends
 * @param json how deeply nested, and how long a number, a JSON payload or metadata may be; request
 *     bodies may nest one level more (the body's own object)
 * @param retention how long things are kept and how big inboxes grow
 * @param storage a store to use instead of opening the embedded one in {@code dataDir} (tests,
 *     embedding); the server takes ownership and closes it
 * @param clock the time source of the store and the message service
 * @param delivery how streams push and retry
 * @param topics topic defaults: creation on publish, idle cleanup, subscriber cap
 * @param redis the Redis store to use instead of the embedded one, when set (and no {@code storage}
 *     is given); several servers on one Redis namespace form one system
 * @param spool on Redis, the limits of the node's local durable spool, which keeps sends while
 *     Redis cannot take them (in {@code dataDir}); empty for no spool (sends then fail with 503
 *     while Redis is down)
 * @param security token lifetime, rate limits, the audit log and TLS
 * @param quotas how many subscriptions, and created topics, one agent may hold
 * @param http how long a request's head and body may take to arrive; the largest page of a listing
 * @param sessions how many sessions an endpoint such as {@code /mcp} holds, per agent and in all
 * @param blobs the limits of uploads and attachments, and how long unused ones are kept
 * @param health what the health checks hold the node to: the least free space on the data
 *     directory's disk
 * @param alerts whether and how often the node evaluates alert rules, and the rules it starts with
 * @param console whether the node serves the web console at {@code /console}, and how long a
 *     console session lasts
 * @param presence how often a node renews its agents' online marks, how long a mark outlives its
 *     renewal (how long a crashed node's agents still show online), and how often last-seen times
 *     are written
 * @param logFormat how the {@code mailroom serve} command writes its console log; the server does
 *     not touch the logging of the process it runs in (see {@link LogFormat})
 * @param endpoints HTTP endpoints other modules add, such as the MCP server at {@code /mcp} (made
 *     anew for each start; see {@link ServletEndpoint})
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    Optional<String> adminToken,
    Limits limits,
    JsonLimits json,
    RetentionPolicy retention,
    Optional<Storage> storage,
    InstantSource clock,
    DeliverySettings delivery,
    TopicPolicy topics,
    Optional<RedisOptions> redis,
    Optional<Spool.Limits> spool,
    SecuritySettings security,
    AgentQuotas quotas,
    HttpLimits http,
    SessionLimits sessions,
    BlobLimits blobs,
    HealthSettings health,
    AlertSettings alerts,
    ConsoleSettings console,
    Presence.Settings presence,
    boolean metricsEnabled,
    LogFormat logFormat,
    List<ServletEndpoint.Factory> endpoints) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIR = Path.of("mailroom-data");

  /** Room in a request body for the fields other than payload and metadata. */
  private static final long BODY_OVERHEAD_BYTES = 64 * 1024;

  /** The most bytes JSON needs for one payload byte: a control character is {@code \u0001}. */
  private static final long WORST_ESCAPE = 6;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    dataDir = dataDir.toAbsolutePath().normalize(); // logs and health name one clear path
    Objects.requireNonNull(adminToken, "adminToken");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(quotas, "quotas");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(blobs, "blobs");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(console, "console");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(logFormat, "logFormat");
    endpoints = List.copyOf(endpoints);
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
    }
    if (adminToken.isPresent()
        && (adminToken.get().isBlank() || adminToken.get().chars().anyMatch(c -> c <= ' '))) {
      throw new IllegalArgumentException("the admin token must be non-empty, without whitespace");
    }
  }

  /**
   * The largest request body the server reads: room for a payload and metadata at their limits in
   * the worst JSON escaping (six bytes per byte), and the other fields. Larger bodies get 413. The
   * body is parsed as it streams in, never held whole.
   */
  public long maxRequestBytes() {
    return (limits.maxPayloadBytes() + (long) limits.maxMetadataBytes()) * WORST_ESCAPE
        + BODY_OVERHEAD_BYTES;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .host(host)
            .port(port)
            .dataDir(dataDir)
            .limits(limits)
            .json(json)
            .retention(retention)
            .clock(clock)
            .delivery(delivery)
            .topics(topics)
            .security(security)
            .quotas(quotas)
            .http(http)
            .sessions(sessions)
            .blobs(blobs)
            .health(health)
            .alerts(alerts)
            .console(console)
            .presence(presence)
            .metricsEnabled(metricsEnabled);
    b.logFormat(logFormat);
    adminToken.ifPresent(b::adminToken);
    storage.ifPresent(b::storage);
    redis.ifPresent(b::redis);
    b.spool(spool);
    endpoints.forEach(b::endpoint);
    return b;
  }

  @Override
  public String toString() {
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", adminToken="
        + (adminToken.isPresent() ? "<set>" : "<unset>")
        + ", limits="
        + limits
        + ", json="
        + json
        + ", retention="
        + retention
        + ", storage="
        + storage
            .map(s -> "<provided>")
            .orElse(redis.map(r -> "redis (namespace " + r.namespace() + ")").orElse("sqlite"))
        + ", delivery="
        + delivery
        + ", topics="
        + topics
        + ", security="
        + security
        + ", quotas="
        + quotas
        + ", http="
        + http
        + ", sessions="
        + sessions
        + ", health="
        + health
        + ", alerts="
        + alerts
        + ", console="
        + console
        + ", presence="
        + presence
        + ", metricsEnabled="
        + metricsEnabled
        + ", logFormat="
        + logFormat.wireName()
        + ", endpoints="
        + endpoints.size()
        + "]";
  }

  /** Builds a {@link ServerConfig}; every setting starts at its default. Not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private Path dataDir = DEFAULT_DATA_DIR;
    private Optional<String> adminToken = Optional.empty();
    private Limits limits = Limits.DEFAULTS;
    private JsonLimits json = JsonLimits.DEFAULTS;
    private RetentionPolicy retention = RetentionPolicy.DEFAULTS;
    private Optional<Storage> storage = Optional.empty();
    private InstantSource clock = InstantSource.system();
    private DeliverySettings delivery = DeliverySettings.DEFAULTS;
    private TopicPolicy topics = TopicPolicy.DEFAULTS;
    private Optional<RedisOptions> redis = Optional.empty();
    private Optional<Spool.Limits> spool = Optional.of(Spool.Limits.DEFAULTS);
    private SecuritySettings security = SecuritySettings.DEFAULTS;
    private AgentQuotas quotas = AgentQuotas.DEFAULTS;
    private HttpLimits http = HttpLimits.DEFAULTS;
    private SessionLimits sessions = SessionLimits.DEFAULTS;
    private BlobLimits blobs = BlobLimits.DEFAULTS;
    private HealthSettings health = HealthSettings.DEFAULTS;
    private AlertSettings alerts = AlertSettings.DEFAULTS;
    private ConsoleSettings console = ConsoleSettings.DEFAULTS;
    private Presence.Settings presence = Presence.Settings.DEFAULTS;
    private boolean metricsEnabled = true;
    private LogFormat logFormat = LogFormat.TEXT;
    private final List<ServletEndpoint.Factory> endpoints = new ArrayList<>();

    private Builder() {}

    /** How {@code mailroom serve} writes its console log (see {@link ServerConfig#logFormat()}). */
    public Builder logFormat(LogFormat logFormat) {
      this.logFormat = Objects.requireNonNull(logFormat, "logFormat");
      return this;
    }

    /** Adds an HTTP endpoint (see {@link ServerConfig#endpoints()}). */
    public Builder endpoint(ServletEndpoint.Factory endpoint) {
      endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    public Builder security(SecuritySettings security) {
      this.security = security;
      return this;
    }

    /** The per-agent caps (see {@link ServerConfig#quotas()}). */
    public Builder quotas(AgentQuotas quotas) {
      this.quotas = quotas;
      return this;
    }

    /** How many sessions endpoints hold (see {@link ServerConfig#sessions()}). */
    public Builder sessions(SessionLimits sessions) {
      this.sessions = sessions;
      return this;
    }

    /** The limits of uploads and attachments (see {@link ServerConfig#blobs()}). */
    public Builder blobs(BlobLimits blobs) {
      this.blobs = blobs;
      return this;
    }

    /** What the health checks hold the node to (see {@link ServerConfig#health()}). */
    public Builder health(HealthSettings health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** Whether and how the node evaluates alert rules (see {@link ServerConfig#alerts()}). */
    public Builder alerts(AlertSettings alerts) {
      this.alerts = Objects.requireNonNull(alerts, "alerts");
      return this;
    }

    /** How presence is kept (see {@link ServerConfig#presence()}). */
    public Builder presence(Presence.Settings presence) {
      this.presence = Objects.requireNonNull(presence, "presence");
      return this;
    }

    /** Whether the node serves the web console (see {@link ServerConfig#console()}). */
    public Builder console(ConsoleSettings console) {
      this.console = Objects.requireNonNull(console, "console");
      return this;
    }

    /** Whether the node keeps meters and serves {@code /metrics} (see {@link ServerConfig}). */
    public Builder metricsEnabled(boolean enabled) {
      this.metricsEnabled = enabled;
      return this;
    }

    /** The request deadlines and the largest page (see {@link ServerConfig#http()}). */
    public Builder http(HttpLimits http) {
      this.http = http;
      return this;
    }

    /** The spool's limits on Redis, or empty for none (see {@link ServerConfig#spool()}). */
    public Builder spool(Optional<Spool.Limits> spool) {
      this.spool = Objects.requireNonNull(spool, "spool");
      return this;
    }

    /** Run on Redis instead of the embedded store (see {@link ServerConfig#redis()}). */
    public Builder redis(RedisOptions redis) {
      this.redis = Optional.of(redis);
      return this;
    }

    public Builder delivery(DeliverySettings delivery) {
      this.delivery = delivery;
      return this;
    }

    public Builder topics(TopicPolicy topics) {
      this.topics = topics;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The bootstrap admin's token (see {@link ServerConfig#adminToken()}). */
    public Builder adminToken(String adminToken) {
      this.adminToken = Optional.of(adminToken);
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    public Builder json(JsonLimits json) {
      this.json = json;
      return this;
    }

    public Builder retention(RetentionPolicy retention) {
      this.retention = retention;
      return this;
    }

    /** A store to use instead of the embedded one; the server will close it. */
    public Builder storage(Storage storage) {
      this.storage = Optional.of(storage);
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a setting is invalid
     */
    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          dataDir,
          adminToken,
          limits,
          json,
          retention,
          storage,
          clock,
          delivery,
          topics,
          redis,
          spool,
          security,
          quotas,
          http,
          sessions,
          blobs,
          health,
          alerts,
          console,
          presence,
          metricsEnabled,
          logFormat,
          endpoints);
    }
  }
}
