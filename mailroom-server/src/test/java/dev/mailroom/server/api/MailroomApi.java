package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.SecuritySettings;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.SharedRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * A real Mailroom server on a random port with its data in a fresh temporary directory, one per
 * test class. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final MailroomApi api = new MailroomApi();
 * }</pre>
 *
 * <p>It creates agents through {@code POST /v1/agents} with the admin token, with ids unique within
 * the server, and hands out {@link ApiClient}s that call the server as an agent, as the admin or
 * with any Authorization header.
 */
final class MailroomApi implements BeforeAllCallback, AfterAllCallback {
  static final String ADMIN_TOKEN = "mr_test_admin_0123456789abcdef0123456789abcdef";

  /**
   * The system property that runs every server of these tests on Redis (the JVM's shared {@code
   * redis-server}, a namespace per server) instead of SQLite: {@code -Dmailroom.test.redis=true}.
   */
  static final String ON_REDIS = "mailroom.test.redis";

  /**
   * The defaults, but with room for many more failed authentications per client address: the tests
   * all call from 127.0.0.1, and some make hundreds of requests with bad tokens on purpose. A test
   * of the limit itself sets its own.
   */
  static final SecuritySettings TEST_SECURITY =
      SecuritySettings.DEFAULTS.withAuthFailureRate(100_000, 100_000);

  private final UnaryOperator<ServerConfig.Builder> customizer;
  private final String namespace = "api-" + java.util.UUID.randomUUID();
  private final AtomicInteger sequence = new AtomicInteger();
  private final List<Agent> agents = new CopyOnWriteArrayList<>();
  private @Nullable MailroomServer server;
  private @Nullable Path dataDir;
  private @Nullable HttpClient http;
  private @Nullable URI base;

  /** A server with the default configuration. */
  MailroomApi() {
    this(b -> b);
  }

  /** A server whose configuration {@code customizer} adjusts (port, data dir and admin are set). */
  MailroomApi(UnaryOperator<ServerConfig.Builder> customizer) {
    this.customizer = customizer;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("mailroom-api-");
    start();
    http = ApiClient.newHttpClient();
  }

  private void start() {
    ServerConfig.Builder builder =
        ServerConfig.builder().port(0).dataDir(require(dataDir)).security(TEST_SECURITY);
    if (onRedis()) {
      builder.redis(RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(namespace));
    }
    server = MailroomServer.start(customizer.apply(builder).adminToken(ADMIN_TOKEN).build());
    base = URI.create("http://127.0.0.1:" + server.port());
  }

  /** Stops the server (as on SIGTERM) and starts it again on the same data; the port changes. */
  void restart() {
    require(server).close();
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (http != null) {
        http.close();
      }
      if (dataDir != null) {
        deleteTree(dataDir);
      }
    }
  }

  /** Whether the servers of these tests run on Redis (see {@link #ON_REDIS}). */
  static boolean onRedis() {
    return Boolean.getBoolean(ON_REDIS);
  }

  /** The Redis namespace the server uses when the tests run on Redis. */
  String namespace() {
    return namespace;
  }

  /** The server's data directory; on SQLite its store file is in it. */
  Path dataDir() {
    return require(dataDir);
  }

  URI baseUri() {
    return require(base);
  }

  /** Calls the server with the bootstrap admin token. */
  ApiClient admin() {
    return new ApiClient(require(http), baseUri(), "Bearer " + ADMIN_TOKEN);
  }

  /** Calls the server as this agent. */
  ApiClient as(Agent agent) {
    return new ApiClient(require(http), baseUri(), "Bearer " + agent.token());
  }

  /** Calls the server without any Authorization header. */
  ApiClient anonymous() {
    return new ApiClient(require(http), baseUri(), null);
  }

  /** Creates an agent whose id starts with {@code prefix} and is unique in this server. */
  Agent newAgent(String prefix) {
    return newAgent(prefix, "roles", List.of("agent"));
  }

  /**
   * Creates an agent whose id starts with {@code prefix}, with more fields of {@code POST
   * /v1/agents} ({@code "roles", List.of("observer")}, {@code "token_ttl_seconds", 60}...).
   */
  Agent newAgent(String prefix, Object... fields) {
    String id = prefix + "-" + sequence.incrementAndGet();
    Map<String, @Nullable Object> body = new LinkedHashMap<>(Json.object(fields));
    body.put("id", id);
    Response r = admin().post("/v1/agents", Json.write(body));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    String token = Json.text(r.json(), "token");
    assertThat(token).as("%s", r).isNotBlank();
    Agent agent = new Agent(id, token);
    agents.add(agent);
    return agent;
  }

  /**
   * Grants (or, with {@code effect} {@code "deny"}, denies) actions on a name or pattern, as the
   * admin, through {@code POST /v1/acl}.
   */
  Response grant(String grantee, String effect, String resource, String... actions) {
    return admin()
        .post(
            "/v1/acl",
            Json.write(
                Json.object(
                    "grantee",
                    grantee,
                    "effect",
                    effect,
                    "resource",
                    resource,
                    "actions",
                    List.of(actions))));
  }

  /** {@link #grant}, insisting on 201; returns the rule's id. */
  String granted(String grantee, String effect, String resource, String... actions) {
    Response r = grant(grantee, effect, resource, actions);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.text(r.json(), "id");
  }

  /** How many agents the tests created in this server so far. */
  /** The audit record of a request this server answered, once its audit log has written it. */
  JsonNode auditRecord(Response r) {
    String id = r.header("X-Request-Id").orElseThrow();
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin().listAll("/v1/audit", Query.of("actor", "admin"), 1000, "records").stream()
                    .filter(x -> id.equals(Json.text(x, "request_id")))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  int agentCount() {
    return agents.size();
  }

  private static <T> T require(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("the server is not running; register MailroomApi as static");
    }
    return value;
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e)
                throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
