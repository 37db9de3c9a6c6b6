package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reservations} and {@code hooks install --git} against a real server, in a real temporary
 * git repository: the installed pre-commit hook runs the CLI as a process, refuses a commit
 * touching a file another agent holds exclusively, and lets it through once released.
 */
class ReservationHookIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static final Pattern ID = Pattern.compile("res_[0-9a-f]{24}");

  @TempDir Path dir;
  private Path repo;
  private Path launcher;

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectory(dir.resolve("demo"));
    git(Map.of(), "init", "-q");
    git(Map.of(), "config", "user.name", "Test");
    git(Map.of(), "config", "user.email", "test@example.com");
    git(Map.of(), "config", "commit.gpgsign", "false");
    launcher = dir.resolve("mailroom");
    String java = ProcessHandle.current().info().command().orElse("java");
    Files.writeString(
        launcher,
        "#!/bin/sh\nexec "
            + GitHook.quote(java)
            + " -cp "
            + GitHook.quote(System.getProperty("java.class.path"))
            + " dev.mailroom.cli.Main \"$@\"\n");
    assertThat(launcher.toFile().setExecutable(true)).isTrue();
  }

  @Test
  void theHookRefusesACommitTouchingAFileAnotherAgentHoldsAndAllowsItAfterRelease()
      throws Exception {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());
    Cli asBob = Cli.as(server, bob.token());

    Cli.Result installed =
        asAlice.run(
            "hooks",
            "install",
            "--git",
            "--repo",
            repo.toString(),
            "--launcher",
            launcher.toString());
    assertThat(installed.exit()).as("%s", installed).isZero();
    Path hook = repo.resolve(".git/hooks/pre-commit");
    assertThat(installed.out()).contains(hook.toString(), "project demo");
    assertThat(Files.isExecutable(hook)).isTrue();
    assertThat(Files.readString(hook)).contains("--project 'demo'").doesNotContain(alice.token());
    Cli.Result again =
        asAlice.run(
            "hooks",
            "install",
            "--git",
            "--repo",
            repo.toString(),
            "--launcher",
            launcher.toString());
    assertThat(again.out()).contains("already installed");

    Cli.Result reserved =
        asBob.run(
            "reservations", "reserve", "--project", "demo", "src/**", "--reason", "refactoring");
    assertThat(reserved.exit()).as("%s", reserved).isZero();
    Matcher m = ID.matcher(reserved.out());
    assertThat(m.find()).as("%s", reserved).isTrue();
    String id = m.group();

    Files.createDirectories(repo.resolve("src"));
    Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
    Files.writeString(repo.resolve("README.md"), "demo\n");
    Map<String, String> env =
        Map.of(
            ConnectionOptions.URL_VARIABLE,
            server.baseUri().toString(),
            ConnectionOptions.TOKEN_VARIABLE,
            alice.token());

    git(env, "add", "README.md");
    Run readme = run(env, "git", "commit", "-q", "-m", "readme");
    assertThat(readme.exit()).as("%s", readme).isZero();

    git(env, "add", "src/A.java");
    Run refused = run(env, "git", "commit", "-q", "-m", "touches bob's file");
    assertThat(refused.exit()).as("%s", refused).isNotZero();
    assertThat(refused.output())
        .contains("src/A.java", bob.id(), id, "refactoring")
        .doesNotContain(alice.token());
    assertThat(run(env, "git", "log", "--oneline").output()).doesNotContain("touches bob's file");

    Cli.Result check = asAlice.run("reservations", "check", "--repo", repo.toString());
    assertThat(check.exit()).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(asBob.run("reservations", "check", "--repo", repo.toString()).exit()).isZero();

    Cli.Result conflict = asAlice.run("reservations", "reserve", "--project", "demo", "src/A.java");
    assertThat(conflict.exit()).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(conflict.out()).contains(bob.id() + " holds src/** exclusively until");

    assertThat(asBob.run("reservations", "release", id).exit()).isZero();
    Run allowed = run(env, "git", "commit", "-q", "-m", "touches the file after release");
    assertThat(allowed.exit()).as("%s", allowed).isZero();
    assertThat(run(env, "git", "log", "--oneline").output())
        .contains("touches the file after release");
  }

  @Test
  void installingRespectsHooksPathAndLeavesAForeignHookAloneUnlessForced() throws Exception {
    AgentCreated alice = server.newAgent("alice");
    Cli asAlice = Cli.as(server, alice.token());
    git(Map.of(), "config", "core.hooksPath", "githooks");
    Path hooks = Files.createDirectory(repo.resolve("githooks"));
    Files.writeString(hooks.resolve("pre-commit"), "#!/bin/sh\necho mine\n");

    Cli.Result refused =
        asAlice.run("hooks", "install", "--git", "--repo", repo.toString(), "--project", "p");
    assertThat(refused.exit()).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(refused.err()).contains("is not Mailroom's hook", "--force");
    assertThat(Files.readString(hooks.resolve("pre-commit"))).isEqualTo("#!/bin/sh\necho mine\n");
    assertThat(repo.resolve(".git/hooks/pre-commit")).doesNotExist();

    Cli.Result forced =
        asAlice.run(
            "hooks", "install", "--git", "--repo", repo.toString(), "--project", "p", "--force");
    assertThat(forced.exit()).as("%s", forced).isZero();
    assertThat(Files.readString(hooks.resolve("pre-commit")))
        .contains(GitHook.MARKER, "exec 'mailroom' reservations check --project 'p'");

    Cli.Result updated =
        asAlice.run("hooks", "install", "--git", "--repo", repo.toString(), "--project", "q");
    assertThat(updated.out()).contains("updated");
    assertThat(asAlice.run("hooks", "install", "--repo", repo.toString()).exit())
        .isEqualTo(ExitCode.USAGE.code());
  }

  @Test
  void reservationsAreListedRenewedAndReleasedWithTheirUntrustedReasonMadeSafe() {
    AgentCreated alice = server.newAgent("alice");
    Cli asAlice = Cli.as(server, alice.token());
    Cli.Result reserved =
        asAlice.run(
            "reservations",
            "reserve",
            "--project",
            "listed",
            "docs/*",
            "--shared",
            "--ttl",
            "10m",
            "--reason",
            "\u001b[2Jwiping");
    assertThat(reserved.exit()).as("%s", reserved).isZero();
    Matcher m = ID.matcher(reserved.out());
    assertThat(m.find()).isTrue();

    Cli.Result list = asAlice.run("reservations", "list", "--project", "listed");
    assertThat(list.out()).contains(m.group(), "shared", "docs/*", "\\u001b[2Jwiping");
    assertThat(list.out()).doesNotContain("\u001b");

    Cli.Result renewed = asAlice.run("reservations", "renew", m.group(), "--ttl", "2h");
    assertThat(renewed.exit()).as("%s", renewed).isZero();
    assertThat(asAlice.run("reservations", "release", m.group()).exit()).isZero();
    assertThat(asAlice.run("reservations", "release", m.group()).exit())
        .isEqualTo(ExitCode.NOT_FOUND.code());
  }

  private record Run(int exit, String output) {}

  private void git(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Run r = run(env, command.toArray(String[]::new));
    assertThat(r.exit()).as("%s: %s", command, r).isZero();
  }

  private Run run(Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder b =
        new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    b.environment().remove(ConnectionOptions.URL_VARIABLE);
    b.environment().remove(ConnectionOptions.TOKEN_VARIABLE);
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
