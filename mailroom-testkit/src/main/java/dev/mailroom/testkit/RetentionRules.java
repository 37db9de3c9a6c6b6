package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What a store keeps and for how long: message TTL, the bounded agent inbox, read state. */
abstract class RetentionRules extends ContractRules {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  RetentionRules(StorageFixture fixture) {
    super(fixture);
  }

  /** Drains every cleaning pass with {@code maxRows} and adds the reports up. */
  CleanupReport purgeAll(int maxRows) {
    long m = 0;
    long r = 0;
    long k = 0;
    for (int pass = 0; pass < 1_000; pass++) {
      CleanupReport report = messages().purgeExpired(maxRows);
      m += report.messages();
      r += report.readStates();
      k += report.idempotencyKeys();
      if (!report.more()) {
        return new CleanupReport(m, r, k, false);
      }
    }
    throw new AssertionError("purging never finished");
  }

  @Nested
  class TimeToLive {

    @Test
    void messageIsLiveUntilJustBeforeItsExpiry() {
      agent("bob");
      MessageId id = sent(from("alice").toAgent("bob").ttl(MINUTE));
      clock().advance(MINUTE.minusMillis(1));

      assertThat(messages().find(id)).isPresent();
      assertThat(messages().contains(box("bob"), id)).isTrue();
      assertThat(ids("bob")).containsExactly(id);
      assertThat(messages().unreadCount(box("bob"), AgentId.of("bob"))).isEqualTo(1);
      assertThat(messages().markRead(id, READER)).isTrue();
    }

    @Test
    void expiredMessageIsInvisibleToEveryRead() {
      agent("bob");
      MessageId id = sent(from("alice").toAgent("bob").ttl(MINUTE));
      messages().markRead(id, READER);
      clock().advance(MINUTE);

      assertThat(messages().find(id)).isEmpty();
      assertThat(messages().contains(box("bob"), id)).isFalse();
      assertThat(ids("bob")).isEmpty();
      assertThat(firstPage("bob", 10).next()).isEmpty();
      assertThat(messages().unreadCount(box("bob"), AgentId.of("bob"))).isZero();
      assertThat(messages().readers(id)).isEmpty();
      assertThat(messages().markRead(id, AgentId.of("bob"))).isFalse();
      assertThat(messages().markUnread(id, READER)).isFalse();
    }

    @Test
    void expiredMessagesDropOutFromAmongLiveOnes() {
      List<MessageId> live = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        MessageId id = sent(from("alice").to("box").ttl(i % 3 == 0 ? MINUTE : Duration.ofDays(1)));
        if (i % 3 != 0) {
          live.add(id);
        }
        tick(1);
      }
      clock().advance(MINUTE);

      assertThat(ids(listAll("box", READER, filter().build(), Order.ASC, 3)))
          .containsExactlyElementsOf(live);
      assertThat(messages().unreadCount(box("box"), READER)).isEqualTo(8);
    }

    @Test
    void lastPageBeforeOnlyExpiredMessagesHasNoCursor() {
      MessageId keep = sent(from("alice").to("box").ttl(Duration.ofDays(1)));
      tick(1);
      sent(from("alice").to("box").ttl(MINUTE));
      clock().advance(MINUTE);

      assertThat(firstPage("box", 1).items())
          .extracting(e -> e.message().id())
          .containsExactly(keep);
      assertThat(firstPage("box", 1).next()).isEmpty();
    }

    @Test
    void purgeRemovesExpiredMessagesAndKeepsLiveOnes() {
      MessageId live1 = sent(from("alice").to("box").ttl(Duration.ofDays(1)));
      for (int i = 0; i < 3; i++) {
        sent(from("alice").to("box").ttl(MINUTE));
      }
      MessageId live2 = sent(from("alice").to("box").ttl(Duration.ofDays(1)));
      clock().advance(MINUTE);

      CleanupReport report = purgeAll(1_000);

      assertThat(report.messages()).isEqualTo(3);
      assertThat(report.more()).isFalse();
      assertThat(ids("box")).containsExactly(live1, live2);
      assertThat(messages().mailbox(box("box")).orElseThrow().size()).isEqualTo(2);
    }

