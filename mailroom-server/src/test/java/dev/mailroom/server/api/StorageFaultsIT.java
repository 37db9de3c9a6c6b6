package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.testkit.SmallDisk;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A SQLite server whose data directory runs out of space or turns read-only while it serves, on a
 * real small file system the test mounts ({@link SmallDisk}; it needs root and is skipped, saying
 * so, without it):
 *
 * <ul>
 *   <li>Disk full: the data directory is a 16 MiB {@code tmpfs}, filled with a ballast file until
 *       {@code ENOSPC}. Sends get {@code 507} {@code /problems/insufficient-storage} naming the
 *       cause; once the ballast is deleted the server takes sends again by itself, with no restart.
 *   <li>Read-only: the data directory is an ext4 image on a loop device mounted {@code
 *       errors=remount-ro}, and the test reports a file system error ({@code trigger_fs_error}), so
 *       the kernel remounts it read-only under the running server, as it does when a disk fails.
 *       ({@code mount -o remount,ro} cannot do that: it is refused with {@code EBUSY} while the
 *       server has its files open for writing.) Sends get {@code 503} naming the cause. ext4 stays
 *       read-only after an error until it is unmounted and checked, so recovery is a restart after
 *       {@code e2fsck}.
 * </ul>
 *
 * <p>Either way every send acknowledged before is still there, and no refused send is half there:
 * not listed, and its idempotency key unused (a retry with it stores it, not a duplicate).
 */
@Timeout(value = 180, unit = SECONDS)
class StorageFaultsIT {
  private static final String ADMIN = MailroomApi.ADMIN_TOKEN;

  @TempDir Path tmp;
  private @Nullable SmallDisk disk;
  private @Nullable MailroomServer server;
  private final HttpClient http = ApiClient.newHttpClient();

  @BeforeEach
  void onSqliteOnly() {
    assumeFalse(MailroomApi.onRedis(), "the embedded store's faults; Redis has its own test");
  }

