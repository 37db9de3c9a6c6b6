package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.Limits;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.AgentQuotas;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.store.redis.RedisOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static ServerConfig load(Map<String, String> flags, Map<String, String> env) {
    return ConfigLoader.load(flags, env, Optional.empty());
  }

  @Nested
  class Defaults {
    @Test
    void everySettingHasItsDocumentedDefault() {
      ServerConfig c = load(Map.of(), Map.of());

      assertThat(c.host()).isEqualTo("127.0.0.1");
      assertThat(c.port()).isEqualTo(8080);
      assertThat(c.dataDir()).isEqualTo(Path.of("mailroom-data").toAbsolutePath());
      assertThat(c.adminToken()).isEmpty();
      assertThat(c.limits()).isEqualTo(Limits.DEFAULTS);
      assertThat(c.json()).isEqualTo(new JsonLimits(64, 1000));
      assertThat(c.retention()).isEqualTo(RetentionPolicy.DEFAULTS);
      assertThat(c.storage()).isEmpty();
      assertThat(c.redis()).isEmpty();
      assertThat(c.quotas()).isEqualTo(new AgentQuotas(1_000, 10_000));
      assertThat(c.http())
          .isEqualTo(new HttpLimits(Duration.ofSeconds(20), Duration.ofSeconds(60), 1_000));
      assertThat(c.sessions()).isEqualTo(new SessionLimits(16, 10_000));
      assertThat(c.health()).isEqualTo(new HealthSettings(256L * 1024 * 1024));
    }

    @Test
    void theDiskFloorIsASizeBeyond2GiBAndZeroTurnsItOff() {
      assertThat(
              load(Map.of(), Map.of("MAILROOM_HEALTH_DISK_FREE_FLOOR_BYTES", "10GiB"))
                  .health()
                  .diskFreeFloorBytes())
          .isEqualTo(10L * 1024 * 1024 * 1024);
      assertThat(load(Map.of("health.disk-free-floor-bytes", "0"), Map.of()).health())
          .isEqualTo(new HealthSettings(0));
    }

    @Test
    void aBadDiskFloorIsRefusedNamingItsKey() {
      for (String bad : new String[] {"-1", "lots", "1.5GiB", "99999999999999999999"}) {
        assertThatThrownBy(() -> load(Map.of("health.disk-free-floor-bytes", bad), Map.of()))
            .as(bad)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("mailroom.health.disk-free-floor-bytes")
            .hasMessageContaining(bad);
      }
    }

    @Test
    void theMcpSessionLimitsAreSettings() {
      ServerConfig c =
          load(
              Map.of("mcp.max-sessions-per-agent", "3"), Map.of("MAILROOM_MCP_MAX_SESSIONS", "50"));

      assertThat(c.sessions()).isEqualTo(new SessionLimits(3, 50));
      assertThatThrownBy(
              () ->
                  load(
                      Map.of("mcp.max-sessions-per-agent", "10", "mcp.max-sessions", "5"),
                      Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mcp");
    }

    @Test
    void theCapsDeadlinesAndPageSizeAreSettings() {
      ServerConfig c =
          load(
              Map.of("limits.max-subscriptions-per-agent", "5", "http.body-timeout", "2m"),
              Map.of(
                  "MAILROOM_LIMITS_MAX_TOPICS_PER_AGENT", "7",
                  "MAILROOM_LIMITS_MAX_PAGE_SIZE", "200",
                  "MAILROOM_HTTP_HEADER_TIMEOUT", "5s"));

      assertThat(c.quotas()).isEqualTo(new AgentQuotas(5, 7));
      assertThat(c.http())
          .isEqualTo(new HttpLimits(Duration.ofSeconds(5), Duration.ofMinutes(2), 200));
    }

    @Test
    void aPageLargerThanTheListingsAllowIsRefused() {
      assertThatThrownBy(() -> load(Map.of("limits.max-page-size", "1001"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mailroom.limits.max-page-size");
      assertThatThrownBy(() -> load(Map.of("limits.max-subscriptions-per-agent", "0"), Map.of()))
          .hasMessageContaining("mailroom.limits.max-subscriptions-per-agent");
    }

    @Test
    void theRequestSizeLimitLeavesRoomForAFullyEscapedPayloadAtTheLimit() {
      ServerConfig c = load(Map.of(), Map.of());

      assertThat(c.maxRequestBytes()).isGreaterThan(Limits.DEFAULT_MAX_PAYLOAD_BYTES * 6L);
    }
  }

  @Nested
  class Redis {
    @Test
    void theSpecsEnvironmentVariableSelectsRedisWithItsDefaults() {
      ServerConfig c = load(Map.of(), Map.of("MAILROOM_REDIS_URL", "redis://10.0.0.5:6380"));

      assertThat(c.redis()).contains(RedisOptions.of("redis://10.0.0.5:6380"));
    }

    @Test
    void namespaceTimeoutAndReplicaWaitsAreSettings() {
      ServerConfig c =
          load(
              Map.of(
                  "--redis-url", "redis://h:1",
                  "redis.namespace", "team-a",
                  "redis.command-timeout", "2s",
                  "redis.wait-replicas", "1",
                  "redis.wait-timeout", "250ms"),
              Map.of());

      assertThat(c.redis())
          .contains(
              new RedisOptions(
                  "redis://h:1", "team-a", Duration.ofSeconds(2), 1, Duration.ofMillis(250)));
    }

    @Test
    void aBadNamespaceNamesTheRedisSettings() {
      assertThatThrownBy(
              () -> load(Map.of("redis-url", "redis://h:1", "redis.namespace", "a b"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid redis settings")
          .hasMessageContaining("namespace");
    }

    @Test
    void redisSettingsWithoutAUrlLeaveTheEmbeddedStore() {
      assertThat(load(Map.of("redis.namespace", "x"), Map.of()).redis()).isEmpty();
    }
  }

  @Nested
  class Precedence {
    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile() throws IOException {
      Path file =
          write(
              "mailroom.port=1111\n"
                  + "mailroom.host=10.0.0.1\n"
                  + "mailroom.data-dir=/from/file\n"
                  + "mailroom.retention.message-ttl=1d\n");
      Map<String, String> env =
          Map.of("MAILROOM_PORT", "2222", "MAILROOM_HOST", "10.0.0.2", "MAILROOM_CONFIG", "x");
      Map<String, String> flags = Map.of("port", "3333");

      ServerConfig c = ConfigLoader.load(flags, env, Optional.of(file));

      assertThat(c.port()).isEqualTo(3333);
      assertThat(c.host()).isEqualTo("10.0.0.2");
      assertThat(c.dataDir()).isEqualTo(Path.of("/from/file"));
      assertThat(c.limits().defaultTtl()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void theConfigFileMayBeNamedByTheEnvironment() throws IOException {
      Path file = write("mailroom.retention.max-inbox-size=42\n");

      ServerConfig c = load(Map.of(), Map.of("MAILROOM_CONFIG", file.toString()));

      assertThat(c.retention().maxInboxSize()).isEqualTo(42);
    }

    @Test
    void flagsMayBeWrittenWithDashesOrThePrefix() {
      ServerConfig c =
          load(
              Map.of(
                  "--data-dir", "/d",
                  "mailroom.retention.dedupe-window", "2h",
                  "limits.max-tags", "3"),
              Map.of());

      assertThat(c.dataDir()).isEqualTo(Path.of("/d"));
      assertThat(c.retention().dedupeWindow()).isEqualTo(Duration.ofHours(2));
      assertThat(c.limits().maxTags()).isEqualTo(3);
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsUnset() {
      ServerConfig c = load(Map.of(), Map.of("MAILROOM_ADMIN_TOKEN", "", "MAILROOM_PORT", " "));

      assertThat(c.adminToken()).isEmpty();
      assertThat(c.port()).isEqualTo(8080);
    }

    @Test
    void theAdminTokenComesFromTheEnvironment() {
      ServerConfig c = load(Map.of(), Map.of("MAILROOM_ADMIN_TOKEN", "mr_secret"));

      assertThat(c.adminToken()).contains("mr_secret");
      assertThat(c.toString()).doesNotContain("mr_secret");
    }

    @Test
    void unknownEnvironmentVariablesAreIgnored() {
      ServerConfig c = load(Map.of(), Map.of("MAILROOM_JAVA_OPTS", "-Xmx1g", "HOME", "/root"));

      assertThat(c.port()).isEqualTo(8080);
    }
  }

  @Nested
  class Parsing {
    @Test
    void everyEnvironmentVariableFollowsTheKey() {
      ServerConfig c =
          load(
              Map.of(),
              Map.of(
                  "MAILROOM_LIMITS_MAX_PAYLOAD_BYTES", "2MiB",
                  "MAILROOM_LIMITS_MAX_METADATA_BYTES", "1024",
                  "MAILROOM_RETENTION_MESSAGE_TTL", "PT1H",
                  "MAILROOM_RETENTION_MAX_MESSAGE_TTL", "30d",
                  "MAILROOM_RETENTION_READ_STATE", "7d",
                  "MAILROOM_RETENTION_CLEANUP_INTERVAL", "30s"));

      assertThat(c.limits().maxPayloadBytes()).isEqualTo(2 * 1024 * 1024);
      assertThat(c.limits().maxMetadataBytes()).isEqualTo(1024);
      assertThat(c.limits().defaultTtl()).isEqualTo(Duration.ofHours(1));
      assertThat(c.limits().maxTtl()).isEqualTo(Duration.ofDays(30));
      assertThat(c.retention().readStateRetention()).isEqualTo(Duration.ofDays(7));
      assertThat(c.retention().cleanupInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aBadValueIsReportedWithItsKeyAndSource() {
      assertThatThrownBy(() -> load(Map.of(), Map.of("MAILROOM_RETENTION_MESSAGE_TTL", "soon")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mailroom.retention.message-ttl")
          .hasMessageContaining("MAILROOM_RETENTION_MESSAGE_TTL")
          .hasMessageContaining("soon");
    }

    @Test
    void aPortOutOfRangeIsRefused() {
      assertThatThrownBy(() -> load(Map.of("port", "70000"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mailroom.port")
          .hasMessageContaining("flag --port");
    }

    @Test
    void theJsonLimitsAreSettingsWithinTheRangeClientsRead() {
      ServerConfig c =
          load(
              Map.of("limits.json-max-depth", "1000"),
              Map.of("MAILROOM_LIMITS_JSON_MAX_NUMBER_LENGTH", "32"));
      assertThat(c.json()).isEqualTo(new JsonLimits(1000, 32));

      assertThatThrownBy(() -> load(Map.of("limits.json-max-depth", "1001"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mailroom.limits.json-max-depth")
          .hasMessageContaining("1000");
      assertThatThrownBy(
              () -> load(Map.of(), Map.of("MAILROOM_LIMITS_JSON_MAX_NUMBER_LENGTH", "10001")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("MAILROOM_LIMITS_JSON_MAX_NUMBER_LENGTH");
      assertThatThrownBy(() -> load(Map.of("limits.json-max-depth", "15"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("16");
    }

    @Test
    void inconsistentLimitsAreRefused() {
      assertThatThrownBy(
              () ->
                  load(
                      Map.of("retention.message-ttl", "30d", "retention.max-message-ttl", "1d"),
                      Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("limits");
    }

    @Test
    void anUnknownFlagIsRefused() {
      assertThatThrownBy(() -> load(Map.of("prot", "1"), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prot")
          .hasMessageContaining("mailroom.port");
    }

    @Test
    void anUnknownKeyInTheFileIsRefused() throws IOException {
      Path file = write("mailroom.retention.messag-ttl=1d\n");

      assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mailroom.retention.messag-ttl");
    }

    @Test
    void aMissingConfigFileIsReported() {
      Path missing = dir.resolve("nope.properties");

      assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(missing)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not exist");
    }
  }

  @Nested
  class LogFormats {
    @Test
    void theLogFormatIsTextUnlessFlagEnvironmentOrFileSayJsonInAnyCase() throws IOException {
      assertThat(load(Map.of(), Map.of()).logFormat()).isEqualTo(LogFormat.TEXT);
      assertThat(load(Map.of("log.format", "JSON"), Map.of()).logFormat())
          .isEqualTo(LogFormat.JSON);
      assertThat(load(Map.of(), Map.of("MAILROOM_LOG_FORMAT", "json")).logFormat())
          .isEqualTo(LogFormat.JSON);
      Path file = write("mailroom.log.format=json\n");
      assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)).logFormat())
          .isEqualTo(LogFormat.JSON);
      assertThat(
              load(Map.of("log.format", "text"), Map.of("MAILROOM_LOG_FORMAT", "json")).logFormat())
          .isEqualTo(LogFormat.TEXT);
      assertThat(load(Map.of("log.format", "json"), Map.of()).toBuilder().build().logFormat())
          .isEqualTo(LogFormat.JSON);
    }

    @Test
    void anotherLogFormatIsRefusedNamingTheKeyAndWhereItCameFrom() {
      assertThatThrownBy(() -> load(Map.of(), Map.of("MAILROOM_LOG_FORMAT", "xml")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mailroom.log.format")
          .hasMessageContaining("MAILROOM_LOG_FORMAT")
          .hasMessageContaining("text or json");
    }
  }

  private Path write(String content) throws IOException {
    Path file = dir.resolve("mailroom.properties");
    Files.writeString(file, content);
    return file;
  }
}