    @Test
    void purgeWorksThroughABacklogInSteps() {
      for (int i = 0; i < 7; i++) {
        sent(from("alice").to("box").ttl(MINUTE));
      }
      clock().advance(MINUTE);

      CleanupReport report = purgeAll(2);

      assertThat(report.messages()).isEqualTo(7);
      assertThat(messages().purgeExpired(2)).isEqualTo(new CleanupReport(0, 0, 0, false));
      assertThat(messages().mailbox(box("box")).orElseThrow().size()).isZero();
    }

    @Test
    void purgeWithNothingDueRemovesNothing() {
      MessageId id = sent(from("alice").to("box"));
      messages().markRead(id, READER);

      assertThat(messages().purgeExpired(100)).isEqualTo(new CleanupReport(0, 0, 0, false));
      assertThat(ids("box")).containsExactly(id);
    }

    @Test
    void purgeRemovesAnExpiredBroadcastFromEveryInboxOnce() {
      agent("alice");
      agent("bob");
      agent("carol");
      sent(from("alice").broadcast().ttl(MINUTE));
      clock().advance(MINUTE);

      CleanupReport report = purgeAll(100);

      assertThat(report.messages()).isEqualTo(1);
      assertThat(messages().mailbox(box("bob")).orElseThrow().size()).isZero();
      assertThat(messages().mailbox(box("carol")).orElseThrow().size()).isZero();
    }

