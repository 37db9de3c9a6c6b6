package dev.mailroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.mcp.MailroomMcp;
import dev.mailroom.server.SecuritySettings;
import dev.mailroom.store.sqlite.SqliteOptions;
import dev.mailroom.store.sqlite.SqliteStorage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * A server to fuzz, one per test class: the {@link TestServer} of the SDK's tests with {@code /mcp}
 * mounted, its embedded store wrapped in a {@link StoreWriteCounter}, and no limit on failed
 * authentications (a rate limit would make whether a request is answered 401 or 429 depend on
 * timing, and a failure could not be replayed). Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final FuzzServer server = new FuzzServer(DeliverySettings.DEFAULTS);
 * }</pre>
 */
final class FuzzServer implements BeforeAllCallback, AfterAllCallback {
  /**
   * Live heap a fuzz run may add to the server (and the test) after a full collection: caches fill
   * (tokens, agents, rate buckets) and the audit queue may hold records. A run of the default
   * length adds a few MiB; a leak per request, such as a session kept for each refused upgrade,
   * shows in a longer run.
   */
  static final long HEAP_BOUND = 64L * 1024 * 1024;

  private final StoreWriteCounter counter = new StoreWriteCounter();
  private final TestServer server;
  private @Nullable Path storeDir;
  private @Nullable RawHttp http;

  FuzzServer(DeliverySettings delivery) {
    this.server =
        new TestServer(
            b ->
                b.endpoint(MailroomMcp.endpoint())
                    .delivery(delivery)
                    .security(SecuritySettings.DEFAULTS.withAuthFailureRate(0, 0))
                    .storage(counter.wrap(openStore())));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    storeDir = Files.createTempDirectory("mailroom-fuzz-");
    server.beforeAll(context);
    http = new RawHttp(server.baseUri(), FuzzSettings.current().timeout());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      server.afterAll(context);
    } finally {
      if (storeDir != null) {
        try (var files = Files.walk(storeDir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  private Storage openStore() {
    if (storeDir == null) {
      throw new IllegalStateException("the server starts in beforeAll");
    }
    return SqliteStorage.open(
        SqliteOptions.of(storeDir.resolve("fuzz.db")),
        InstantSource.system(),
        RetentionPolicy.DEFAULTS);
  }

  /** Where the store keeps its files. */
  Path storeDirectory() {
    if (storeDir == null) {
      throw new IllegalStateException("register FuzzServer as a static @RegisterExtension field");
    }
    return storeDir;
  }

  URI baseUri() {
    return server.baseUri();
  }

  String adminToken() {
    return TestServer.ADMIN_TOKEN;
  }

  StoreWriteCounter counter() {
    return counter;
  }

  RawHttp http() {
    if (http == null) {
      throw new IllegalStateException("register FuzzServer as a static @RegisterExtension field");
    }
    return http;
  }

  /** Registers an agent with these roles and answers its token. */
  String newAgent(String id, String... roles) {
    String body = json(Map.of("id", id, "roles", List.of(roles)));
    return call("POST", "/v1/agents", adminToken(), body).path("token").asString();
  }

  /**
   * Sends one well-formed JSON request and answers the body of its 2xx answer.
   *
   * @throws AssertionError if the answer is not a 2xx
   */
  JsonNode call(String method, String target, String token, @Nullable String json) {
    List<RawHttp.Header> headers = new ArrayList<>();
    headers.add(new RawHttp.Header("Authorization", "Bearer " + token));
    headers.add(new RawHttp.Header("Accept", "application/json"));
    byte[] body = new byte[0];
    if (json != null) {
      headers.add(new RawHttp.Header("Content-Type", "application/json"));
      body = json.getBytes(StandardCharsets.UTF_8);
    }
    RawHttp.Request request = http().complete(new RawHttp.Request(method, target, headers, body));
    RawHttp.Response answer = http().send(request);
    assertThat(answer.status()).as("%s\n%s", request, answer).isBetween(200, 299);
    return answer.body().length == 0
        ? Invariants.LENIENT.nullNode()
        : Invariants.LENIENT.readTree(answer.body());
  }

  /**
   * Stores part {@code n} of an upload, its raw bytes with their {@code Content-Digest}: the
   * CRC-32C for an even {@code n}, as the SDK sends it, the SHA-256 for an odd one, as older
   * clients do.
   */
  void putPart(String upload, int n, String token, byte[] part) {
    List<RawHttp.Header> headers = new ArrayList<>();
    headers.add(new RawHttp.Header("Authorization", "Bearer " + token));
    headers.add(new RawHttp.Header("Content-Type", "application/octet-stream"));
    headers.add(
        new RawHttp.Header(
            "Content-Digest", n % 2 == 0 ? crc32cContentDigest(part) : contentDigest(part)));
    String target = "/v1/uploads/" + upload + "/parts/" + n;
    RawHttp.Request request = http().complete(new RawHttp.Request("PUT", target, headers, part));
    RawHttp.Response answer = http().send(request);
    assertThat(answer.status()).as("%s\n%s", request, answer).isEqualTo(200);
  }

  /** The {@code Content-Digest} header value of these bytes (RFC 9530, SHA-256). */
  static String contentDigest(byte[] bytes) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
      return "sha-256=:" + java.util.Base64.getEncoder().encodeToString(digest) + ":";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The {@code Content-Digest} header value of these bytes by their CRC-32C (RFC 9530, {@code
   * crc32c}): the base64 of its 4 bytes, big-endian.
   */
  static String crc32cContentDigest(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    int value = (int) crc.getValue();
    byte[] big = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    return "crc32c=:" + java.util.Base64.getEncoder().encodeToString(big) + ":";
  }

  /** The live heap after a full collection, in bytes. */
  static long liveHeap() {
    var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc(); // several rounds: finalizable and softly reachable objects go in later ones
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** A map as JSON text. */
  static String json(Map<String, ?> fields) {
    return Invariants.LENIENT.writeValueAsString(fields);
  }
}
