package dev.mailroom.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A server started from a distribution (the tarball's or the image's launcher), with its output in
 * a log file; {@link #close()} stops it with SIGTERM, as an operator would.
 */
final class Launched implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private Launched(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Runs {@code command} with exactly the environment {@code env} (nothing is inherited), and waits
   * until the server answers {@code GET /health} on {@code port}.
   */
  static Launched start(List<String> command, Map<String, String> env, int port, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Launched launched = new Launched(builder.start(), port, log);
    launched.awaitAnswering();
    return launched;
  }

  /** The answer to {@code GET path}. */
  HttpResponse<String> get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the server printed so far. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(process.isAlive()).as("the server stopped").isFalse();
  }

  private void awaitAnswering() {
    Awaitility.await("the server on port " + port)
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError(
                    "the server exited with " + process.exitValue() + ":\n" + output());
              }
              return get("/health").statusCode() > 0;
            });
  }

  /** A TCP port nobody listens on now. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Runs a command of the host (tar, for one) and fails the test with its output unless it exits 0.
   */
  static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("%s printed:%n%s", command, output).isZero();
  }
}
