package dev.mailroom.cli;

import dev.mailroom.mcp.MailroomMcp;
import dev.mailroom.server.ConfigLoader;
import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailroom serve}: runs a server until interrupted. Flags override {@code MAILROOM_*}
 * environment variables, which override the config file; see docs/CONFIGURATION.md.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run a Mailroom server (embedded SQLite store in the data directory, or Redis with"
            + " --redis-url).")
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "TCP port (0 picks a free one). Default 8080; env MAILROOM_PORT.")
  @Nullable Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Address to listen on. Default 127.0.0.1; env MAILROOM_HOST.")
  @Nullable String host;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the data lives. Default ./mailroom-data; env MAILROOM_DATA_DIR.")
  @Nullable Path dataDir;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description =
          "Use Redis instead of the embedded store: redis://host:port (a Cluster node works too),"
              + " rediss:// for TLS, redis-sentinel://host:port#master. Env MAILROOM_REDIS_URL.")
  @Nullable String redisUrl;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description =
          "The console log: text (default) or json, one JSON object per line. Env"
              + " MAILROOM_LOG_FORMAT; setting log.format.")
  @Nullable String logFormat;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A properties file of mailroom.* settings; env MAILROOM_CONFIG.")
  @Nullable Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Any other setting, e.g. --set retention.message-ttl=3d (repeatable; see"
              + " docs/CONFIGURATION.md).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>(settings);
    if (port != null) {
      flags.put("port", port.toString());
    }
    if (host != null) {
      flags.put("host", host);
    }
    if (dataDir != null) {
      flags.put("data-dir", dataDir.toString());
    }
    if (redisUrl != null) {
      flags.put("redis-url", redisUrl);
    }
    if (logFormat != null) {
      flags.put("log.format", logFormat);
    }
    ServerConfig cfg = ConfigLoader.load(flags, System.getenv(), Optional.ofNullable(config));
    // Before the server starts, so that all it logs is in the one format (see ConsoleLog).
    ConsoleLog.use(cfg.logFormat(), LoggerFactory.getILoggerFactory());

    MailroomServer server =
        MailroomServer.start(cfg.toBuilder().endpoint(MailroomMcp.endpoint()).build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("mailroom-shutdown")
                .unstarted(
                    () -> {
                      server.close();
                      stopped.countDown();
                    }));
    stopped.await();
    return 0;
  }
}
