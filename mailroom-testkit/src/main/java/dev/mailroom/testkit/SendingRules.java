package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sending one message and reading it back: ids, fields, mailboxes. */
abstract class SendingRules extends ContractRules {

  SendingRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void sendIsAcceptedIntoOneMailbox() {
    SendResult result = send(from("alice").to("team"));

    assertThat(result).isInstanceOf(SendResult.Accepted.class);
    assertThat(result.recipients()).isEqualTo(1);
    assertThat(((SendResult.Accepted) result).dropped()).isZero();
  }

  @Test
  void storedMessageKeepsEveryField() {
    MessageId parent = sent(from("alice").to("team"));
    TestMessage m =
        from("alice")
            .to("team")
            .code("python", "print('hé')\n")
            .priority(Priority.URGENT)
            .tags("b", "a", "x:y.z")
            .metadata("{\"k\":[1,2,{\"n\":null}]}")
            .ttl(Duration.ofHours(3))
            .thread("thread-1")
            .inReplyTo(parent)
            .key("key-1");
    OutgoingMessage outgoing = m.outgoing();

    MessageId id = sent(m);

    assertThat(messages().find(id)).contains(outgoing.toMessage(id, 1));
  }

  @Test
  void everyContentTypeRoundTrips() {
    byte[] allBytes = new byte[256];
    for (int i = 0; i < allBytes.length; i++) {
      allBytes[i] = (byte) i;
    }
    List<TestMessage> sends =
        List.of(
            from("alice").to("team").text("plain ✓"),
            from("alice").to("team").content(ContentType.TEXT_MARKDOWN, Payload.ofText("# hi")),
            from("alice").to("team").content(ContentType.TEXT_CODE, Payload.ofText("x = 1")),
            from("alice")
                .to("team")
                .content(ContentType.APPLICATION_JSON, Payload.ofText("{\"a\":[true,1.5]}")),
            from("alice").to("team").content(ContentType.OCTET_STREAM, Payload.of(allBytes)),
            from("alice")
                .to("team")
                .content(ContentType.REFERENCE, Payload.ofText("https://example.com/a?b=c")),
            from("alice").to("team").content(ContentType.OCTET_STREAM, Payload.of(new byte[0])));
    for (TestMessage m : sends) {
      OutgoingMessage outgoing = m.outgoing();
      MessageId id = sent(m);
      assertThat(messages().find(id)).contains(outgoing.toMessage(id, 1));
    }
  }

  @Test
  void idCarriesTheTimeOfTheSend() {
    tick(1234);
    Instant sentAt = now();

    MessageId id = sent(from("alice").to("team"));

    assertThat(id.timestamp()).isEqualTo(sentAt);
    assertThat(messages().find(id).orElseThrow().expiresAt())
        .isEqualTo(sentAt.plus(Duration.ofDays(7)));
  }

  @Test
  void idsIncreaseWhileTheClockStandsStill() {
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(sent(from("alice").to("team")));
    }

    assertThat(ids).isSortedAccordingTo(MessageId::compareTo).doesNotHaveDuplicates();
  }

  @Test
  void idsIncreaseWhenTheClockGoesBack() {
    MessageId first = sent(from("alice").to("team"));
    clock().set(StorageFixture.START.minus(Duration.ofHours(1)));

    MessageId second = sent(from("alice").to("team"));

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void idsIncreaseAcrossMailboxesAndSenders() {
    MessageId a = sent(from("alice").to("one"));
    MessageId b = sent(from("bob").onTopic("two.three"));
    tick(1);
    MessageId c = sent(from("carol").to("one"));

    assertThat(List.of(a, b, c)).isSortedAccordingTo(MessageId::compareTo).doesNotHaveDuplicates();
  }

  @Test
  void findOfAnUnknownIdIsEmpty() {
    sent(from("alice").to("team"));

    assertThat(messages().find(MessageId.of(42))).isEmpty();
  }

  @Test
  void containsOnlyTheMailboxTheMessageWasPutIn() {
    sent(from("alice").to("other"));
    MessageId id = sent(from("alice").to("team"));

    assertThat(messages().contains(box("team"), id)).isTrue();
    assertThat(messages().contains(box("other"), id)).isFalse();
    assertThat(messages().contains(box("nowhere"), id)).isFalse();
  }

  @Test
  void aBatchIsStoredInOrderWithAscendingIdsAndAnsweredInOrder() {
    List<TestMessage> batch =
        List.of(
            from("alice").to("team").text("one"),
            from("bob").to("other").text("two"),
            from("alice").to("team").text("three").key("batch-key"),
            from("alice").to("team").text("three again").key("batch-key"));

    List<SendResult> results = sendAll(batch);

    assertThat(results).hasSize(4);
    assertThat(results.subList(0, 3)).allMatch(r -> r instanceof SendResult.Accepted);
    assertThat(results.get(3)).isInstanceOf(SendResult.Duplicate.class);
    assertThat(results.get(3).id()).isEqualTo(results.get(2).id());
    List<MessageId> ids = results.subList(0, 3).stream().map(SendResult::id).toList();
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids("team")).containsExactly(ids.get(0), ids.get(2));
    assertThat(ids("other")).containsExactly(ids.get(1));
    assertThat(messages().find(ids.get(1)).orElseThrow().payload().text()).isEqualTo("two");
  }

  @Test
  void aBatchWithOneMessageItsMailboxRefusesStoresNoneOfIt() {
    agent("bob");
    sent(from("alice").to("news"));
    List<TestMessage> batch =
        List.of(
            from("alice").to("team").text("one"),
            from("alice").toAgent("bob").text("two"),
            from("alice").onTopic("fresh").text("three"),
            from("alice").onTopic("news").text("news is a shared mailbox"),
            from("alice").to("team").text("five"));

    assertThatThrownBy(() -> sendAll(batch)).isInstanceOf(MailroomException.Conflict.class);

    assertThat(messages().mailbox(box("team"))).isEmpty();
    assertThat(messages().mailbox(box("fresh"))).isEmpty();
    assertThat(ids("bob")).isEmpty();
    assertThat(ids("news")).hasSize(1);
  }

  @Test
  void aBatchCreatingAMailboxRefusesALaterMessageNamingItAsAnotherKind() {
    List<TestMessage> batch =
        List.of(
            from("alice").onTopic("fresh").text("creates the topic"),
            from("alice").to("fresh").text("a shared mailbox of the same name"));

    assertThatThrownBy(() -> sendAll(batch)).isInstanceOf(MailroomException.Conflict.class);

    assertThat(messages().mailbox(box("fresh"))).isEmpty();
  }

  @Test
  void mailboxCountsItsMessages() {
    sent(from("alice").to("team"));
    sent(from("bob").to("team"));

    assertThat(messages().mailbox(box("team")))
        .hasValueSatisfying(
            info -> {
              assertThat(info.size()).isEqualTo(2);
              assertThat(info.dropped()).isZero();
            });
  }

  @Test
  void listingShowsTheStoredMessage() {
    MessageId id = sent(from("alice").to("team").text("hi there"));

    List<Message> listed = firstPage("team", 10).items().stream().map(e -> e.message()).toList();

    assertThat(listed).containsExactly(messages().find(id).orElseThrow());
  }
}
