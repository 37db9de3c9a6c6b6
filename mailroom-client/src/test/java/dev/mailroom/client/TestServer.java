package dev.mailroom.client;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.JsonLimits;
import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.store.sqlite.SqliteOptions;
import dev.mailroom.store.sqlite.SqliteStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Mailroom server started in-process on a free port, with its data in a fresh temporary
 * directory, one per test class (the SDK's, the CLI's and the examples' tests share it). Register
 * it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final TestServer server = new TestServer();
 * }</pre>
 *
 * <p>The clients it hands out are strict: they refuse answers with fields the protocol records do
 * not declare, so a record that drifts from the server fails the tests.
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback {
  public static final String ADMIN_TOKEN = "mr_test_admin_0123456789abcdef0123456789abcdef";

  private final UnaryOperator<ServerConfig.Builder> customizer;
  private final boolean undecodable;
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile @Nullable MailroomServer server;
  private @Nullable Path dataDir;
  private @Nullable HttpClient http;
  private int port;

  /** A server with the default configuration. */
  public TestServer() {
    this(b -> b);
  }

  /** A server whose configuration {@code customizer} adjusts (port, data dir, admin are set). */
  public TestServer(UnaryOperator<ServerConfig.Builder> customizer) {
    this(customizer, false);
  }

  private TestServer(UnaryOperator<ServerConfig.Builder> customizer, boolean undecodable) {
    this.customizer = customizer;
    this.undecodable = undecodable;
  }

  /**
   * A server at the largest JSON limits a server accepts ({@link JsonLimits#LARGEST}), whose store
   * also keeps messages no client can decode ({@link UndecodableMessages}): an {@code
   * application/json} payload sent as {@link UndecodableMessages#MARKER} is stored nested deeper
   * than clients read. {@code customizer} adjusts the rest.
   */
  public static TestServer storingUndecodableMessages(
      UnaryOperator<ServerConfig.Builder> customizer) {
    return new TestServer(b -> customizer.apply(b.json(JsonLimits.LARGEST)), true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("mailroom-client-");
    port = freePort();
    http = HttpClient.newHttpClient();
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      stop();
    } finally {
      if (http != null) {
        http.close();
      }
      if (dataDir != null) {
        deleteTree(dataDir);
      }
    }
  }

  /** Starts the server (again) on the same data directory and port. */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("the server is running");
    }
    ServerConfig.Builder b = ServerConfig.builder().port(port).dataDir(require(dataDir));
    if (undecodable) {
      b.storage(
          new UndecodableMessages(
              SqliteStorage.open(
                  SqliteOptions.of(require(dataDir).resolve("mailroom.db")),
                  InstantSource.system(),
                  RetentionPolicy.DEFAULTS)));
    }
    server = MailroomServer.start(customizer.apply(b).adminToken(ADMIN_TOKEN).build());
  }

  /** Stops the server as on SIGTERM: streams are told {@code server stopping}. */
  public synchronized void stop() {
    MailroomServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client with the admin token. */
  public MailroomClient admin() {
    return client(ADMIN_TOKEN);
  }

  /** A client with this token, sharing the fixture's HTTP client (closing it is optional). */
  public MailroomClient client(String token) {
    return MailroomClient.builder()
        .baseUri(baseUri())
        .token(token)
        .httpClient(require(http))
        .strict(true)
        .build();
  }

  /** A client calling as this agent. */
  public MailroomClient client(AgentCreated agent) {
    return client(agent.token());
  }

  /** Registers an agent whose id starts with {@code prefix} and is unique in this server. */
  public AgentCreated newAgent(String prefix) {
    return newAgent(prefix, List.of("agent"));
  }

  /** Registers an agent with these roles. */
  public AgentCreated newAgent(String prefix, List<String> roles) {
    try (MailroomClient admin = admin()) {
      return admin.agents().create(prefix + "-" + sequence.incrementAndGet(), roles);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static <T> T require(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("register TestServer as a static @RegisterExtension field");
    }
    return value;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
