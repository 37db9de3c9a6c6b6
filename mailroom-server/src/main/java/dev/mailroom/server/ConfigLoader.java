package dev.mailroom.server;

import dev.mailroom.core.Limits;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.core.delivery.AgentQuotas;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.server.stream.Presence;
import dev.mailroom.store.redis.RedisOptions;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Loads a {@link ServerConfig} from command-line flags, environment variables and a properties
 * file, in that order of precedence, over the documented defaults. This is the only place in
 * Mailroom that looks at the environment; callers pass it in.
 *
 * <p>Every setting has a kebab-case key such as {@code mailroom.retention.message-ttl}; its
 * environment variable is the key in upper case with dots and dashes as underscores ({@code
 * MAILROOM_RETENTION_MESSAGE_TTL}); its flag is the key without the {@code mailroom.} prefix
 * ({@code retention.message-ttl}, given as {@code --retention.message-ttl} on a command line; the
 * common ones have short forms such as {@code --port}). The file is a Java properties file of keys.
 * {@code docs/CONFIGURATION.md} lists every setting.
 *
 * <p>Unknown keys in flags or in the file are refused (they are usually typos); unknown {@code
 * MAILROOM_*} environment variables are ignored, since launchers use some of their own.
 */
public final class ConfigLoader {
  /** The environment variable naming a config file when no file is given. */
  public static final String CONFIG_FILE_ENV = "MAILROOM_CONFIG";

  private static final String PREFIX = "mailroom.";

  /** One setting: its key without the prefix and how a value of it is applied. */
  private record Setting(String name, Applier apply) {
    String key() {
      return PREFIX + name;
    }

    String env() {
      return "MAILROOM_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
  }

  @FunctionalInterface
  private interface Applier {
    void apply(Draft draft, String value);
  }

