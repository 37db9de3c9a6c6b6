package dev.mailroom.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball, unpacked into an empty directory, runs the server with no Java on the
 * machine as far as it can tell: PATH is an empty directory (so no {@code java}, nor any other
 * command) and JAVA_HOME is unset. The launcher must find the bundled runtime by itself.
 */
class DistributionTarballIT {
  private static final Path TARBALL = Path.of(System.getProperty("dist.tarball"));

  @Test
  void theUnpackedTarballServesWithItsOwnRuntime(@TempDir Path tmp) throws Exception {
    assertThat(TARBALL.getFileName().toString()).matches("mailroom-.+-linux-x64\\.tar\\.gz");
    Path unpacked = Files.createDirectory(tmp.resolve("unpacked"));
    Launched.run(List.of("tar", "-xzf", TARBALL.toString(), "-C", unpacked.toString()));
    Path home;
    try (Stream<Path> top = Files.list(unpacked)) {
      List<Path> entries = top.toList();
      assertThat(entries).as("one top-level directory").hasSize(1);
      home = entries.getFirst();
    }
    assertThat(home.getFileName().toString()).startsWith("mailroom-");
    Path launcher = home.resolve("bin/mailroom");
    assertThat(launcher).isExecutable();
    assertThat(home.resolve("runtime/bin/java")).isExecutable();
    assertThat(home.resolve("lib/mailroom-cli.jar")).isRegularFile();
    assertThat(home.resolve("runtime/include")).doesNotExist();

    Path emptyPath = Files.createDirectory(tmp.resolve("empty-path"));
    Path dataDir = tmp.resolve("data");
    int port = Launched.freePort();
    Map<String, String> env =
        Map.of(
            "PATH", emptyPath.toString(),
            "HOME", tmp.toString(),
            // Exercises MAILROOM_JAVA_OPTS (split at spaces) and keeps the test's server small.
            "MAILROOM_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    List<String> command =
        List.of(
            launcher.toString(),
            "serve",
            "--port",
            Integer.toString(port),
            "--data-dir",
            dataDir.toString());
    try (Launched server = Launched.start(command, env, port, tmp.resolve("server.log"))) {
      var health = server.get("/health");
      assertThat(health.statusCode()).as(server.output()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(dataDir.resolve("admin.token")).isRegularFile();
    }
  }
}
