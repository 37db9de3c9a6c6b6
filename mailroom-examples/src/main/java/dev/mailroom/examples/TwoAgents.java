package dev.mailroom.examples;

import dev.mailroom.client.Draft;
import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MessageStream;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Two agents converse through the SDK. An admin registers them; the <em>answerer</em> streams its
 * mail and replies to each question in the question's thread; the <em>asker</em> sends questions
 * one at a time and long-polls its inbox for each answer.
 *
 * <pre>
 * java -cp ... dev.mailroom.examples.TwoAgents http://127.0.0.1:8080 "$(cat mailroom-data/admin.token)"
 * </pre>
 */
public final class TwoAgents {
  static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

  private TwoAgents() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: TwoAgents SERVER_URL ADMIN_TOKEN");
      System.exit(2);
    }
    List<String> questions =
        List.of("What is 6 x 7?", "Which port does Mailroom use?", "Shall we ship it?");
    converse(URI.create(args[0]), args[1], questions, System.out);
  }

  /**
   * Registers two agents and has them converse: one question, one answer, in turn.
   *
   * @return the transcript, one line per message
   */
  public static List<String> converse(
      URI server, String adminToken, List<String> questions, PrintStream out) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (MailroomClient admin = MailroomClient.create(server, adminToken)) {
      AgentCreated asker = admin.agents().create("asker-" + suffix);
      AgentCreated answerer = admin.agents().create("answerer-" + suffix);
      MailroomClient askerClient = admin.withToken(asker.token());
      MailroomClient answererClient = admin.withToken(answerer.token());

      // The answerer replies to every question, on its stream's handler thread.
      try (MessageStream answering =
          answererClient.stream(
              m -> {
                MessageView question = m.message();
                String answer = "You asked: \"" + question.payload().asString() + "\" - noted.";
                answererClient.messages().send(Draft.replyTo(question).text(answer));
              })) {
        return ask(askerClient, answerer.id(), "conversation-" + suffix, questions, out);
      }
    }
  }

  private static List<String> ask(
      MailroomClient asker,
      String answerer,
      String thread,
      List<String> questions,
      PrintStream out) {
    List<String> transcript = new ArrayList<>();
    Optional<String> lastSeen = Optional.empty();
    for (String q : questions) {
      String id = asker.messages().send(Draft.direct(answerer).text(q).threadId(thread)).id();
      transcript.add("asker: " + q);
      out.println(transcript.getLast());
      MessageView answer = awaitAnswer(asker, answerer, lastSeen.orElse(id));
      asker.messages().markRead(answer.id());
      lastSeen = Optional.of(answer.id());
      transcript.add("answerer: " + answer.payload().asString());
      out.println(transcript.getLast());
    }
    return transcript;
  }

  /** The next message from {@code answerer} after {@code afterId}, by long polling. */
  private static MessageView awaitAnswer(MailroomClient asker, String answerer, String afterId) {
    ListQuery next = ListQuery.builder().sender(answerer).afterId(afterId).limit(1).build();
    MessagePage page = asker.messages().inbox(next, ANSWER_WAIT);
    if (page.messages().isEmpty()) {
      throw new IllegalStateException("no answer within " + ANSWER_WAIT);
    }
    return page.messages().getFirst();
  }
}
