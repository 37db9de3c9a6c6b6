package dev.mailroom.bench.compare;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts a {@code nats-server} of our own with JetStream on, as a {@link ServerProcess}. */
final class NatsServerProcess {
  private static final Duration READY = Duration.ofSeconds(10);
  private static final List<String> KNOWN_LOCATIONS =
      List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server");

  private NatsServerProcess() {}

  /**
   * Starts {@code nats-server -js} (from {@link #binary()}) with its store in the process's
   * directory, and returns once it accepts connections.
   *
   * @throws IOException if there is no binary, or the server does not come up
   */
  static ServerProcess start() throws IOException {
    Path binary = binary();
    return ServerProcess.start(
        "nats-server",
        (port, dir) ->
            List.of(
                binary.toString(),
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-js",
                "-sd",
                dir.resolve("store").toString()),
        Map.of(),
        READY);
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
}
