package dev.mailroom.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.MessageView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The two-agent example runs against a real server and holds a threaded conversation. */
class TwoAgentsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void twoAgentsTakeTurnsInOneThreadEachAnswerReplyingToItsQuestion() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<String> questions = List.of("first?", "second?", "third?");
    List<String> transcript =
        TwoAgents.converse(
            server.baseUri(),
            TestServer.ADMIN_TOKEN,
            questions,
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(transcript)
        .containsExactly(
            "asker: first?",
            "answerer: You asked: \"first?\" - noted.",
            "asker: second?",
            "answerer: You asked: \"second?\" - noted.",
            "asker: third?",
            "answerer: You asked: \"third?\" - noted.");
    assertThat(printed.toString(StandardCharsets.UTF_8).lines())
        .containsExactlyElementsOf(transcript);

    MailroomClient admin = server.admin();
    String asker =
        admin.agents().list().agents().stream()
            .map(AgentView::id)
            .filter(id -> id.startsWith("asker-"))
            .findFirst()
            .orElseThrow();
    List<MessageView> answers = admin.messages().historyAll(asker, ListQuery.all()).toList();
    assertThat(answers).hasSize(3);
    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.threadId())
                  .contains("conversation-" + asker.substring("asker-".length()));
              assertThat(a.inReplyTo()).isPresent();
              assertThat(a.readAt()).isEmpty(); // read by the asker, not by the admin
            });
  }
}
