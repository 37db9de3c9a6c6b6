package dev.mailroom.bench.compare;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code nats-server} process of our own with JetStream on: on a free port of 127.0.0.1, its
 * store and log in a fresh temp directory. {@link #close()} stops it (SIGTERM, then SIGKILL) and
 * deletes the directory; a JVM shutdown hook does the same for one nobody closed.
 */
public final class NatsServerProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_MILLIS = 10_000;
  private static final long EXIT_TIMEOUT_SECONDS = 10;
  private static final int START_ATTEMPTS = 3;
  private static final List<String> KNOWN_LOCATIONS =
      List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server");

  private final Process process;
  private final int port;
  private final Path dir;
  private final Thread reaper;
  private boolean closed;

  private NatsServerProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.reaper = new Thread(this::stopAndDelete, "nats-server-reaper-" + port);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code nats-server -js} (from {@link #binary()}) and returns once it accepts
   * connections.
   *
   * @throws IOException if there is no binary, or the server does not come up
   */
  public static NatsServerProcess start() throws IOException {
    Path binary = binary();
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return launch(binary, freePort());
      } catch (IOException e) {
        last = e; // most likely the port was taken meanwhile: try another
      }
    }
    throw last;
  }

  /**
   * The {@code nats-server} binary: the system property {@code nats.server} if set, else a known
   * location, else the first on {@code PATH}.
   */
  static Path binary() throws IOException {
    String configured = System.getProperty("nats.server");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String known : KNOWN_LOCATIONS) {
      if (Files.isExecutable(Path.of(known))) {
        return Path.of(known);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        Path candidate = Path.of(entry, "nats-server");
        if (!entry.isEmpty() && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IOException(
        "no nats-server binary: looked in "
            + KNOWN_LOCATIONS
            + " and on PATH (install the nats-server package or set -Dnats.server=...)");
  }

  private static NatsServerProcess launch(Path binary, int port) throws IOException {
    Path dir = Files.createTempDirectory("mailroom-nats-" + port + "-");
    Path log = dir.resolve("nats-server.log");
    List<String> command =
        List.of(
            binary.toString(),
            "-a",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-js",
            "-sd",
            dir.resolve("store").toString());
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      deleteRecursively(dir);
      throw new IOException("cannot run " + binary, e);
    }
    NatsServerProcess server = new NatsServerProcess(process, port, dir);
    try {
      server.awaitReady(log);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** {@code nats://127.0.0.1:<port>}. */
  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** The port on 127.0.0.1 that the server listens on. */
  public int port() {
    return port;
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public void close() {
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running or ran, nothing to remove.
    }
  }

  @Override
  public String toString() {
    return "NatsServerProcess[" + url() + (process.isAlive() ? "" : ", not running") + "]";
  }

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      deleteRecursively(dir);
    }
  }

  /** Waits until the port accepts a connection; fails early if the process exits. */
  private void awaitReady(Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            "nats-server exited with "
                + process.exitValue()
                + " before it was ready:\n"
                + tail(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "nats-server did not listen on port "
                + port
                + " within "
                + READY_TIMEOUT_MILLIS
                + " ms:\n"
                + tail(log));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for nats-server", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