    @Test
    void purgeKeepsTheMailboxes() {
      agent("bob");
      sent(from("alice").toAgent("bob").ttl(MINUTE));
      sent(from("alice").onTopic("news.today").ttl(MINUTE));
      clock().advance(MINUTE);

      purgeAll(100);

      assertThat(messages().mailbox(box("bob")).map(MailboxInfo::kind)).contains(MailboxKind.AGENT);
      assertThat(messages().mailbox(box("news.today")).map(MailboxInfo::kind))
          .contains(MailboxKind.TOPIC);
    }
  }

  @Nested
  class BoundedInbox {
    private static final int MAX = 3;

    @BeforeEach
    void useASmallInbox() {
      useRetention(RetentionPolicy.DEFAULTS.withMaxInboxSize(MAX));
      agent("alice");
      agent("bob");
      agent("carol");
    }

    @Test
    void fullInboxDropsTheOldest() {
      List<MessageId> sent = new ArrayList<>();
      for (int i = 0; i < MAX; i++) {
        sent.add(sent(from("alice").toAgent("bob")));
      }

      SendResult result = send(from("alice").toAgent("bob"));

      assertThat(result).isEqualTo(new SendResult.Accepted(result.id(), 1, 1));
      assertThat(ids("bob")).containsExactly(sent.get(1), sent.get(2), result.id());
      assertThat(messages().contains(box("bob"), sent.get(0))).isFalse();
    }

    @Test
    void dropsAreCountedOnTheMailbox() {
      int dropped = 0;
      for (int i = 0; i < 10; i++) {
        dropped += ((SendResult.Accepted) send(from("alice").toAgent("bob"))).dropped();
      }

      assertThat(dropped).isEqualTo(7);
      assertThat(messages().mailbox(box("bob")))
          .contains(new MailboxInfo(box("bob"), MailboxKind.AGENT, MAX, 7));
      assertThat(ids("bob")).hasSize(MAX);
    }

    @Test
    void sharedMailboxesAndTopicsAreNotBounded() {
      for (int i = 0; i < MAX * 2; i++) {
        sent(from("alice").to("team"));
        sent(from("alice").onTopic("news"));
      }

      assertThat(ids("team")).hasSize(MAX * 2);
      assertThat(ids("news")).hasSize(MAX * 2);
      assertThat(messages().mailbox(box("team")).orElseThrow().dropped()).isZero();
    }

    @Test
    void broadcastIntoFullInboxesCountsEveryDrop() {
      for (int i = 0; i < MAX; i++) {
        sent(from("alice").broadcast());
      }

      SendResult result = send(from("alice").broadcast());

      assertThat(result).isEqualTo(new SendResult.Accepted(result.id(), 2, 2));
      assertThat(messages().mailbox(box("bob")).orElseThrow().dropped()).isEqualTo(1);
      assertThat(messages().mailbox(box("carol")).orElseThrow().dropped()).isEqualTo(1);
      assertThat(messages().mailbox(box("alice")).orElseThrow().dropped()).isZero();
    }

    @Test
    void messageDroppedFromOneInboxStaysInTheOthers() {
      MessageId toAll = sent(from("alice").broadcast());
      for (int i = 0; i < MAX; i++) {
        sent(from("alice").toAgent("bob"));
      }

      assertThat(messages().contains(box("bob"), toAll)).isFalse();
      assertThat(messages().contains(box("carol"), toAll)).isTrue();
      assertThat(messages().find(toAll)).isPresent();
    }

    @Test
    void droppedMessagesNoLongerCountAsUnread() {
      for (int i = 0; i < MAX + 2; i++) {
        sent(from("alice").toAgent("bob"));
      }

      assertThat(messages().unreadCount(box("bob"), AgentId.of("bob"))).isEqualTo(MAX);
    }
  }

  @Nested
  class ReadStateRetention {
    private static final Duration LONG_TTL = Duration.ofDays(90);

    private Duration retention() {
      return fixture().retention().readStateRetention();
    }

    @Test
    void readStateOlderThanTheRetentionIsPurged() {
      MessageId id = sent(from("alice").to("box").ttl(LONG_TTL));
      messages().markRead(id, READER);
      clock().advance(retention().plusSeconds(1));

      CleanupReport report = purgeAll(100);

      assertThat(report.readStates()).isEqualTo(1);
      assertThat(report.messages()).isZero();
      assertThat(messages().readers(id)).isEmpty();
      assertThat(messages().unreadCount(box("box"), READER)).isEqualTo(1);
      assertThat(messages().find(id)).isPresent();
    }

    @Test
    void recentReadStateSurvivesThePurge() {
      MessageId id = sent(from("alice").to("box").ttl(LONG_TTL));
      Instant readAt = now();
      messages().markRead(id, READER);
      clock().advance(retention().minusMinutes(1));

      CleanupReport report = purgeAll(100);

      assertThat(report.readStates()).isZero();
      assertThat(messages().readers(id)).containsExactly(new ReadReceipt(READER, readAt));
    }

    @Test
    void eachReadMarkAgesOnItsOwn() {
      MessageId id = sent(from("alice").to("box").ttl(LONG_TTL));
      messages().markRead(id, AgentId.of("early"));
      clock().advance(Duration.ofDays(20));
      Instant lateAt = now();
      messages().markRead(id, AgentId.of("late"));
      clock().advance(retention().minus(Duration.ofDays(20)).plusSeconds(1));

      purgeAll(100);

      assertThat(messages().readers(id))
          .containsExactly(new ReadReceipt(AgentId.of("late"), lateAt));
    }

    @Test
    void readStatesArePurgedInSteps() {
      MessageId id = sent(from("alice").to("box").ttl(LONG_TTL));
      for (int i = 0; i < 5; i++) {
        messages().markRead(id, AgentId.of("r" + i));
      }
      clock().advance(retention().plusSeconds(1));

      CleanupReport report = purgeAll(2);

      assertThat(report.readStates()).isEqualTo(5);
      assertThat(messages().readers(id)).isEmpty();
    }
  }
}
