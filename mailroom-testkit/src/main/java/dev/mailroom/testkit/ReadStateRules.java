package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.ReadReceipt;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-reader read marks: marking, unmarking, counting and listing readers. */
abstract class ReadStateRules extends ContractRules {
  private static final AgentId ANN = AgentId.of("ann");
  private static final AgentId BEN = AgentId.of("ben");
  private static final AgentId CAT = AgentId.of("cat");

  ReadStateRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void markReadRecordsTheReaderAndTheTime() {
    MessageId id = sent(from("alice").to("box"));
    Instant readAt = tick(500);

    assertThat(messages().markRead(id, ANN)).isTrue();

    assertThat(messages().readers(id)).containsExactly(new ReadReceipt(ANN, readAt));
  }

  @Test
  void markingReadAgainKeepsTheFirstReadTime() {
    MessageId id = sent(from("alice").to("box"));
    Instant first = tick(10);
    messages().markRead(id, ANN);
    tick(10_000);

    assertThat(messages().markRead(id, ANN)).isTrue();

    assertThat(messages().readers(id)).containsExactly(new ReadReceipt(ANN, first));
  }

  @Test
  void readersAreOrderedByReadTime() {
    MessageId id = sent(from("alice").to("box"));
    Instant catAt = tick(10);
    messages().markRead(id, CAT);
    Instant annAt = tick(10);
    messages().markRead(id, ANN);
    Instant benAt = tick(10);
    messages().markRead(id, BEN);

    assertThat(messages().readers(id))
        .containsExactly(
            new ReadReceipt(CAT, catAt), new ReadReceipt(ANN, annAt), new ReadReceipt(BEN, benAt));
  }

  @Test
  void readStateIsPerReader() {
    agent("ann");
    agent("ben");
    MessageId id = sent(from("alice").broadcast());
    messages().markRead(id, ANN);

    assertThat(messages().unreadCount(box("ann"), ANN)).isZero();
    assertThat(messages().unreadCount(box("ben"), BEN)).isEqualTo(1);
    assertThat(firstPage("ben", 10).items().getFirst().isRead())
        .as("READER's view of ben's inbox")
        .isFalse();
  }

  @Test
  void unreadCountCountsUnreadMessagesOfTheMailbox() {
    MessageId a = sent(from("alice").to("box"));
    sent(from("alice").to("box"));
    sent(from("alice").to("box"));
    sent(from("alice").to("elsewhere"));
    assertThat(messages().unreadCount(box("box"), ANN)).isEqualTo(3);

    messages().markRead(a, ANN);

    assertThat(messages().unreadCount(box("box"), ANN)).isEqualTo(2);
    assertThat(messages().unreadCount(box("box"), BEN)).isEqualTo(3);
  }

  @Test
  void unreadCountOfAnUnknownMailboxIsZero() {
    assertThat(messages().unreadCount(box("nowhere"), ANN)).isZero();
  }

  @Test
  void markUnreadClearsTheMark() {
    MessageId id = sent(from("alice").to("box"));
    messages().markRead(id, ANN);
    messages().markRead(id, BEN);

    assertThat(messages().markUnread(id, ANN)).isTrue();

    assertThat(messages().readers(id)).extracting(ReadReceipt::reader).containsExactly(BEN);
    assertThat(messages().unreadCount(box("box"), ANN)).isEqualTo(1);
    assertThat(ids(listAll("box", ANN, filter().unread(true).build(), Order.ASC, 10)))
        .containsExactly(id);
  }

  @Test
  void markUnreadOfAMessageNeverReadSucceedsAndChangesNothing() {
    MessageId id = sent(from("alice").to("box"));

    assertThat(messages().markUnread(id, ANN)).isTrue();

    assertThat(messages().readers(id)).isEmpty();
    assertThat(messages().unreadCount(box("box"), ANN)).isEqualTo(1);
  }

  @Test
  void readingAgainAfterUnreadRecordsTheNewTime() {
    MessageId id = sent(from("alice").to("box"));
    tick(10);
    messages().markRead(id, ANN);
    tick(10);
    messages().markUnread(id, ANN);
    Instant again = tick(10);

    assertThat(messages().markRead(id, ANN)).isTrue();

    assertThat(messages().readers(id)).containsExactly(new ReadReceipt(ANN, again));
  }

  @Test
  void markingAnUnknownMessageFails() {
    MessageId unknown = MessageId.of(12345);

    assertThat(messages().markRead(unknown, ANN)).isFalse();
    assertThat(messages().markUnread(unknown, ANN)).isFalse();
    assertThat(messages().readers(unknown)).isEmpty();
  }

  @Test
  void readersArePagedByReadTimeThenReaderAfterAPosition() {
    MessageId id = sent(from("alice").to("box"));
    Instant first = tick(10);
    messages().markRead(id, CAT);
    messages().markRead(id, BEN);
    Instant second = tick(10);
    messages().markRead(id, ANN);
    AgentId dan = AgentId.of("dan");
    messages().markRead(id, dan);

    assertThat(messages().readers(id, Optional.empty(), 3))
        .containsExactly(
            new ReadReceipt(BEN, first), new ReadReceipt(CAT, first), new ReadReceipt(ANN, second));
    assertThat(messages().readers(id, Optional.of(new ReadReceipt(BEN, first)), 2))
        .containsExactly(new ReadReceipt(CAT, first), new ReadReceipt(ANN, second));
    assertThat(messages().readers(id, Optional.of(new ReadReceipt(ANN, second)), 10))
        .containsExactly(new ReadReceipt(dan, second));
    assertThat(messages().readers(id, Optional.of(new ReadReceipt(dan, second)), 10)).isEmpty();
    // A position need not be a reader's: one that unmarked the message leaves its place behind.
    assertThat(messages().readers(id, Optional.of(new ReadReceipt(AgentId.of("bz"), first)), 10))
        .containsExactly(
            new ReadReceipt(CAT, first),
            new ReadReceipt(ANN, second),
            new ReadReceipt(dan, second));
    assertThat(messages().readers(id, Optional.empty(), 10)).isEqualTo(messages().readers(id));
  }

  @Test
  void aPageOfReadersOfAnUnknownMessageIsEmptyAndAPageOfNoneIsRefused() {
    MessageId id = sent(from("alice").to("box"));
    messages().markRead(id, ANN);

    assertThat(messages().readers(MessageId.of(12345), Optional.empty(), 10)).isEmpty();
    assertThatThrownBy(() -> messages().readers(id, Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readersOfAnUnreadMessageIsEmpty() {
    MessageId id = sent(from("alice").to("box"));

    assertThat(messages().readers(id)).isEmpty();
  }

  @Test
  void readerNeedNotBeARecipient() {
    MessageId id = sent(from("alice").to("box"));

    assertThat(messages().markRead(id, AgentId.of("auditor"))).isTrue();
    assertThat(messages().readers(id))
        .extracting(ReadReceipt::reader)
        .containsExactly(AgentId.of("auditor"));
  }

  @Test
  void readMarkShowsInEveryMailboxHoldingTheMessage() {
    agent("ann");
    agent("ben");
    MessageId id = sent(from("alice").broadcast());

    messages().markRead(id, ANN);

    assertThat(listAll("ben", ANN, MessageFilter.NONE, Order.ASC, 10).getFirst().isRead()).isTrue();
    assertThat(messages().unreadCount(box("ben"), ANN)).isZero();
  }
}