  /** The settings gathered so far, still unvalidated as a whole. */
  private static final class Draft {
    final ServerConfig.Builder builder = ServerConfig.builder();
    int maxPayloadBytes = Limits.DEFAULT_MAX_PAYLOAD_BYTES;
    int maxMetadataBytes = Limits.DEFAULT_MAX_METADATA_BYTES;
    int maxTags = Limits.DEFAULT_MAX_TAGS;
    int jsonMaxDepth = JsonLimits.DEFAULT_MAX_DEPTH;
    int jsonMaxNumberLength = JsonLimits.DEFAULT_MAX_NUMBER_LENGTH;
    Duration messageTtl = Limits.DEFAULT_TTL;
    Duration maxMessageTtl = Limits.DEFAULT_MAX_TTL;
    int maxInboxSize = RetentionPolicy.DEFAULT_MAX_INBOX_SIZE;
    Duration readState = RetentionPolicy.DEFAULT_READ_STATE_RETENTION;
    Duration dedupeWindow = RetentionPolicy.DEFAULT_DEDUPE_WINDOW;
    Duration cleanupInterval = RetentionPolicy.DEFAULT_CLEANUP_INTERVAL;
    DeliverySettings delivery = DeliverySettings.DEFAULTS;
    Duration retryBase = delivery.retryBase();
    double retryFactor = delivery.retryFactor();
    Duration retryMax = delivery.retryMax();
    double retryJitter = delivery.jitter();
    int maxAttempts = delivery.maxAttempts();
    Duration heartbeat = delivery.heartbeat();
    int maxInFlight = delivery.maxInFlight();
    Duration writeTimeout = delivery.writeTimeout();
    TopicPolicy topics = TopicPolicy.DEFAULTS;
    boolean topicAutoCreate = topics.autoCreate();
    Duration topicCleanupInterval = topics.cleanupInterval();
    Duration topicCleanupAfter = topics.cleanupAfter();
    int topicMaxSubscribers = topics.maxSubscribers();
    String redisUrl = "";
    String redisNamespace = RedisOptions.DEFAULT_NAMESPACE;
    Duration redisTimeout = RedisOptions.DEFAULT_COMMAND_TIMEOUT;
    int redisWaitReplicas = 0;
    Duration redisWaitTimeout = RedisOptions.DEFAULT_WAIT_TIMEOUT;
    int redisShards = RedisOptions.DEFAULT_SHARDS;
    boolean redisSpool = true;
    long spoolMaxMessages = Spool.Limits.DEFAULTS.maxEntries();
    long spoolMaxBytes = Spool.Limits.DEFAULTS.maxBytes();
    long maxBlobBytes = BlobLimits.DEFAULT_MAX_BLOB_BYTES;
    long redisBlobMaxBytes = RedisOptions.DEFAULT_MAX_BLOB_BYTES;
    long blobQuotaBytes = BlobLimits.DEFAULT_QUOTA_BYTES;
    int maxAttachments = BlobLimits.DEFAULT_MAX_ATTACHMENTS;
    long partSize = BlobLimits.DEFAULT_PART_SIZE;
    Duration uploadTtl = BlobLimits.DEFAULT_UPLOAD_TTL;
    Duration blobGrace = BlobLimits.DEFAULT_GRACE;
    Duration tokenTtl = Duration.ZERO;
    int agentRate = 0;
    int agentBurst = -1;
    int authFailuresPerMinute = SecuritySettings.DEFAULT_AUTH_FAILURES_PER_MINUTE;
    int authFailureBurst = SecuritySettings.DEFAULT_AUTH_FAILURE_BURST;
    Duration auditRetention = SecuritySettings.DEFAULT_AUDIT_RETENTION;
    int auditQueueSize = SecuritySettings.DEFAULT_AUDIT_QUEUE_SIZE;
    String tlsKeyStore = "";
    String tlsPassword = "";
    String tlsType = "PKCS12";
    int maxSubscriptions = AgentQuotas.DEFAULT_MAX_SUBSCRIPTIONS;
    int maxTopics = AgentQuotas.DEFAULT_MAX_TOPICS;
    int maxPageSize = HttpLimits.DEFAULT_MAX_PAGE_SIZE;
    Duration headerTimeout = HttpLimits.DEFAULT_HEADER_TIMEOUT;
    Duration bodyTimeout = HttpLimits.DEFAULT_BODY_TIMEOUT;
    int mcpSessionsPerAgent = SessionLimits.DEFAULT_PER_AGENT;
    int mcpSessions = SessionLimits.DEFAULT_TOTAL;
    long diskFreeFloorBytes = HealthSettings.DEFAULT_DISK_FREE_FLOOR_BYTES;
    boolean alertsEnabled = true;
    Duration alertsInterval = AlertSettings.DEFAULT_INTERVAL;
    String alertRulesFile = "";
    boolean consoleEnabled = true;
    Duration consoleSessionTtl = ConsoleSettings.DEFAULT_SESSION_TTL;
    Duration presenceRefresh = Presence.Settings.DEFAULT_REFRESH;
    Duration presenceLapse = Presence.Settings.DEFAULT_LAPSE;
    Duration presenceSeenEvery = Presence.Settings.DEFAULT_SEEN_EVERY;
  }

