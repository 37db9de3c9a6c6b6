package dev.mailroom.testkit.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One real {@code redis-server} process for tests: on a free port of 127.0.0.1, in a fresh temp
 * directory that holds its config, data and log. Real rather than mocked because what a Redis
 * backend must prove (durability across a crash, cluster redirects, replication) only a real server
 * shows.
 *
 * <p>{@link #kill()} is a crash (SIGKILL) that keeps the data; {@link #restart()} brings the server
 * back on the same port and data. Every process is also stopped by a JVM shutdown hook, so none
 * outlives the tests. Thread-safe.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
  private static final int BIND_ATTEMPTS = 5;
  private static final int TAIL_LINES = 40;
  private static final String LOG = "redis.log";
  private static final String OUTPUT = "output.log";
  private static final String CONFIG = "redis.conf";

  private final Path binary;
  private final int port;
  private final Path dir;
  private final List<String> args;
  private @Nullable Process process;
  private boolean closed;
  private volatile boolean shared;

  private RedisServer(Path binary, int port, Path dir, List<String> args) {
    this.binary = binary;
    this.port = port;
    this.dir = dir;
    this.args = List.copyOf(args);
  }

  /**
   * Starts a standalone server with {@link Options#defaults()}: append-only file on, fsync every
   * second, no RDB snapshots.
   */
  public static RedisServer start() {
    return start(Options.defaults());
  }

  /** Starts a standalone server with {@code options}; returns once it answers PING. */
  public static RedisServer start(Options options) {
    return launch(options, List.of());
  }

  /**
   * Starts a data node (standalone, cluster node or replica) whose config adds {@code modeLines} to
   * what {@code options} asks for.
   */
  static RedisServer launch(Options options, List<String> modeLines) {
    List<String> lines = new ArrayList<>(options.configLines());
    lines.addAll(modeLines);
    return launch(options.binaryOrDefault(), lines, options.extraArgs());
  }

  /**
   * Starts a sentinel ({@code redis-server <config> --sentinel}) with {@code sentinelLines}, run by
   * the binary of {@code options}; the rest of the options are for data nodes only.
   */
  static RedisServer launchSentinel(Options options, List<String> sentinelLines) {
    return launch(options.binaryOrDefault(), sentinelLines, List.of("--sentinel"));
  }

  /**
   * Starts {@code binary} with a config of the common lines plus {@code lines}, and {@code
   * extraArgs} after the config file (so they override it). Picks another port when the chosen one
   * was taken meanwhile.
   */
  private static RedisServer launch(Path binary, List<String> lines, List<String> extraArgs) {
    for (int attempt = 1; ; attempt++) {
      RedisServer server = create(binary, FreePorts.pick(), lines, extraArgs);
      try {
        server.run();
        return server;
      } catch (RuntimeException e) {
        boolean portTaken = server.logTail().contains("Address already in use");
        server.shutdown();
        if (!portTaken || attempt == BIND_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static RedisServer create(
      Path binary, int port, List<String> lines, List<String> extraArgs) {
    try {
      Path dir = Files.createTempDirectory("mailroom-redis-" + port + "-");
      List<String> config = new ArrayList<>();
      config.add("port " + port);
      config.add("bind 127.0.0.1");
      config.add("protected-mode no");
      config.add("daemonize no");
      config.add("dir " + quote(dir.toString()));
      config.add("logfile " + quote(dir.resolve(LOG).toString()));
      config.addAll(lines);
      Files.write(dir.resolve(CONFIG), config, StandardCharsets.UTF_8);
      List<String> args = new ArrayList<>();
      args.add(dir.resolve(CONFIG).toString());
      args.addAll(extraArgs);
      RedisServer server = new RedisServer(binary, port, dir, args);
      Reaper.track(server);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a directory for redis-server", e);
    }
  }

  /** The port on 127.0.0.1 that the server listens on; the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}, as Lettuce takes it. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** The server's own directory: config, data files and {@code redis.log}. */
  public Path dataDir() {
    return dir;
  }

  /** Deletes every key (FLUSHALL): how tests sharing a {@link SharedRedis} server start clean. */
  public void flushAll() {
    Resp.once(port, "FLUSHALL");
  }

  /** Whether the process is up (it may still be loading its data). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Crashes the server: SIGKILL, no chance to write anything more. The data directory stays, for
   * {@link #restart()}. Does nothing if the server is not running.
   */
  public synchronized void kill() {
    Process running = process;
    if (running != null) {
      running.descendants().forEach(ProcessHandle::destroyForcibly);
      running.destroyForcibly();
      awaitExit(running);
    }
  }

  /**
   * Starts the server again on the same port, config and data directory, killing it first if it is
   * still running, and returns once it answers PING (that is, after it has loaded its data).
   *
   * @return this server
   * @throws IllegalStateException if the server was closed, or the new process does not come up
   */
  public synchronized RedisServer restart() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    kill();
    try {
      run();
    } catch (RuntimeException e) {
      kill();
      throw e;
    }
    return this;
  }

  /**
   * Stops the process and deletes its directory. Idempotent. Does nothing on a server of {@link
   * SharedRedis}, which other tests go on using; the shutdown hook stops those.
   */
  @Override
  public void close() {
    if (!shared) {
      shutdown();
    }
  }

  /** Stops the process and deletes its directory, shared or not. */
  synchronized void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      kill();
      deleteRecursively(dir);
    } finally {
      Reaper.untrack(this);
    }
  }

  /** Makes {@link #close()} a no-op: the server belongs to every test in the JVM. */
  void share() {
    shared = true;
  }

  /** The last lines of the server's log and console output, for failure messages. */
  String logTail() {
    return "--- "
        + dir.resolve(LOG)
        + " (last lines) ---\n"
        + tail(dir.resolve(LOG))
        + "--- "
        + dir.resolve(OUTPUT)
        + " (last lines) ---\n"
        + tail(dir.resolve(OUTPUT));
  }

  @Override
  public String toString() {
    return "RedisServer[127.0.0.1:" + port + (isRunning() ? "" : ", not running") + "]";
  }

  /** Starts the process and waits until it answers PING; kills it if it does not. */
  private synchronized void run() {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(OUTPUT).toFile()));
    Process started;
    try {
      started = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    }
    process = started;
    try {
      awaitPing(started);
    } catch (RuntimeException e) {
      kill();
      throw new IllegalStateException(e.getMessage() + "\n" + logTail(), e);
    }
  }

  private void awaitPing(Process started) {
    Poll.until(
        binary.getFileName() + " on port " + port + " answering PING",
        READY_TIMEOUT,
        () -> {
          if (!started.isAlive()) {
            throw new Poll.GiveUp(
                binary + " on port " + port + " exited with status " + started.exitValue());
          }
          Object reply = Resp.once(port, "PING");
          return "PONG".equals(reply) ? null : "PING answered " + reply;
        });
  }

  private static void awaitExit(Process process) {
    try {
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("redis-server pid " + process.pid() + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing redis-server", e);
    }
  }

  private static String tail(Path file) {
    if (!Files.exists(file)) {
      return "(none)\n";
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      StringBuilder text = new StringBuilder();
      for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
        text.append(line).append('\n');
      }
      return text.toString();
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e + ")\n";
    }
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot delete " + root, e);
    }
  }

  /**
   * How a data node is configured. The defaults ({@link #defaults()}) are what a durable backend is
   * tested against: append-only file on, fsync once a second, RDB snapshots off so that nothing but
   * the AOF persists data.
   *
   * @param appendOnly whether the append-only file is on ({@code appendonly yes})
   * @param appendFsync {@code always}, {@code everysec} or {@code no}
   * @param extraArgs more {@code --name value} arguments, after the config file so that they win
   *     over it (e.g. {@code --cluster-node-timeout 5000})
   * @param binary the redis-server to run, or null for {@link RedisBinaries#redisServer()}
   */
  public record Options(
      boolean appendOnly, String appendFsync, List<String> extraArgs, @Nullable Path binary) {
    private static final Set<String> FSYNC_POLICIES = Set.of("always", "everysec", "no");

    /** Checks the fsync policy and copies the arguments. */
    public Options {
      if (!FSYNC_POLICIES.contains(appendFsync)) {
        throw new IllegalArgumentException(
            "appendFsync must be always, everysec or no, not " + appendFsync);
      }
      extraArgs = List.copyOf(extraArgs);
    }

    /** Append-only on, fsync every second, no snapshots, no extra arguments, binary from PATH. */
    public static Options defaults() {
      return new Options(true, "everysec", List.of(), null);
    }

    /** These options with the append-only file on or off. */
    public Options appendOnly(boolean on) {
      return new Options(on, appendFsync, extraArgs, binary);
    }

    /** These options with the fsync policy {@code always}, {@code everysec} or {@code no}. */
    public Options appendFsync(String policy) {
      return new Options(appendOnly, policy, extraArgs, binary);
    }

    /** These options with {@code args} (replacing any before) passed after the config file. */
    public Options extraArgs(List<String> args) {
      return new Options(appendOnly, appendFsync, args, binary);
    }

    /** These options running {@code redisServer} instead of the one found on PATH. */
    public Options binary(Path redisServer) {
      return new Options(appendOnly, appendFsync, extraArgs, redisServer);
    }

    Path binaryOrDefault() {
      return binary != null ? binary : RedisBinaries.redisServer();
    }

    List<String> configLines() {
      return List.of(
          "appendonly " + (appendOnly ? "yes" : "no"),
          "appendfsync " + appendFsync,
          "save \"\"",
          // Replicas sync at once instead of after Redis 7's default 5 s diskless delay.
          "repl-diskless-sync yes",
          "repl-diskless-sync-delay 0");
    }
  }
}
