package dev.mailroom.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server of a compared system run as a process of its own: on a free port of 127.0.0.1, with its
 * files and log in a fresh temp directory. {@link #close()} stops it (SIGTERM, then SIGKILL) and
 * deletes the directory; a JVM shutdown hook does the same for one nobody closed.
 */
public final class ServerProcess implements AutoCloseable {
  private static final long EXIT_TIMEOUT_SECONDS = 30;
  private static final int START_ATTEMPTS = 3;

  /** The command line of a server, given the port it must listen on and its directory. */
  @FunctionalInterface
  public interface Command {
    List<String> of(int port, Path dir);
  }

  private final String name;
  private final Process process;
  private final int port;
  private final Path dir;
  private final Thread reaper;
  private boolean closed;

  private ServerProcess(String name, Process process, int port, Path dir) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.reaper = new Thread(this::stopAndDelete, name + "-reaper-" + port);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** The {@code java} launcher this process runs on, to run another JVM the same way. */
  public static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Runs {@code command} with {@code environment} added to this process's, and returns once the
   * port accepts connections. A port taken meanwhile by someone else is retried on another.
   *
   * @param name the server's name, for its directory, threads and errors
   * @param ready how long the server may take to listen
   * @throws IOException if the server cannot run, exits, or does not listen in time
   */
  public static ServerProcess start(
      String name, Command command, Map<String, String> environment, Duration ready)
      throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return launch(name, command, environment, ready, freePort());
      } catch (IOException e) {
        last = e; // most likely the port was taken meanwhile: try another
      }
    }
    throw last;
  }

  private static ServerProcess launch(
      String name, Command command, Map<String, String> environment, Duration ready, int port)
      throws IOException {
    Path dir = Files.createTempDirectory("mailroom-" + name + "-" + port + "-");
    Path log = dir.resolve(name + ".log");
    List<String> line = command.of(port, dir);
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(line)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      deleteRecursively(dir);
      throw new IOException("cannot run " + line.getFirst(), e);
    }
    ServerProcess server = new ServerProcess(name, process, port, dir);
    try {
      server.awaitReady(log, ready);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The port on 127.0.0.1 that the server listens on. */
  public int port() {
    return port;
  }

  /** The server's process id, for tools that look into it ({@code jcmd}, {@code /proc}). */
  public long pid() {
    return process.pid();
  }

  /** The server's own directory (deleted on {@link #close()}). */
  public Path dir() {
    return dir;
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
    return name + "[127.0.0.1:" + port + (process.isAlive() ? "" : ", not running") + "]";
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
  private void awaitReady(Path log, Duration ready) throws IOException {
    long deadline = System.nanoTime() + ready.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + tail(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            name + " did not listen on port " + port + " within " + ready + ":\n" + tail(log));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + name, e);
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
