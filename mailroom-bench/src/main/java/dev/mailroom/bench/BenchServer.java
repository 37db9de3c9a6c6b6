package dev.mailroom.bench;

import dev.mailroom.bench.compare.MailroomSystem;
import dev.mailroom.bench.compare.ServerProcess;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.redis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A Mailroom server started in this JVM on a fresh data directory, with agents to send as; {@link
 * #startProcess} starts one as a process of its own instead.
 */
final class BenchServer implements AutoCloseable {
  static final String ADMIN_TOKEN = "mr_bench_admin_token_not_for_production_use_0000";
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  /** How long a server process ({@link #startProcess}) may take to listen. */
  private static final Duration PROCESS_STARTUP = Duration.ofSeconds(60);

  private final MailroomServer server;
  private final @Nullable RedisServer redis;

  private BenchServer(MailroomServer server, @Nullable RedisServer redis) {
    this.server = server;
    this.redis = redis;
  }

  /** Starts a server on {@code dataDir}, emptied first so every run starts from nothing. */
  static BenchServer start(Path dataDir) throws IOException {
    return start(dataDir, Store.SQLITE);
  }

  /**
   * Starts a server on {@code dataDir} (emptied first) with the given store. {@link Store#MEMORY}
   * is the testkit's in-memory reference: nothing durable, so a run with it measures what the
   * server costs without the store. {@link Store#REDIS} starts a redis-server of its own ({@link
   * BenchRedis#start()}), which {@link #close()} stops.
   */
  static BenchServer start(Path dataDir, Store store) throws IOException {
    deleteRecursively(dataDir);
    ServerConfig.Builder config = ServerConfig.builder().port(0).dataDir(dataDir);
    @Nullable RedisServer redis = null;
    switch (store) {
      case MEMORY ->
          config.storage(InMemoryStorage.create(Clock.systemUTC(), RetentionPolicy.DEFAULTS));
      case REDIS -> {
        redis = BenchRedis.start();
        config.redis(RedisOptions.of(redis.uri()).withNamespace(BenchRedis.NAMESPACE));
      }
      case SQLITE -> {}
    }
    try {
      return new BenchServer(MailroomServer.start(config.adminToken(ADMIN_TOKEN).build()), redis);
    } catch (RuntimeException e) {
      if (redis != null) {
        redis.close();
      }
      throw e;
    }
  }

  /**
   * Starts a server on {@code dataDir} (emptied first) whose store is the namespace {@code
   * namespace} of the Redis at {@code redisUri}, which the caller owns: several such servers on one
   * namespace are nodes of one system.
   */
  static BenchServer startOnRedis(Path dataDir, String redisUri, String namespace)
      throws IOException {
    deleteRecursively(dataDir);
    ServerConfig config =
        ServerConfig.builder()
            .port(0)
            .dataDir(dataDir)
            .redis(RedisOptions.of(redisUri).withNamespace(namespace))
            .adminToken(ADMIN_TOKEN)
            .build();
    return new BenchServer(MailroomServer.start(config), null);
  }

  /**
   * Starts {@code mailroom serve} from the command-line jar (system property {@code
   * mailroom.cli.jar}, by default {@code mailroom-cli/target/mailroom-cli.jar}) as a process of its
   * own on the embedded store in {@code dataDir} (emptied first), with the bench's admin token,
   * {@code -Xmx}{@code heap}, a GC log ({@code gc.log} in the process's own directory), the JVM
   * options {@code javaOptions} (split at spaces), and {@code flags} after {@code serve}'s own
   * (e.g. {@code --set metrics.enabled=false}). Returns once it listens.
   */
  static ServerProcess startProcess(
      String name, Path dataDir, String heap, String javaOptions, List<String> flags)
      throws IOException {
    deleteRecursively(dataDir);
    return launch(name, dataDir, heap, javaOptions, flags);
  }

  /**
   * As {@link #startProcess}, on the data {@code dataDir} already holds (a store the bench filled
   * first), with the default settings.
   */
  static ServerProcess startProcessOn(String name, Path dataDir, String heap, String javaOptions)
      throws IOException {
    return launch(name, dataDir, heap, javaOptions, List.of());
  }

  private static ServerProcess launch(
      String name, Path dataDir, String heap, String javaOptions, List<String> flags)
      throws IOException {
    Path jar =
        Path.of(System.getProperty("mailroom.cli.jar", "mailroom-cli/target/mailroom-cli.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no " + jar.toAbsolutePath() + ": build it (bin/bench does)");
    }
    String java = ServerProcess.javaCommand();
    return ServerProcess.start(
        name,
        (port, dir) -> {
          List<String> command = new ArrayList<>();
          command.add(java);
          command.add("--enable-native-access=ALL-UNNAMED");
          command.add("-Xmx" + heap);
          command.add("-Xlog:gc:file=" + dir.resolve("gc.log"));
          for (String option : javaOptions.trim().split("\\s+")) {
            if (!option.isEmpty()) {
              command.add(option);
            }
          }
          command.addAll(MailroomSystem.serveArguments(jar, port, dataDir));
          command.addAll(flags);
          return command;
        },
        Map.of("MAILROOM_ADMIN_TOKEN", ADMIN_TOKEN),
        PROCESS_STARTUP);
  }

  /** The store a bench server runs on. */
  enum Store {
    SQLITE,
    MEMORY,
    REDIS;

    static Store parse(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
  }

  int port() {
    return server.port();
  }

  /** The redis-server this bench server started and owns ({@link Store#REDIS}), if any. */
  Optional<RedisServer> redis() {
    return Optional.ofNullable(redis);
  }

  RawHttp connect() throws IOException {
    return new RawHttp("127.0.0.1", port());
  }

  /** Creates agents {@code prefix0..prefix(n-1)} and returns their tokens in order. */
  List<String> createAgents(String prefix, int n) throws IOException {
    return createAgents(port(), ADMIN_TOKEN, prefix, n, 1);
  }

  /**
   * Creates agents {@code prefix0..prefix(n-1)} on the server at {@code port}, over {@code
   * connections} connections at once (each creation is a durable write, so parallel ones share
   * group commits), and returns their tokens in order.
   */
  static List<String> createAgents(int port, String admin, String prefix, int n, int connections)
      throws IOException {
    String[] tokens = new String[n];
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < connections; c++) {
      int first = c;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    StringBuilder body = new StringBuilder();
                    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                      for (int i = first; i < n; i += connections) {
                        byte[] req =
                            ("{\"id\":\"" + prefix + i + "\"}").getBytes(StandardCharsets.UTF_8);
                        int status = http.exchange("POST", "/v1/agents", admin, req, body);
                        Matcher m = TOKEN.matcher(body);
                        if (status != 201 || !m.find()) {
                          throw new IllegalStateException(
                              "creating agent failed: " + status + " " + body);
                        }
                        tokens[i] = m.group(1);
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("creating agents failed", failures.get(0));
    }
    return List.of(tokens);
  }

  /** Subscribes the agent holding {@code token} to {@code pattern}; realtime, auto_ack as given. */
  static void subscribe(int port, String token, String pattern, boolean autoAck)
      throws IOException {
    StringBuilder body = new StringBuilder();
    byte[] req =
        ("{\"pattern\":\"" + pattern + "\",\"auto_ack\":" + autoAck + "}")
            .getBytes(StandardCharsets.UTF_8);
    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
      int status = http.exchange("POST", "/v1/subscriptions", token, req, body);
      if (status != 201) {
        throw new IllegalStateException("subscribing failed: " + status + " " + body);
      }
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }
}
