package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code send --ack-required --reply-by}, {@code receipts} and {@code obligations}. */
class ReceiptCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void aSenderAsksForAnAckAndSeesItComeWhileTheRecipientSeesWhatItOwes() {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());
    Cli asBob = Cli.as(server, bob.token());

    Cli.Result sent =
        asAlice.run(
            "send", bob.id(), "Take the release?", "--ack-required", "--reply-by", "2h", "--json");
    assertThat(sent.exit()).as("%s", sent).isZero();
    String id = Json.mapper().readTree(sent.out()).get("id").asString();

    Cli.Result queued = asAlice.run("receipts", id);
    assertThat(queued.exit()).as("%s", queued).isZero();
    assertThat(queued.out())
        .contains("obligation: an ack or a reply owed by " + bob.id())
        .contains(": open")
        .containsPattern(bob.id() + " +queued");
    Cli.Result owed = asBob.run("obligations");
    assertThat(owed.out())
        .contains(id)
        .contains(alice.id())
        .contains("ack or reply")
        .contains("open");
    assertThat(asAlice.run("obligations").out()).doesNotContain(id);

    Cli.Result read = asBob.run("read", "--ack", id);
    assertThat(read.exit()).as("%s", read).isZero();

    Cli.Result acked = asAlice.run("receipts", id);
    assertThat(acked.out())
        .contains(": met by " + bob.id() + " (ack)")
        .containsPattern(bob.id() + " +acknowledged");
    assertThat(asBob.run("obligations").out()).doesNotContain(id);
    assertThat(asAlice.run("obligations", "--owed-to-me", "--state", "met").out()).contains(id);
    Cli.Result json = asAlice.run("receipts", id, "--json");
    assertThat(Json.mapper().readTree(json.out()).path("obligation").path("met_how").asString())
        .isEqualTo("ack");
  }

  @Test
  void badDeadlinesAndOptionsAreRefused() {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Cli asAlice = Cli.as(server, alice.token());

    Cli.Result word = asAlice.run("send", bob.id(), "x", "--reply-by", "tomorrow");
    assertThat(word.exit()).isNotZero();
    assertThat(word.err()).contains("not a deadline");
    Cli.Result past = asAlice.run("send", bob.id(), "x", "--reply-by", "2020-01-01T00:00:00Z");
    assertThat(past.exit()).isNotZero();
    assertThat(past.err()).contains("reply_by");
    Cli.Result state = asAlice.run("obligations", "--state", "late");
    assertThat(state.exit()).isNotZero();
    Cli.Result other = Cli.as(server, bob.token()).run("receipts", "0000000000000");
    assertThat(other.exit()).isNotZero();
  }
}
