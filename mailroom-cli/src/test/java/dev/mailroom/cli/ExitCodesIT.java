package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each class of error exits with its own code, says what went wrong, and never shows a token. */
class ExitCodesIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void eachClassOfErrorHasItsExitCode() throws Exception {
    AgentCreated agent = server.newAgent("coder");
    Cli asAgent = Cli.as(server, agent.token());

    Cli.Result invalid = asAgent.run("inbox", "--limit", "5000");
    assertThat(invalid.exit()).as("%s", invalid).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(invalid.err()).contains("limit:").contains("request id:");

    assertThat(Cli.as(server, "mr_wrong").run("inbox").exit())
        .isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(asAgent.run("enrollments", "list").exit()).isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(asAgent.run("read", "1M819J5X70000").exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(Cli.as(server, TestServer.ADMIN_TOKEN).run("agents", "create", agent.id()).exit())
        .isEqualTo(ExitCode.CONFLICT.code());
    assertThat(asAgent.stdin("x".repeat(1024 * 1024 + 1)).run("send", agent.id()).exit())
        .isEqualTo(ExitCode.TOO_LARGE.code());

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli.Result nobody = Cli.bare().run("stats", "--server", "http://127.0.0.1:" + port);
    assertThat(nobody.exit()).isEqualTo(ExitCode.CONNECTION_FAILED.code());
    assertThat(nobody.err()).contains("could not reach");
  }

  @Test
  void badUsageExitsWithTwoAndTheHelpListsTheExitCodes() {
    Cli cli = Cli.as(server, "mr_x");
    assertThat(cli.run("send").exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(cli.run("inbox", "--max-age", "soon").exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(cli.run("topics").exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(cli.run("send", "--topic", "t", "--broadcast", "x").exit())
        .isEqualTo(ExitCode.USAGE.code());

    Cli.Result help = cli.run("inbox", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Exit codes:").contains("12   no answer");
  }

  @Test
  void anUnknownCommandIsNamedAndExitsWithTwoEvenWithHelp() {
    Cli cli = Cli.bare();
    for (String[] args :
        List.of(
            new String[] {"sned", "--help"},
            new String[] {"--help", "sned"},
            new String[] {"sned"},
            new String[] {"topics", "sned", "--help"},
            new String[] {"inbox", "sned", "--help"})) {
      Cli.Result r = cli.run(args);
      assertThat(r.exit()).as("%s: %s", List.of(args), r).isEqualTo(ExitCode.USAGE.code());
      assertThat(r.err()).as("%s", List.of(args)).contains("'sned'");
      assertThat(r.out()).as("%s", List.of(args)).isEmpty();
    }
  }

  @Test
  void theFlagsWinOverTheEnvironmentAndTokensAreNeverPrinted() {
    AgentCreated agent = server.newAgent("private");
    Cli wrongEnvironment = Cli.as(server, "mr_environment_token");
    Cli.Result flags = wrongEnvironment.run("inbox", "--count", "--token", agent.token());
    assertThat(flags.exit()).as("%s", flags).isZero();

    Cli.Result refused = wrongEnvironment.run("inbox", "--count");
    assertThat(refused.exit()).isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(refused.out() + refused.err()).doesNotContain("mr_environment_token");
  }
}
