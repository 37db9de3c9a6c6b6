package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.ThreadSummaryView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's threads against a real server: a long thread whole and in order, summaries. */
class ThreadsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static MailroomClient alice;
  private static MailroomClient bob;
  private static AgentCreated bobAgent;
  private static AgentCreated aliceAgent;

  @BeforeAll
  static void agents() {
    aliceAgent = server.newAgent("alice");
    alice = server.client(aliceAgent);
    bobAgent = server.newAgent("bob");
    bob = server.client(bobAgent);
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
  }

  @Test
  void aThreadOf2500MessagesComesWholeAndInOrder() {
    String thread = "sdk-" + System.nanoTime();
    List<String> expected = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) {
      List<Draft> drafts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Draft d =
            i % 3 == 0
                ? Draft.direct("sdk-desk").text("m" + (batch * 100 + i))
                : Draft.direct(bobAgent.id()).text("m" + (batch * 100 + i));
        drafts.add(d.threadId(thread));
      }
      alice.messages().sendAll(drafts).stream().map(SendResponse::id).forEach(expected::add);
      alice.messages().send(Draft.direct(bobAgent.id()).text("noise").threadId(thread + "x"));
    }

    assertThat(bob.threads().all(thread).map(MessageView::id)).containsExactlyElementsOf(expected);
    List<String> newestFirst = new ArrayList<>();
    bob.threads()
        .pages(thread, Order.DESC, PageRequest.of(700))
        .forEachRemaining(p -> p.messages().forEach(m -> newestFirst.add(m.id())));
    assertThat(newestFirst).containsExactlyElementsOf(expected.reversed());
    assertThat(
            bob.messages()
                .inboxAll(ListQuery.builder().threadId(thread).limit(1000).build())
                .count())
        .isEqualTo(2500 - 25 * 34);

    ThreadSummaryView summary = bob.threads().summary(thread);
    assertThat(summary.messageCount()).isEqualTo(2500);
    assertThat(summary.participants()).containsExactly(aliceAgent.id());
    assertThat(summary.lastMessageId()).isEqualTo(expected.getLast());
    assertThat(bob.threads().listAll().map(ThreadSummaryView::threadId))
        .contains(thread, thread + "x");
  }

  @Test
  void anUnknownThreadHasNoSummary() {
    assertThatThrownBy(() -> bob.threads().summary("none-" + System.nanoTime()))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.NOT_FOUND));
  }
}