  @AfterEach
  void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      http.close();
      if (disk != null) {
        disk.close();
      }
    }
  }

  @Test
  void aFullDiskAnswers507AndTheServerTakesSendsAgainOnceSpaceIsFreed() {
    disk = SmallDisk.tmpfs(tmp.resolve("data"), 16);
    start(disk.dir());
    Agent alice = newAgent("alice");
    Agent bob = newAgent("bob");
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      acknowledged.add(text(as(alice).sendOk(send(bob, "before " + i, "k-before-" + i)), "id"));
    }

    disk.fill();
    String big = "x".repeat(32 << 10);
    List<Map<String, Object>> retried = new ArrayList<>();
    Response refused = null;
    for (int i = 0; i < 2_000 && refused == null; i++) {
      Map<String, Object> body = send(bob, big + i, "k-fill-" + i);
      Response r = as(alice).send(body);
      if (r.status() == 201) {
        acknowledged.add(text(r.json(), "id"));
      } else {
        refused = r;
        retried.add(body);
      }
    }

    assertThat(refused).as("a send on a full disk").isNotNull();
    JsonNode problem = Problems.assertProblem(refused, 507);
    assertThat(text(problem, "type")).isEqualTo("/problems/insufficient-storage");
    assertThat(text(problem, "title")).isEqualTo("Insufficient storage");
    assertThat(text(problem, "detail")).startsWith("the data directory's disk is full");
    assertThat(refused.body()).doesNotContainIgnoringCase("sqlite");
    assertThat(refused.header("Retry-After")).contains("1");
    // The disk stays all but full: a send that finds room (a failed one's pages are reused) is
    // stored and acknowledged, any other is refused alike.
    for (int i = 0; i < 5; i++) {
      Map<String, Object> body = send(bob, big + "refused " + i, "k-refused-" + i);
      Response r = as(alice).send(body);
      if (r.status() == 201) {
        acknowledged.add(text(r.json(), "id"));
      } else {
        Problems.assertProblem(r, 507);
        retried.add(body);
      }
    }
    Response health = admin().get("/health");
    assertThat(health.status()).as("%s", health).isEqualTo(503);
    JsonNode store = health.json().path("components").path("store");
    assertThat(text(store, "status")).isEqualTo("DOWN");
    assertThat(text(store, "fault")).isEqualTo("disk_full");
    // Reads go on, and show exactly what was acknowledged.
    assertThat(as(bob).listIds("/v1/inbox", Query.NONE, 1000))
        .containsExactlyInAnyOrderElementsOf(acknowledged);

    disk.free();

    await().atMost(Duration.ofSeconds(15)).until(() -> admin().get("/health").status() == 200);
    for (Map<String, Object> body : retried) {
      JsonNode sent = as(alice).sendOk(body);
      assertThat(sent.path("duplicate").asBoolean(false)).as("%s", sent).isFalse();
      acknowledged.add(text(sent, "id"));
    }
    assertThat(as(bob).listIds("/v1/inbox", Query.NONE, 1000))
        .containsExactlyInAnyOrderElementsOf(acknowledged);
  }

  @Test
  void aDataDirectoryTurnedReadOnlyAnswers503NamingItAndLosesNothing() {
    disk = SmallDisk.ext4(tmp.resolve("data.img"), tmp.resolve("data"), 64);
    start(disk.dir());
    Agent alice = newAgent("alice");
    Agent bob = newAgent("bob");
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      acknowledged.add(text(as(alice).sendOk(send(bob, "before " + i, "k-" + i)), "id"));
    }

    disk.failReadOnly();

    // SQLite names no cause for the first failed write (an I/O error); the server reopens its
    // write connection, read-only now, and names the cause from the next send on.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              Response r = as(alice).send(send(bob, "refused", "k-refused"));
              JsonNode problem = Problems.assertProblem(r, 503);
              assertThat(text(problem, "type")).isEqualTo("/problems/unavailable");
              assertThat(text(problem, "detail")).startsWith("the data directory is read-only");
            });
    JsonNode store = admin().get("/health").json().path("components").path("store");
    assertThat(text(store, "status")).isEqualTo("DOWN");
    assertThat(text(store, "fault")).isEqualTo("read_only");
    assertThat(as(bob).listIds("/v1/inbox", Query.NONE, 1000))
        .containsExactlyInAnyOrderElementsOf(acknowledged);

    server.close();
    server = null;
    disk.repair();
    start(disk.dir());

    assertThat(as(bob).listIds("/v1/inbox", Query.NONE, 1000))
        .containsExactlyInAnyOrderElementsOf(acknowledged);
    JsonNode sent = as(alice).sendOk(send(bob, "refused", "k-refused"));
    assertThat(sent.path("duplicate").asBoolean(false)).as("%s", sent).isFalse();
  }

  private void start(Path dataDir) {
    server =
        MailroomServer.start(
            ServerConfig.builder()
                .port(0)
                .dataDir(dataDir)
                .security(MailroomApi.TEST_SECURITY)
                .adminToken(ADMIN)
                .build());
  }

  private URI base() {
    if (server == null) {
      throw new IllegalStateException("no server");
    }
    return URI.create("http://127.0.0.1:" + server.port());
  }

  private ApiClient admin() {
    return new ApiClient(http, base(), "Bearer " + ADMIN);
  }

  private ApiClient as(Agent agent) {
    return new ApiClient(http, base(), "Bearer " + agent.token());
  }

  private Agent newAgent(String id) {
    Response r =
        admin().post("/v1/agents", Json.write(object("id", id, "roles", List.of("agent"))));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return new Agent(id, text(r.json(), "token"));
  }

  private static Map<String, Object> send(Agent to, String payload, String key) {
    Map<String, Object> body = new LinkedHashMap<>(SendAndReadIT.plain(to.id(), payload));
    body.put("idempotency_key", key);
    return body;
  }
}