  private static final List<Setting> SETTINGS =
      List.of(
          new Setting("host", (d, v) -> d.builder.host(v.strip())),
          new Setting("port", (d, v) -> d.builder.port(ConfigValues.integer(v, 0, 65_535))),
          new Setting("data-dir", (d, v) -> d.builder.dataDir(Path.of(v.strip()))),
          new Setting("admin-token", (d, v) -> d.builder.adminToken(v.strip())),
          new Setting("log.format", (d, v) -> d.builder.logFormat(LogFormat.parse(v))),
          new Setting("redis-url", (d, v) -> d.redisUrl = v.strip()),
          new Setting("redis.namespace", (d, v) -> d.redisNamespace = v.strip()),
          new Setting("redis.command-timeout", (d, v) -> d.redisTimeout = ConfigValues.duration(v)),
          new Setting(
              "redis.wait-replicas",
              (d, v) -> d.redisWaitReplicas = ConfigValues.integer(v, 0, 100)),
          new Setting(
              "redis.wait-timeout", (d, v) -> d.redisWaitTimeout = ConfigValues.duration(v)),
          new Setting("redis.shards", (d, v) -> d.redisShards = ConfigValues.integer(v, 1, 256)),
          new Setting("redis.spool", (d, v) -> d.redisSpool = ConfigValues.bool(v)),
          new Setting(
              "redis.spool-max-messages",
              (d, v) -> d.spoolMaxMessages = ConfigValues.integer(v, 1, Integer.MAX_VALUE)),
          new Setting("redis.blob-max-bytes", (d, v) -> d.redisBlobMaxBytes = ConfigValues.size(v)),
          new Setting("redis.spool-max-bytes", (d, v) -> d.spoolMaxBytes = ConfigValues.size(v)),
          new Setting(
              "limits.max-payload-bytes", (d, v) -> d.maxPayloadBytes = ConfigValues.size(v)),
          new Setting(
              "limits.max-metadata-bytes", (d, v) -> d.maxMetadataBytes = ConfigValues.size(v)),
          new Setting("limits.max-tags", (d, v) -> d.maxTags = ConfigValues.integer(v, 0, 1_000)),
          new Setting(
              "limits.json-max-depth",
              (d, v) ->
                  d.jsonMaxDepth =
                      ConfigValues.integer(v, JsonLimits.MIN_DEPTH, JsonLimits.MAX_DEPTH)),
          new Setting(
              "limits.json-max-number-length",
              (d, v) ->
                  d.jsonMaxNumberLength =
                      ConfigValues.integer(
                          v, JsonLimits.MIN_NUMBER_LENGTH, JsonLimits.MAX_NUMBER_LENGTH)),
          new Setting(
              "limits.max-subscriptions-per-agent",
              (d, v) -> d.maxSubscriptions = ConfigValues.integer(v, 1, Integer.MAX_VALUE)),
          new Setting(
              "limits.max-topics-per-agent",
              (d, v) -> d.maxTopics = ConfigValues.integer(v, 1, Integer.MAX_VALUE)),
          new Setting(
              "limits.max-page-size",
              (d, v) ->
                  d.maxPageSize = ConfigValues.integer(v, 1, HttpLimits.DEFAULT_MAX_PAGE_SIZE)),
          new Setting(
              "mcp.max-sessions-per-agent",
              (d, v) -> d.mcpSessionsPerAgent = ConfigValues.integer(v, 1, 1_000_000)),
          new Setting(
              "mcp.max-sessions", (d, v) -> d.mcpSessions = ConfigValues.integer(v, 1, 10_000_000)),
          new Setting("blobs.max-blob-bytes", (d, v) -> d.maxBlobBytes = ConfigValues.size(v)),
          new Setting("blobs.quota-bytes", (d, v) -> d.blobQuotaBytes = ConfigValues.size(v)),
          new Setting(
              "blobs.max-attachments",
              (d, v) -> d.maxAttachments = ConfigValues.integer(v, 0, 10_000)),
          new Setting("blobs.part-size", (d, v) -> d.partSize = ConfigValues.size(v)),
          new Setting("blobs.upload-ttl", (d, v) -> d.uploadTtl = ConfigValues.duration(v)),
          new Setting("blobs.grace", (d, v) -> d.blobGrace = ConfigValues.duration(v)),
          new Setting(
              "health.disk-free-floor-bytes",
              (d, v) -> d.diskFreeFloorBytes = ConfigValues.bytes(v)),
          new Setting("metrics.enabled", (d, v) -> d.builder.metricsEnabled(ConfigValues.bool(v))),
          new Setting("alerts.enabled", (d, v) -> d.alertsEnabled = ConfigValues.bool(v)),
          new Setting("alerts.interval", (d, v) -> d.alertsInterval = ConfigValues.duration(v)),
          new Setting("alerts.rules-file", (d, v) -> d.alertRulesFile = v.strip()),
          new Setting("console.enabled", (d, v) -> d.consoleEnabled = ConfigValues.bool(v)),
          new Setting(
              "console.session-ttl", (d, v) -> d.consoleSessionTtl = ConfigValues.duration(v)),
          new Setting("presence.refresh", (d, v) -> d.presenceRefresh = ConfigValues.duration(v)),
          new Setting("presence.lapse", (d, v) -> d.presenceLapse = ConfigValues.duration(v)),
          new Setting(
              "presence.seen-every", (d, v) -> d.presenceSeenEvery = ConfigValues.duration(v)),
          new Setting("http.header-timeout", (d, v) -> d.headerTimeout = ConfigValues.duration(v)),
          new Setting("http.body-timeout", (d, v) -> d.bodyTimeout = ConfigValues.duration(v)),
          new Setting("retention.message-ttl", (d, v) -> d.messageTtl = ConfigValues.duration(v)),
          new Setting(
              "retention.max-message-ttl", (d, v) -> d.maxMessageTtl = ConfigValues.duration(v)),
          new Setting(
              "retention.max-inbox-size",
              (d, v) -> d.maxInboxSize = ConfigValues.integer(v, 1, Integer.MAX_VALUE)),
          new Setting("retention.read-state", (d, v) -> d.readState = ConfigValues.duration(v)),
          new Setting(
              "retention.dedupe-window", (d, v) -> d.dedupeWindow = ConfigValues.duration(v)),
          new Setting(
              "retention.cleanup-interval", (d, v) -> d.cleanupInterval = ConfigValues.duration(v)),
          new Setting("delivery.retry-base", (d, v) -> d.retryBase = ConfigValues.duration(v)),
          new Setting(
              "delivery.retry-factor", (d, v) -> d.retryFactor = ConfigValues.decimal(v, 1, 100)),
          new Setting("delivery.retry-max", (d, v) -> d.retryMax = ConfigValues.duration(v)),
          new Setting(
              "delivery.retry-jitter", (d, v) -> d.retryJitter = ConfigValues.decimal(v, 0, 0.99)),
          new Setting(
              "delivery.max-attempts", (d, v) -> d.maxAttempts = ConfigValues.integer(v, 1, 1_000)),
          new Setting("delivery.heartbeat", (d, v) -> d.heartbeat = ConfigValues.duration(v)),
          new Setting(
              "delivery.max-in-flight",
              (d, v) -> d.maxInFlight = ConfigValues.integer(v, 1, 100_000)),
          new Setting(
              "delivery.write-timeout", (d, v) -> d.writeTimeout = ConfigValues.duration(v)),
          new Setting("topics.auto-create", (d, v) -> d.topicAutoCreate = ConfigValues.bool(v)),
          new Setting(
              "topics.cleanup-interval",
              (d, v) -> d.topicCleanupInterval = ConfigValues.duration(v)),
          new Setting(
              "topics.cleanup-after", (d, v) -> d.topicCleanupAfter = ConfigValues.duration(v)),
          new Setting(
              "topics.max-subscribers",
              (d, v) -> d.topicMaxSubscribers = ConfigValues.integer(v, 1, Integer.MAX_VALUE)),
          new Setting("auth.token-ttl", (d, v) -> d.tokenTtl = ConfigValues.duration(v)),
          new Setting(
              "rate-limit.requests-per-second",
              (d, v) -> d.agentRate = ConfigValues.integer(v, 0, 1_000_000)),
          new Setting(
              "rate-limit.burst", (d, v) -> d.agentBurst = ConfigValues.integer(v, 1, 10_000_000)),
          new Setting(
              "rate-limit.auth-failures-per-minute",
              (d, v) -> d.authFailuresPerMinute = ConfigValues.integer(v, 0, 1_000_000)),
          new Setting(
              "rate-limit.auth-failure-burst",
              (d, v) -> d.authFailureBurst = ConfigValues.integer(v, 1, 1_000_000)),
          new Setting("audit.retention", (d, v) -> d.auditRetention = ConfigValues.duration(v)),
          new Setting(
              "audit.queue-size",
              (d, v) -> d.auditQueueSize = ConfigValues.integer(v, 1, 10_000_000)),
          new Setting("tls.key-store", (d, v) -> d.tlsKeyStore = v.strip()),
          new Setting("tls.key-store-password", (d, v) -> d.tlsPassword = v),
          new Setting("tls.key-store-type", (d, v) -> d.tlsType = v.strip()));

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param flags settings from the command line, keyed by setting name with or without the {@code
   *     mailroom.} prefix or leading dashes ({@code port}, {@code --data-dir}, {@code
   *     mailroom.retention.message-ttl})
   * @param env the process environment (pass {@code System.getenv()})
   * @param configFile a properties file; when empty, the file named by {@code MAILROOM_CONFIG}, if
   *     set
   * @throws IllegalArgumentException naming the key, its source and the problem, if a setting is
   *     unknown or invalid or the file cannot be read
   */
  public static ServerConfig load(
      Map<String, String> flags, Map<String, String> env, Optional<Path> configFile) {
    Map<String, Setting> byName = new LinkedHashMap<>();
    SETTINGS.forEach(s -> byName.put(s.name(), s));

    Map<String, Sourced> values = new LinkedHashMap<>();
    Optional<Path> file =
        configFile.or(
            () ->
                Optional.ofNullable(env.get(CONFIG_FILE_ENV))
                    .filter(s -> !s.isBlank())
                    .map(Path::of));
    if (file.isPresent()) {
      Properties props = readProperties(file.get());
      for (String key : new TreeSet<>(props.stringPropertyNames())) {
        String name = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        if (!byName.containsKey(name)) {
          throw new IllegalArgumentException(
              "unknown setting '" + key + "' in " + file.get() + knownKeysHint());
        }
        values.put(name, new Sourced(props.getProperty(key), "config file " + file.get()));
      }
    }
    for (Setting s : SETTINGS) {
      String v = env.get(s.env());
      if (v != null && !v.isBlank()) { // an empty variable counts as unset
        values.put(s.name(), new Sourced(v, "environment variable " + s.env()));
      }
    }
    for (Map.Entry<String, String> flag : flags.entrySet()) {
      String name = flagName(flag.getKey());
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown setting '" + flag.getKey() + "'" + knownKeysHint());
      }
      values.put(name, new Sourced(flag.getValue(), "flag --" + name));
    }

