package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What survives closing the storage and opening it again. Runs only for backends that declare
 * {@link StorageContract.Capability#REOPEN}; for others each test is reported as skipped, with the
 * reason.
 */
abstract class DurabilityRules extends ContractRules {

  DurabilityRules(StorageFixture fixture) {
    super(fixture);
  }

  @BeforeEach
  void requireReopen() {
    assumeTrue(
        fixture().can(StorageContract.Capability.REOPEN),
        "the backend does not declare Capability.REOPEN");
  }

  private void reopen() {
    fixture().reopen();
  }

  @Test
  void messagesSurviveReopening() {
    agent("bob");
    MessageId a =
        sent(
            from("alice")
                .toAgent("bob")
                .code("rust", "fn main() {}")
                .priority(Priority.HIGH)
                .tags("t1", "t2")
                .metadata("{\"x\":1}")
                .thread("th")
                .key("k"));
    MessageId b = sent(from("alice").onTopic("news.daily").text("headline"));
    Message beforeA = messages().find(a).orElseThrow();
    Message beforeB = messages().find(b).orElseThrow();

    reopen();

    assertThat(messages().find(a)).contains(beforeA);
    assertThat(messages().find(b)).contains(beforeB);
    assertThat(ids("bob")).containsExactly(a);
    assertThat(ids("news.daily")).containsExactly(b);
  }

  @Test
  void mailboxesKeepTheirKindSizeAndDrops() {
    fixture().open(RetentionPolicy.DEFAULTS.withMaxInboxSize(2));
    agent("bob");
    for (int i = 0; i < 5; i++) {
      sent(from("alice").toAgent("bob"));
    }
    sent(from("alice").to("shared.one"));

    reopen();

    assertThat(messages().mailbox(box("bob")))
        .contains(new MailboxInfo(box("bob"), MailboxKind.AGENT, 2, 3));
    assertThat(messages().mailbox(box("shared.one")))
        .contains(new MailboxInfo(box("shared.one"), MailboxKind.SHARED, 1, 0));
    assertThat(send(from("alice").toAgent("bob")))
        .isInstanceOf(SendResult.Accepted.class)
        .extracting(r -> ((SendResult.Accepted) r).dropped())
        .isEqualTo(1);
  }

  @Test
  void agentsAndTokensSurviveReopening() {
    AgentId bob = agent("bob");
    agents().replaceToken(bob, "rotated");
    AgentRecord before = agents().find(bob).orElseThrow();

    reopen();

    assertThat(agents().find(bob)).contains(before);
    assertThat(agents().findByTokenHash("rotated")).contains(before);
    assertThat(agents().list()).containsExactly(before);
  }

  @Test
  void readStateSurvivesReopening() {
    MessageId id = sent(from("alice").to("box"));
    tick(5);
    messages().markRead(id, READER);
    List<ReadReceipt> before = messages().readers(id);

    reopen();

    assertThat(messages().readers(id)).isEqualTo(before);
    assertThat(messages().unreadCount(box("box"), READER)).isZero();
    List<Envelope> listed = listAll("box", READER, MessageFilter.NONE, Order.ASC, 10);
    assertThat(listed.getFirst().readAt()).contains(before.getFirst().readAt());
  }

  @Test
  void idempotencyKeysSurviveReopening() {
    MessageId original = sent(from("alice").to("box").key("k"));

    reopen();

    assertThat(send(from("alice").to("box").key("k")))
        .isEqualTo(new SendResult.Duplicate(original, 1));
  }

  @Test
  void idsAfterReopeningExceedEveryEarlierIdEvenIfTheClockWentBack() {
    MessageId before = sent(from("alice").to("box"));
    clock().set(clock().instant().minus(Duration.ofHours(2)));

    reopen();
    MessageId after = sent(from("alice").to("box"));

    assertThat(after).isGreaterThan(before);
    assertThat(ids("box")).containsExactly(before, after);
  }

  @Test
  void expiredMessagesStayInvisibleAfterReopening() {
    MessageId id = sent(from("alice").to("box").ttl(Duration.ofMinutes(1)));
    clock().advance(Duration.ofMinutes(2));

    reopen();

    assertThat(messages().find(id)).isEmpty();
    assertThat(ids("box")).isEmpty();
  }
}
