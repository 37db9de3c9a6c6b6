package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code agents list|show|profile|retire|delete}, {@code enrollments} and {@code enroll}. */
class DirectoryCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final Cli admin = Cli.as(server, TestServer.ADMIN_TOKEN);

  private String token(String id) {
    return admin.run("agents", "create", id, "--quiet").out().strip();
  }

  @Test
  void anAgentSetsItsProfileAndPeersSeeItEscaped() {
    Cli dana = Cli.as(server, token("dana"));
    Cli eve = Cli.as(server, token("eve"));

    Cli.Result set =
        dana.run(
            "agents",
            "profile",
            "dana",
            "--display-name",
            "Dana",
            "--description",
            "Plans work \u001b[31mred\u001b[0m",
            "--tag",
            "planner");
    // The server refuses control characters outright; the CLI says which field.
    assertThat(set.exit()).as("%s", set).isNotZero();
    assertThat(set.out() + set.err()).contains("description");

    Cli.Result fixed =
        dana.run(
            "agents",
            "profile",
            "dana",
            "--display-name",
            "Dana \u202eevil",
            "--description",
            "Plans work",
            "--tag",
            "planner");
    assertThat(fixed.exit()).as("%s", fixed).isZero();

    Cli.Result shown = eve.run("agents", "show", "dana");
    assertThat(shown.out()).contains("Plans work").contains("planner").doesNotContain("roles:");
    // A bidirectional override another agent wrote is shown as an escape.
    assertThat(shown.out()).doesNotContain("\u202e").contains("\\u202e");

    Cli.Result listed = eve.run("agents", "list", "--tag", "planner");
    assertThat(listed.out()).contains("dana").doesNotContain("eve ");
  }

  @Test
  void anEnrollmentSecretRegistersAnAgentAndAnAdminRetiresIt() {
    Cli.Result issued =
        admin.run("enrollments", "create", "--uses", "1", "--ttl", "1h", "--id-prefix", "w-", "-q");
    assertThat(issued.exit()).as("%s", issued).isZero();
    String secret = issued.out().strip();
    assertThat(secret).startsWith("mre_");

    Cli.Result enrolled = Cli.as(server, secret).run("enroll", "w-1", "--display-name", "W", "-q");
    assertThat(enrolled.exit()).as("%s", enrolled).isZero();
    String workerToken = enrolled.out().strip();
    assertThat(Cli.as(server, workerToken).run("agents", "show", "w-1").out()).contains("agent");
    assertThat(Cli.as(server, secret).run("enroll", "w-2").exit())
        .isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(admin.run("enrollments", "list").out()).contains("w-").doesNotContain(secret);

    assertThat(admin.run("agents", "retire", "w-1").out()).contains("w-1: retired");
    assertThat(Cli.as(server, workerToken).run("agents", "show", "w-1").exit())
        .isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(admin.run("agents", "list", "--retired").out()).contains("w-1");
  }

  @Test
  void anAdminDeletesAnAgentAndItsTokenFails() {
    String fayToken = token("fay");

    assertThat(admin.run("agents", "delete", "fay").out()).contains("deleted agent fay");

    assertThat(Cli.as(server, fayToken).run("agents", "show", "fay").exit())
        .isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(admin.run("agents", "list").out()).doesNotContain("fay");
    assertThat(admin.run("agents", "delete", "fay").exit()).isEqualTo(ExitCode.NOT_FOUND.code());
  }
}
