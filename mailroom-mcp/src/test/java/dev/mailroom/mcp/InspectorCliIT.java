package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A third-party MCP client from the npm registry, the official MCP Inspector in CLI mode, lists and
 * calls the tools over {@code /mcp}. It needs {@code npx}: without it the test is skipped on a
 * developer's machine and fails in CI ({@code CI=true}), where {@code .ci/run} installs Debian's
 * nodejs and npm. The Inspector wants a newer Node.js than some distributions ship, so npx runs it
 * with the Node.js it declares, also from the npm registry.
 */
class InspectorCliIT {
  /** Pinned, so a new release cannot change the test under us. */
  static final String INSPECTOR = "@modelcontextprotocol/inspector@2.12.0";

  /** The Node.js the Inspector declares it needs (engines: node >= 22.19). */
  static final String NODE = "node@22";

  private static final long TIMEOUT_MINUTES = 5; // the first run downloads the package

  @RegisterExtension
  static final TestServer server = new TestServer(b -> b.endpoint(MailroomMcp.endpoint()));

  @TempDir static Path work;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void npxIsThere() throws IOException, InterruptedException {
    Run version = run(List.of("npx", "--version"));
    if (version.exit() == 0) {
      return;
    }
    String why = "npx (Node.js) is not on the PATH: " + version.err();
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + "; CI must provide it (.ci/run installs Debian's nodejs and npm)");
    }
    Assumptions.abort(why + "; install Node.js to run the MCP Inspector test");
  }

  @Test
  void theInspectorListsEveryToolAndCallsThemWithArguments() throws Exception {
    AgentCreated bob = server.newAgent("bob");
    AgentCreated alice = server.newAgent("alice");

    Run list = inspector(bob, "--method", "tools/list");
    assertThat(list.exit()).as("%s", list).isZero();
    JsonNode tools = Json.mapper().readTree(list.out()).path("tools");
    List<String> names = new ArrayList<>();
    tools.forEach(t -> names.add(t.path("name").asString()));
    assertThat(names).containsExactlyInAnyOrderElementsOf(McpContract.TOOLS);

    Run whoami = inspector(bob, "--method", "tools/call", "--tool-name", "whoami");
    assertThat(whoami.exit()).as("%s", whoami).isZero();
    assertThat(whoami.out()).contains(bob.id()).doesNotContain("\"isError\": true");

    Run send =
        inspector(
            bob,
            "--method",
            "tools/call",
            "--tool-name",
            "send_message",
            "--tool-arg",
            "to=" + alice.id(),
            "payload=hello from the inspector");
    assertThat(send.exit()).as("%s", send).isZero();
    try (MailroomClient a = server.client(alice)) {
      assertThat(a.messages().inboxAll(ListQuery.all()))
          .anyMatch(m -> m.payload().asString().equals("hello from the inspector"));
    }
  }

  private static Run inspector(AgentCreated agent, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "npx",
            "-y",
            "-p",
            NODE,
            "-p",
            INSPECTOR,
            "--",
            "mcp-inspector",
            "--cli",
            server.baseUri().resolve(MailroomMcp.PATH).toString(),
            "--transport",
            "http",
            "--header",
            "Authorization: Bearer " + agent.token()));
    command.addAll(List.of(args));
    return run(command);
  }

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      return new Run(-1, "", String.valueOf(e.getMessage()));
    }
    if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(command.get(0) + " did not finish within " + TIMEOUT_MINUTES + " minutes");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
