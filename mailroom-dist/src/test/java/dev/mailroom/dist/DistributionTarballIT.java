package dev.mailroom.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

      // A coding agent's hook: with curl on the PATH the launcher answers in the shell, without it
      // (as in the container image) the bundled Java does; both print the same summary.
      Map<String, String> hookEnv =
          Map.of(
              "HOME", tmp.toString(),
              "MAILROOM_URL", "http://127.0.0.1:" + port,
              "MAILROOM_TOKEN", Files.readString(dataDir.resolve("admin.token")).strip());
      String withoutCurl = hook(launcher, hookEnv, emptyPath.toString());
      String withCurl = hook(launcher, hookEnv, "/usr/bin:/bin");
      assertThat(withoutCurl).startsWith("Mailroom: no unread messages for agent ");
      assertThat(withCurl).isEqualTo(withoutCurl);
    }
  }

  /** Runs {@code mailroom hook inbox} as a hook runs it, with a JSON object on standard input. */
  private static String hook(Path launcher, Map<String, String> env, String path)
      throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder(launcher.toString(), "hook", "inbox");
    b.environment().clear();
    b.environment().putAll(env);
    b.environment().put("PATH", path);
    b.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = b.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("{\"hook_event_name\":\"SessionStart\"}".getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }
}
