package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * The real server as a separate JVM ({@code dev.mailroom.cli.Main serve}), on the test's own
 * classpath, with its output in a log file. {@link #kill()} is SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final String DEFAULT_HEAP = "512m";

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code serve --port <free port> --data-dir dataDir} and waits until {@code /health}
   * answers 200.
   *
   * @param adminToken the value of MAILROOM_ADMIN_TOKEN, or null to leave it unset
   */
  static ServerProcess start(Path dataDir, @Nullable String adminToken, Path log) {
    return start(dataDir, adminToken, log, DEFAULT_HEAP);
  }

  /**
   * As {@link #start(Path, String, Path)}, with the server's heap limited to {@code maxHeap}
   * ({@code -Xmx}, such as {@code 128m}).
   */
  static ServerProcess start(Path dataDir, @Nullable String adminToken, Path log, String maxHeap) {
    return start(dataDir, adminToken, log, maxHeap, List.of());
  }

  /**
   * As {@link #start(Path, String, Path, String)}, with more options of {@code serve} after the
   * port and data directory (such as {@code --log-format json}).
   */
  static ServerProcess start(
      Path dataDir,
      @Nullable String adminToken,
      Path log,
      String maxHeap,
      List<String> serveOptions) {
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx" + maxHeap);
    // Quick start matters more than peak speed for a server that is killed after seconds.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.mailroom.cli.Main");
    command.add("serve");
    command.add("--port");
    command.add(Integer.toString(port));
    command.add("--data-dir");
    command.add(dataDir.toString());
    command.addAll(serveOptions);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("MAILROOM_"));
    if (adminToken != null) {
      env.put("MAILROOM_ADMIN_TOKEN", adminToken);
    }
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      ServerProcess server = new ServerProcess(builder.start(), port, log);
      server.awaitHealthy();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Everything the server printed so far (all its runs that shared this log). */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the server's JVM is still running. */
  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL, then wait until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the server died").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL without waiting: for calling at the very moment an answer arrives. */
  void killNow() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private void awaitHealthy() {
    Http http = new Http(baseUri(), null);
    Awaitility.await("server on port " + port + " healthy")
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the server exited with " + process.exitValue() + ":\n" + output());
              }
              return http.get("/health").status() == 200;
            });
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
