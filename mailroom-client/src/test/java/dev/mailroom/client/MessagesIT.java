package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.protocol.InboxSummary;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SendResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's message methods against a real server: send, read, list, read state, acks. */
class MessagesIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static MailroomClient alice;
  private static MailroomClient bob;
  private static AgentCreated bobAgent;

  @BeforeAll
  static void agents() {
    alice = server.client(server.newAgent("alice"));
    bobAgent = server.newAgent("bob");
    bob = server.client(bobAgent);
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
  }

  @Test
  void aBatchIsSentInOrderInOneRequestOrNotAtAll() {
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      drafts.add(Draft.direct(bobAgent.id()).text("batch " + i).tag("batch"));
    }

    List<SendResponse> sent = alice.messages().sendAll(drafts);

    assertThat(sent).hasSize(5);
    assertThat(sent.stream().map(SendResponse::id).toList()).isSorted().doesNotHaveDuplicates();
    assertThat(sent.stream().map(r -> bob.messages().get(r.id()).payload().asString()))
        .containsExactly("batch 0", "batch 1", "batch 2", "batch 3", "batch 4");

    List<Draft> refused =
        List.of(Draft.direct(bobAgent.id()).text("fine"), Draft.direct("Not A Name").text("x"));
    assertThatThrownBy(() -> alice.messages().sendAll(refused))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e ->
                assertThat(e.fieldErrors())
                    .extracting(FieldErrorView::field)
                    .containsExactly("messages[1].target"));
    assertThatThrownBy(() -> alice.messages().sendAll(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyPayloadKindGoesOutAndComesBackWithItsFields() {
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    List<Draft> drafts =
        List.of(
            Draft.direct(bobAgent.id()).text("plain ✓"),
            Draft.direct(bobAgent.id()).markdown("**bold**"),
            Draft.direct(bobAgent.id()).code("java", "class A {}"),
            Draft.direct(bobAgent.id()).json(Json.mapper().valueToTree(Map.of("score", 1))),
            Draft.direct(bobAgent.id()).jsonText("[1,2]"),
            Draft.direct(bobAgent.id()).binary(bytes),
            Draft.direct(bobAgent.id()).uri(URI.create("https://example.com/r.pdf")));
    List<String> ids = new ArrayList<>();
    for (Draft d : drafts) {
      SendResponse sent =
          alice.messages().send(d.priority(Priority.HIGH).tag("kinds").ttl(Duration.ofHours(1)));
      assertThat(sent.recipients()).isEqualTo(1);
      assertThat(sent.duplicate()).isEmpty();
      ids.add(sent.id());
    }
    List<MessageView> got = ids.stream().map(bob.messages()::get).toList();
    assertThat(got)
        .extracting(MessageView::contentType)
        .containsExactly(
            Draft.TEXT,
            Draft.MARKDOWN,
            Draft.CODE,
            Draft.JSON,
            Draft.JSON,
            Draft.BINARY,
            Draft.URI_LIST);
    assertThat(got.get(0).payload().asString()).isEqualTo("plain ✓");
    assertThat(got.get(2).language()).contains("java");
    assertThat(got.get(3).payload().get("score").asInt()).isEqualTo(1);
    assertThat(got.get(4).payload().isArray()).isTrue();
    assertThat(Base64.getDecoder().decode(got.get(5).payload().asString())).isEqualTo(bytes);
    assertThat(got.get(6).payload().asString()).isEqualTo("https://example.com/r.pdf");
    assertThat(got).allSatisfy(m -> assertThat(m.priority()).isEqualTo("high"));
    assertThat(got).allSatisfy(m -> assertThat(m.tags()).containsExactly("kinds"));
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheOriginalAsADuplicate() {
    Draft d = Draft.direct(bobAgent.id()).text("once").idempotencyKey("key-" + Instant.now());
    SendResponse first = alice.messages().send(d);
    SendResponse again = alice.messages().send(d);
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.duplicate()).contains(true);
  }

  @Test
  void aReplyGoesToTheSenderInTheSameThreadWithMetadata() {
    AgentCreated carolAgent = server.newAgent("carol");
    MailroomClient carol = server.client(carolAgent);
    AgentCreated dave = server.newAgent("dave");
    String question =
        carol
            .messages()
            .send(
                Draft.direct(dave.id())
                    .text("q?")
                    .threadId("t-1")
                    .metadata(Map.of("repo", "mailroom")))
            .id();
    MailroomClient daveClient = server.client(dave);
    MessageView received = daveClient.messages().get(question);
    assertThat(received.metadata().get("repo").asString()).isEqualTo("mailroom");
    String answer = daveClient.messages().send(Draft.replyTo(received).text("a!")).id();
    MessageView reply = carol.messages().get(answer);
    assertThat(reply.inReplyTo()).contains(question);
    assertThat(reply.threadId()).contains("t-1");
    assertThat(reply.target()).contains(carolAgent.id());
    assertThat(reply.sender()).isEqualTo(dave.id());
  }

  @Test
  void theInboxFiltersPagesAndStreamsEveryPage() {
    AgentCreated senderAgent = server.newAgent("sender");
    MailroomClient sender = server.client(senderAgent);
    AgentCreated reader = server.newAgent("reader");
    MailroomClient readerClient = server.client(reader);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(
          sender
              .messages()
              .send(Draft.direct(reader.id()).text("m" + i).tag(i % 2 == 0 ? "even" : "odd"))
              .id());
    }
    ListQuery evenTwoAtATime = ListQuery.builder().tag("even").limit(2).build();
    MessagePage first = readerClient.messages().inbox(evenTwoAtATime);
    assertThat(first.messages())
        .extracting(MessageView::id)
        .containsExactly(ids.get(0), ids.get(2));
    assertThat(first.nextCursor()).isPresent();

    List<Integer> pageSizes = new ArrayList<>();
    Iterator<MessagePage> pages = readerClient.messages().inboxPages(evenTwoAtATime);
    pages.forEachRemaining(p -> pageSizes.add(p.messages().size()));
    assertThat(pageSizes).containsExactly(2, 2);

    assertThat(
            readerClient
                .messages()
                .inboxAll(ListQuery.builder().limit(3).order(Order.DESC).build())
                .map(MessageView::id))
        .containsExactlyElementsOf(ids.reversed());
    assertThat(
            readerClient
                .messages()
                .inboxAll(ListQuery.builder().sender(senderAgent.id()).afterId(ids.get(4)).build())
                .map(MessageView::id))
        .containsExactly(ids.get(5), ids.get(6));
  }

  @Test
  void aLongPollAnswersAsSoonAsAMessageArrives() {
    MailroomClient sender = server.client(server.newAgent("poller-sender"));
    AgentCreated waiter = server.newAgent("waiter");
    CompletableFuture<MessagePage> page =
        CompletableFuture.supplyAsync(
            () -> server.client(waiter).messages().inbox(ListQuery.all(), Duration.ofSeconds(30)));
    String id = sender.messages().send(Draft.direct(waiter.id()).text("wake up")).id();
    assertThat(page.join().messages()).extracting(MessageView::id).containsExactly(id);
  }

  @Test
  void readStateUnreadCountReadersAndAcknowledgement() {
    MailroomClient sender = server.client(server.newAgent("rs-sender"));
    AgentCreated reader = server.newAgent("rs-reader");
    MailroomClient r = server.client(reader);
    String id = sender.messages().send(Draft.direct(reader.id()).text("read me")).id();
    assertThat(r.messages().unreadCount().unread()).isEqualTo(1);

    assertThat(r.messages().ack(id).acknowledged()).isTrue();
    assertThat(r.messages().ack(id).acknowledged()).isFalse();

    r.messages().markRead(id);
    assertThat(r.messages().unreadCount().unread()).isZero();
    assertThat(r.messages().readers(id).readers())
        .singleElement()
        .satisfies(x -> assertThat(x.agentId()).isEqualTo(reader.id()));
    assertThat(r.messages().inbox(ListQuery.builder().unread(false).build()).messages())
        .singleElement()
        .satisfies(m -> assertThat(m.readAt()).isPresent());

    r.messages().markUnread(id);
    assertThat(r.messages().unreadCount().unread()).isEqualTo(1);
  }

  @Test
  void theInboxSummaryCountsSendersAndShowsTheNewestSubjects() {
    AgentCreated sender = server.newAgent("sum-sender");
    MailroomClient from = server.client(sender);
    AgentCreated reader = server.newAgent("sum-reader");
    from.messages().send(Draft.direct(reader.id()).text("first line\nsecond"));
    String newest = from.messages().send(Draft.direct(reader.id()).jsonText("{\"n\":1}")).id();

    InboxSummary s = server.client(reader).messages().inboxSummary();

    assertThat(s.agentId()).isEqualTo(reader.id());
    assertThat(s.unread()).isEqualTo(2);
    assertThat(s.topSenders()).containsExactly(new InboxSummary.SenderCount(sender.id(), 2));
    assertThat(s.newest()).extracting(InboxSummary.Item::id).startsWith(newest);
    assertThat(s.newest().get(0).subject()).isEmpty();
    assertThat(s.newest().get(1).subject()).contains("first line");
  }

  @Test
  void aTopicsHistoryListsAndPagesLikeTheInbox() {
    MailroomClient publisher = server.client(server.newAgent("publisher"));
    String topic = "history.t" + System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(publisher.messages().send(Draft.topic(topic).text("n" + i)).id());
    }
    assertThat(bob.messages().history(topic, ListQuery.builder().limit(1).build()).messages())
        .extracting(MessageView::id)
        .containsExactly(ids.getFirst());
    List<Integer> sizes = new ArrayList<>();
    bob.messages()
        .historyPages(topic, ListQuery.builder().limit(2).build())
        .forEachRemaining(p -> sizes.add(p.messages().size()));
    assertThat(sizes).containsExactly(2, 1);
    assertThat(bob.messages().historyAll(topic, ListQuery.all()).map(MessageView::id))
        .containsExactlyElementsOf(ids);
  }
}
