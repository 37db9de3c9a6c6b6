package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What other agents write reaches a person's terminal as text: an escape sequence in a payload
 * (recolouring, retitling the window, writing the clipboard) or a bidirectional override is shown,
 * never acted on; {@code --json} stays valid JSON that means the same.
 */
class TerminalSafetyIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static final String HOSTILE =
      "hi \u001b[2J\u001b]52;c;cm0gLXJmIH4=\u0007 \u009b31m \u202eevil\u202c end\r\nnext\tline";

  @Test
  void inboxAndReadShowControlCharactersAsEscapes() {
    AgentCreated mallory = server.newAgent("mallory");
    AgentCreated bob = server.newAgent("bob");
    Cli.Result sent = Cli.as(server, mallory.token()).run("send", bob.id(), HOSTILE, "--json");
    assertThat(sent.exit()).as("%s", sent).isZero();
    String id = Json.mapper().readTree(sent.out()).get("id").asString();
    Cli asBob = Cli.as(server, bob.token());

    Cli.Result inbox = asBob.run("inbox");
    Cli.Result read = asBob.run("read", id);

    for (Cli.Result r : new Cli.Result[] {inbox, read}) {
      assertThat(r.exit()).as("%s", r).isZero();
      assertThat(r.out())
          .doesNotContain("\u001b", "\u0007", "\u009b", "\u202e", "\r")
          .contains("\\u001b[2J", "\\u001b]52;c;", "\\u0007", "\\u009b31m", "\\u202eevil");
    }
    assertThat(read.out()).contains("\\u000d\nnext\tline");
  }

  @Test
  void jsonOutputStaysValidAndMeansTheSameText() {
    AgentCreated mallory = server.newAgent("mallory");
    AgentCreated bob = server.newAgent("bob");
    Cli.as(server, mallory.token()).run("send", bob.id(), HOSTILE);

    Cli.Result inbox = Cli.as(server, bob.token()).run("inbox", "--json");

    assertThat(inbox.out()).doesNotContain("\u001b", "\u009b", "\u202e");
    assertThat(Json.mapper().readTree(inbox.out()).findValue("payload").asString())
        .isEqualTo(HOSTILE);
  }

  @Test
  void theServersProblemDetailsAreShownAsTextToo() {
    AgentCreated mallory = server.newAgent("mallory");

    Cli.Result r = Cli.as(server, mallory.token()).run("send", "no\u001b[31mbody", "x");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).doesNotContain("\u001b").contains("\\u001b[31m");
  }
}