    Draft draft = new Draft();
    for (Map.Entry<String, Sourced> e : values.entrySet()) {
      Setting s = byName.get(e.getKey());
      Sourced v = e.getValue();
      try {
        s.apply().apply(draft, v.value());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "invalid " + s.key() + " (from " + v.source() + "): " + ex.getMessage(), ex);
      }
    }
    return build(draft);
  }

  private static ServerConfig build(Draft d) {
    Limits limits =
        wrap(
            "limits",
            () ->
                new Limits(
                    d.maxPayloadBytes,
                    d.maxMetadataBytes,
                    d.maxTags,
                    d.messageTtl,
                    d.maxMessageTtl));
    JsonLimits json = wrap("limits", () -> new JsonLimits(d.jsonMaxDepth, d.jsonMaxNumberLength));
    RetentionPolicy retention =
        wrap(
            "retention",
            () ->
                new RetentionPolicy(
                    d.maxInboxSize, d.readState, d.dedupeWindow, d.cleanupInterval));
    DeliverySettings delivery =
        wrap(
            "delivery",
            () ->
                new DeliverySettings(
                    d.retryBase,
                    d.retryFactor,
                    d.retryMax,
                    d.retryJitter,
                    d.maxAttempts,
                    d.heartbeat,
                    d.maxInFlight,
                    d.writeTimeout));
    TopicPolicy topics =
        wrap(
            "topics",
            () ->
                new TopicPolicy(
                    d.topicAutoCreate,
                    d.topicCleanupInterval,
                    d.topicCleanupAfter,
                    d.topicMaxSubscribers));
    if (!d.redisUrl.isEmpty()) {
      d.builder.redis(
          wrap(
              "redis",
              () ->
                  new RedisOptions(
                      d.redisUrl,
                      d.redisNamespace,
                      d.redisTimeout,
                      d.redisWaitReplicas,
                      d.redisWaitTimeout,
                      d.redisShards,
                      d.redisBlobMaxBytes)));
    }
    d.builder.spool(
        d.redisSpool
            ? Optional.of(
                wrap("redis", () -> new Spool.Limits(d.spoolMaxMessages, d.spoolMaxBytes)))
            : Optional.empty());
    SecuritySettings security = wrap("security", () -> security(d));
    AgentQuotas quotas = wrap("limits", () -> new AgentQuotas(d.maxSubscriptions, d.maxTopics));
    HttpLimits http =
        wrap("http", () -> new HttpLimits(d.headerTimeout, d.bodyTimeout, d.maxPageSize));
    SessionLimits sessions =
        wrap("mcp", () -> new SessionLimits(d.mcpSessionsPerAgent, d.mcpSessions));
    HealthSettings health = wrap("health", () -> new HealthSettings(d.diskFreeFloorBytes));
    AlertSettings alerts =
        wrap(
            "alerts",
            () ->
                new AlertSettings(
                    d.alertsEnabled,
                    d.alertsInterval,
                    d.alertRulesFile.isEmpty()
                        ? AlertRule.DEFAULTS
                        : AlertRulesFile.read(Path.of(d.alertRulesFile))));
    ConsoleSettings console =
        wrap("console", () -> new ConsoleSettings(d.consoleEnabled, d.consoleSessionTtl));
    Presence.Settings presence =
        wrap(
            "presence",
            () -> new Presence.Settings(d.presenceRefresh, d.presenceLapse, d.presenceSeenEvery));
    BlobLimits blobs =
        wrap(
            "blobs",
            () ->
                new BlobLimits(
                    d.maxBlobBytes,
                    d.blobQuotaBytes,
                    d.maxAttachments,
                    (int) Math.min(d.partSize, Integer.MAX_VALUE),
                    d.uploadTtl,
                    d.blobGrace));
    return wrap(
        "server",
        () ->
            d.builder
                .security(security)
                .quotas(quotas)
                .http(http)
                .sessions(sessions)
                .blobs(blobs)
                .health(health)
                .alerts(alerts)
                .console(console)
                .presence(presence)
                .limits(limits)
                .json(json)
                .retention(retention)
                .delivery(delivery)
                .topics(topics)
                .build());
  }

  private static SecuritySettings security(Draft d) {
    Optional<SecuritySettings.Tls> tls =
        d.tlsKeyStore.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new SecuritySettings.Tls(Path.of(d.tlsKeyStore), d.tlsPassword, d.tlsType));
    return new SecuritySettings(
        d.tokenTtl.isZero() ? Optional.empty() : Optional.of(d.tokenTtl),
        d.agentRate,
        d.agentBurst < 0 ? 2 * d.agentRate : d.agentBurst, // 0 without a rate, as DEFAULTS
        d.authFailuresPerMinute,
        d.authFailureBurst,
        d.auditRetention,
        d.auditQueueSize,
        tls);
  }

  private static <T> T wrap(String what, Supplier<T> factory) {
    try {
      return factory.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid " + what + " settings: " + e.getMessage(), e);
    }
  }

  private record Sourced(String value, String source) {}

  private static String flagName(String flag) {
    String name = flag;
    while (name.startsWith("-")) {
      name = name.substring(1);
    }
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  private static String knownKeysHint() {
    List<String> keys = new ArrayList<>();
    SETTINGS.forEach(s -> keys.add(s.key()));
    return "; known settings: " + String.join(", ", keys);
  }

  private static Properties readProperties(Path file) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read config file " + file + ": " + e.getMessage(), e);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "config file " + file + " is not a valid properties file: " + e.getMessage(), e);
    }
    return props;
  }
}
