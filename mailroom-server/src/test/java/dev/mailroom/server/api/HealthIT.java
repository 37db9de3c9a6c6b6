package dev.mailroom.server.api;

import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.spool.Spool;
import dev.mailroom.server.HealthSettings;
import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The probes: {@code /health/live} answers whenever the server does, {@code /health/ready} only
 * while the store serves, the data directory's disk has its floor free and the spool has room; and
 * what {@code /health} shows of the disk, the heap and the uptime, and to whom.
 */
class HealthIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  /** The free-space floor of {@link #starved}: more than any disk holds, until a test lowers it. */
  private static final AtomicLong floor = new AtomicLong(Long.MAX_VALUE);

  /** A server whose disk floor is {@link #floor}, read at each start. */
  @RegisterExtension
  static final MailroomApi starved =
      new MailroomApi(b -> b.health(HealthSettings.DEFAULTS.withDiskFreeFloorBytes(floor.get())));

  @Test
  void liveAndReadyAnswer200OnAHealthyServer() {
    Response live = api.anonymous().get("/health/live");
    Response ready = api.anonymous().get("/health/ready");

    assertThat(live.status()).as("%s", live).isEqualTo(200);
    assertThat(live.mediaType()).isEqualTo("application/json");
    assertThat(live.json().propertyNames()).containsExactly("status");
    assertThat(Json.text(live.json(), "status")).isEqualTo("UP");
    assertThat(live.header("Cache-Control")).contains("no-store");

    assertThat(ready.status()).as("%s", ready).isEqualTo(200);
    assertThat(ready.header("Cache-Control")).contains("no-store");
    JsonNode components = ready.json().path("components");
    assertThat(Json.text(ready.json(), "status")).isEqualTo("UP");
    // The checks, without the report's informational components; on Redis the spool too.
    assertThat(components.propertyNames())
        .contains("store", "disk")
        .doesNotContain("jvm", "uptime");
    for (String name : components.propertyNames()) {
      assertThat(components.path(name).propertyNames()).as(name).containsExactly("status");
      assertThat(Json.text(components.path(name), "status")).as(name).isEqualTo("UP");
    }
  }

  @Test
  void readyShowsItsDetailsToAnAdminOnly() {
    Agent alice = api.newAgent("alice");

    JsonNode admin = api.admin().get("/health/ready").json().path("components");
    Response agent = api.as(alice).get("/health/ready");

    JsonNode disk = admin.path("disk");
    assertThat(Json.text(disk, "path")).isEqualTo(api.dataDir().toString());
    assertThat(disk.path("free_bytes").asLong()).isPositive();
    assertThat(disk.path("floor_bytes").asLong())
        .isEqualTo(HealthSettings.DEFAULT_DISK_FREE_FLOOR_BYTES);
    assertThat(admin.path("store").propertyNames()).contains("backend").hasSizeGreaterThan(2);
    assertThat(agent.status()).as("%s", agent).isEqualTo(200);
    assertThat(agent.json().path("components").path("disk").propertyNames())
        .containsExactly("status");
    assertThat(agent.body()).doesNotContain(api.dataDir().toString());
    assertThat(api.anonymous().withAuthorization("Bearer mr_wrong").get("/health/ready").status())
        .isEqualTo(401);
  }

  @Test
  void healthShowsTheHeapTheUptimeAndTheDiskButItsPathOnlyToAnAdmin() {
    Agent alice = api.newAgent("alice");

    Response anyone = api.anonymous().get("/health");
    Response agent = api.as(alice).get("/health");
    Response admin = api.admin().get("/health");

    assertThat(anyone.status()).as("%s", anyone).isEqualTo(200);
    JsonNode components = anyone.json().path("components");
    assertThat(components.propertyNames()).contains("store", "disk", "jvm", "uptime");
    JsonNode jvm = components.path("jvm");
    assertThat(Json.text(jvm, "status")).isEqualTo("UP");
    assertThat(jvm.path("heap_used_bytes").asLong()).isPositive();
    assertThat(jvm.path("heap_max_bytes").asLong())
        .isGreaterThanOrEqualTo(jvm.path("heap_used_bytes").asLong());
    JsonNode uptime = components.path("uptime");
    assertThat(Json.text(uptime, "status")).isEqualTo("UP");
    assertThat(uptime.path("seconds").isIntegralNumber()).as("%s", uptime).isTrue();
    assertThat(uptime.path("seconds").asLong()).isNotNegative();
    JsonNode disk = components.path("disk");
    assertThat(disk.propertyNames())
        .containsExactlyInAnyOrder("status", "free_bytes", "floor_bytes");
    assertThat(disk.path("free_bytes").asLong())
        .isGreaterThanOrEqualTo(disk.path("floor_bytes").asLong());
    assertThat(anyone.body()).doesNotContain(api.dataDir().toString(), "mailroom.db");
    assertThat(agent.body()).doesNotContain(api.dataDir().toString(), "mailroom.db");

    assertThat(Json.text(admin.json().path("components").path("disk"), "path"))
        .isEqualTo(api.dataDir().toString());
  }

  @Test
  void aDiskBelowTheFloorMakesTheNodeUnreadyButStillLive() {
    // Started with a floor above any disk's free space.
    Response ready = starved.anonymous().get("/health/ready");
    assertThat(ready.status()).as("%s", ready).isEqualTo(503);
    assertThat(ready.mediaType()).isEqualTo("application/json");
    assertThat(Json.text(ready.json(), "status")).isEqualTo("DOWN");
    assertThat(Json.text(ready.json().path("components").path("disk"), "status")).isEqualTo("DOWN");
    assertThat(Json.text(ready.json().path("components").path("store"), "status")).isEqualTo("UP");
    assertThat(starved.anonymous().get("/health/live").status()).isEqualTo(200);
    // The full report follows the store, as it always has, and shows the disk DOWN.
    Response health = starved.admin().get("/health");
    assertThat(health.status()).as("%s", health).isEqualTo(200);
    assertThat(Json.text(health.json(), "status")).isEqualTo("UP");
    JsonNode disk = health.json().path("components").path("disk");
    assertThat(Json.text(disk, "status")).isEqualTo("DOWN");
    assertThat(disk.path("floor_bytes").asLong()).isEqualTo(Long.MAX_VALUE);
    // The node still serves what it can: the floor is for probes, not a refusal of writes.
    Agent alice = starved.newAgent("alice");
    starved.as(alice).sendOk(plain(alice.id(), "still taking sends"));

    // The same data, with a floor below the free space.
    floor.set(1);
    starved.restart();

    Response after = starved.anonymous().get("/health/ready");
    assertThat(after.status()).as("%s", after).isEqualTo(200);
    assertThat(Json.text(after.json(), "status")).isEqualTo("UP");
    assertThat(starved.anonymous().get("/health").status()).isEqualTo(200);
  }

  /**
   * On its own redis-server, with a spool that holds one send: ready while Redis answers, not ready
   * while it is down (the store is, and once a send is spooled the spool is full), ready again once
   * Redis is back and the spool replayed. Live throughout. Redis syncs every write, so what it
   * acknowledged before it was killed is there when it starts again.
   */
  @Test
  @EnabledIfSystemProperty(named = MailroomApi.ON_REDIS, matches = "true")
  void onRedisReadyFollowsRedisAndTheSpool(@TempDir Path dataDir) {
    try (RedisServer redis =
            RedisServer.start(RedisServer.Options.defaults().appendFsync("always"));
        HttpClient http = ApiClient.newHttpClient();
        MailroomServer server =
            MailroomServer.start(
                ServerConfig.builder()
                    .port(0)
                    .dataDir(dataDir)
                    .security(MailroomApi.TEST_SECURITY)
                    .redis(new RedisOptions(redis.uri(), "health", Duration.ofSeconds(1)))
                    .spool(Optional.of(new Spool.Limits(1, 1024 * 1024)))
                    .adminToken(MailroomApi.ADMIN_TOKEN)
                    .build())) {
      URI base = server.baseUri();
      ApiClient anyone = new ApiClient(http, base, null);
      ApiClient admin = new ApiClient(http, base, "Bearer " + MailroomApi.ADMIN_TOKEN);
      Response created = admin.post("/v1/agents", Json.write(Map.of("id", "alice")));
      assertThat(created.status()).as("%s", created).isEqualTo(201);
      ApiClient alice = new ApiClient(http, base, "Bearer " + Json.text(created.json(), "token"));
      // Alice's token and agent are looked up once while Redis answers: the node keeps them.
      alice.sendOk(plain("alice", "before the outage"));
      Response ready = admin.get("/health/ready");
      assertThat(ready.status()).as("%s", ready).isEqualTo(200);
      assertThat(ready.json().path("components").propertyNames())
          .containsExactly("store", "disk", "spool");
      assertThat(ready.json().path("components").path("spool").path("max_depth").asLong())
          .isEqualTo(1);

      redis.kill();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(anyone.get("/health/ready").status()).isEqualTo(503));
      assertThat(anyone.get("/health/live").status()).isEqualTo(200);
      Response spooled = alice.send(plain("alice", "during the outage"));
      assertThat(spooled.status()).as("%s", spooled).isEqualTo(201);
      assertThat(spooled.header("Mailroom-Spooled")).contains("true");
      Response down = admin.get("/health/ready");
      assertThat(down.status()).as("%s", down).isEqualTo(503);
      JsonNode components = down.json().path("components");
      assertThat(Json.text(components.path("store"), "status")).isEqualTo("DOWN");
      assertThat(Json.text(components.path("spool"), "status")).isEqualTo("DOWN");
      assertThat(components.path("spool").path("depth").asLong()).isEqualTo(1);
      assertThat(Json.text(components.path("disk"), "status")).isEqualTo("UP");

      redis.restart();

      // The client reconnects by itself and the spool is replayed into Redis.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Response r = admin.get("/health/ready");
                assertThat(r.status()).as("%s", r).isEqualTo(200);
              });
      assertThat(anyone.get("/health/live").status()).isEqualTo(200);
      assertThat(alice.get("/v1/inbox").json().path("messages")).hasSize(2);
    }
  }
}
