package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.delivery.SubscriptionId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Statistics: totals across agents, backlogs per agent and way in, and a mailbox's numbers. */
abstract class StatsRules extends ContractRules {
  private static final AgentId BOB = AgentId.of("bob");
  private static final AgentId CAROL = AgentId.of("carol");
  private static final AgentId DAVE = AgentId.of("dave");
  private static final SubscriptionId INBOX = SubscriptionId.INBOX;
  private static final SubscriptionId FEED = SubscriptionId.of("feed");
  private static final SubscriptionId SUB_A = SubscriptionId.of("sub-a");
  private static final SubscriptionId SUB_D = SubscriptionId.of("sub-d");

  StatsRules(StorageFixture fixture) {
    super(fixture);
  }

  /** A message from alice on topic {@code t} that reaches {@code agent} through {@code via}. */
  private MessageId through(String agent, SubscriptionId via) {
    return sent(from("alice").onTopic("t").subscribers(pushed(agent, via.value())));
  }

  private static Backlog backlog(
      AgentId agent, SubscriptionId via, long pending, MessageId oldest) {
    return new Backlog(agent, via, pending, oldest);
  }

  @Test
  void anEmptyStoreCountsNothing() {
    assertThat(deliveries().totals()).isEqualTo(new DeliveryTotals(0, 0, 0));
    assertThat(deliveries().backlogs(10)).isEmpty();
    assertThat(deliveries().backlog(BOB, INBOX)).isEmpty();
  }

  @Test
  void totalsFollowSendsAcknowledgementsAndDeadLetters() {
    agent("alice");
    agent("bob");
    agent("carol");
    deliveries().saveSubscription(subscription("sub-news", "bob", "news", 10));
    MessageId toAll = sent(from("alice").broadcast());
    MessageId toBob = sent(from("alice").toAgent("bob"));
    MessageId news =
        sent(
            from("alice")
                .onTopic("news")
                .subscribers(pushed("bob", "sub-news", 10), pushed("carol", "sub-c", 10)));
    sent(from("alice").onTopic("news").subscribers(polled("carol", "sub-p")));

    assertThat(deliveries().totals()).isEqualTo(new DeliveryTotals(5, 0, 1));

    deliveries().acknowledge(BOB, List.of(toBob));
    deliveries().deadLetter(CAROL, toAll, 3, "no ack");
    deliveries().deadLetter(CAROL, news, 3, "no ack");
    assertThat(deliveries().totals()).isEqualTo(new DeliveryTotals(2, 2, 1));

    deliveries().replay(CAROL, toAll);
    deliveries().purgeDeadLetters(Optional.of(CAROL), Optional.of(news));
    assertThat(deliveries().totals()).isEqualTo(new DeliveryTotals(3, 0, 1));

    deliveries().deleteSubscription(SubscriptionId.of("sub-news"));
    assertThat(deliveries().totals()).isEqualTo(new DeliveryTotals(2, 0, 0));
  }

  @Test
  void backlogsComeLargestFirstThenByAgentThenWayIn() {
    for (String name : List.of("alice", "bob", "carol", "dave")) {
      agent(name);
    }
    MessageId a1 = through("bob", SUB_A);
    MessageId b1 = sent(from("alice").toAgent("bob"));
    MessageId a2 = through("bob", SUB_A);
    MessageId c1 = sent(from("alice").toAgent("carol"));
    MessageId f1 = through("carol", FEED);
    MessageId d1 = through("dave", SUB_D);
    through("carol", FEED);
    sent(from("alice").toAgent("bob"));
    through("bob", SUB_A);
    sent(from("alice").toAgent("carol"));

    List<Backlog> expected =
        List.of(
            backlog(BOB, SUB_A, 3, a1),
            backlog(BOB, INBOX, 2, b1),
            backlog(CAROL, FEED, 2, f1),
            backlog(CAROL, INBOX, 2, c1),
            backlog(DAVE, SUB_D, 1, d1));
    assertThat(deliveries().backlogs(100)).isEqualTo(expected);
    assertThat(deliveries().backlogs(2)).isEqualTo(expected.subList(0, 2));
    assertThat(deliveries().backlogs(1)).isEqualTo(expected.subList(0, 1));

    deliveries().acknowledge(BOB, List.of(a1));
    deliveries().acknowledge(DAVE, List.of(d1));

    assertThat(deliveries().backlogs(100))
        .containsExactly(
            backlog(BOB, INBOX, 2, b1),
            backlog(BOB, SUB_A, 2, a2),
            backlog(CAROL, FEED, 2, f1),
            backlog(CAROL, INBOX, 2, c1));
  }

  @Test
  void aBacklogLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> deliveries().backlogs(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> deliveries().backlogs(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBacklogCountsOneAgentThroughOneWayIn() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId b1 = sent(from("alice").toAgent("bob"));
    MessageId a1 = through("bob", SUB_A);
    MessageId toAll = sent(from("alice").broadcast());
    through("carol", SUB_A);
    through("carol", SUB_A);

    assertThat(deliveries().backlog(BOB, INBOX)).contains(backlog(BOB, INBOX, 2, b1));
    assertThat(deliveries().backlog(BOB, SUB_A)).contains(backlog(BOB, SUB_A, 1, a1));
    assertThat(deliveries().backlog(CAROL, INBOX)).contains(backlog(CAROL, INBOX, 1, toAll));
    assertThat(deliveries().backlog(CAROL, SUB_A).map(Backlog::pending)).contains(2L);
    assertThat(deliveries().backlog(BOB, FEED)).isEmpty();
    assertThat(deliveries().backlog(DAVE, INBOX)).isEmpty();

    deliveries().acknowledge(BOB, List.of(b1));
    deliveries().deadLetter(BOB, a1, 3, "no ack");

    assertThat(deliveries().backlog(BOB, INBOX)).contains(backlog(BOB, INBOX, 1, toAll));
    assertThat(deliveries().backlog(BOB, SUB_A)).isEmpty();
    assertThat(deliveries().backlog(CAROL, SUB_A).map(Backlog::pending)).contains(2L);
  }

  @Test
  void aFullSubscriptionQueuesBacklogHoldsItsNewest() {
    agent("alice");
    agent("bob");
    sent(from("alice").onTopic("t").subscribers(pushed("bob", SUB_A.value(), 2)));
    MessageId second =
        sent(from("alice").onTopic("t").subscribers(pushed("bob", SUB_A.value(), 2)));
    sent(from("alice").onTopic("t").subscribers(pushed("bob", SUB_A.value(), 2)));

    assertThat(deliveries().backlog(BOB, SUB_A)).contains(backlog(BOB, SUB_A, 2, second));
    assertThat(deliveries().backlogs(10)).containsExactly(backlog(BOB, SUB_A, 2, second));
    assertThat(deliveries().totals().pending()).isEqualTo(2);
  }

  @Test
  void anAgentMailboxsStatistics() {
    useRetention(RetentionPolicy.DEFAULTS.withMaxInboxSize(3));
    agent("alice");
    Instant created = now();
    agent("bob");
    tick(10);
    sent(from("alice").toAgent("bob"));
    tick(10);
    MessageId m2 = sent(from("alice").toAgent("bob"));
    tick(10);
    MessageId m3 = sent(from("alice").toAgent("bob"));
    tick(10);
    MessageId m4 = sent(from("alice").toAgent("bob"));

    assertThat(messages().mailboxStats(box("bob"), BOB))
        .contains(
            new MailboxStats(
                new MailboxInfo(box("bob"), MailboxKind.AGENT, 3, 1),
                4,
                created,
                Optional.of(m4.timestamp()),
                Optional.of(m2),
                3,
                3,
                Optional.of(m2)));

    deliveries().acknowledge(BOB, List.of(m2));
    messages().markRead(m2, BOB);
    messages().markRead(m4, BOB);

    MailboxStats stats = messages().mailboxStats(box("bob"), BOB).orElseThrow();
    assertThat(stats.pending()).isEqualTo(2);
    assertThat(stats.unread()).isEqualTo(1);
    assertThat(stats.oldestUnread()).contains(m3);
    assertThat(stats.oldestMessage()).contains(m2);
    MailboxStats others = messages().mailboxStats(box("bob"), CAROL).orElseThrow();
    assertThat(others.unread()).isEqualTo(3);
    assertThat(others.oldestUnread()).contains(m2);
  }

  @Test
  void aTopicsStatistics() {
    agent("alice");
    agent("bob");
    agent("carol");
    MessageId n1 =
        sent(
            from("alice")
                .onTopic("news")
                .subscribers(pushed("bob", "s-bob"), pushed("carol", "s-carol")));
    tick(10);
    MessageId n2 =
        sent(
            from("alice")
                .onTopic("news")
                .subscribers(pushed("bob", "s-bob"), pushed("carol", "s-carol")));
    tick(10);
    MessageId n3 = sent(from("alice").onTopic("news"));
    sent(from("alice").onTopic("other").subscribers(pushed("bob", "s-bob")));
    sent(from("alice").toAgent("bob"));

    assertThat(messages().mailboxStats(box("news"), READER))
        .contains(
            new MailboxStats(
                new MailboxInfo(box("news"), MailboxKind.TOPIC, 3, 0),
                3,
                n1.timestamp(),
                Optional.of(n3.timestamp()),
                Optional.of(n1),
                4,
                3,
                Optional.of(n1)));

    deliveries().acknowledge(BOB, List.of(n1));
    deliveries().deadLetter(CAROL, n2, 3, "no ack");
    messages().markRead(n1, READER);

    MailboxStats stats = messages().mailboxStats(box("news"), READER).orElseThrow();
    assertThat(stats.pending()).isEqualTo(2);
    assertThat(stats.unread()).isEqualTo(2);
    assertThat(stats.oldestUnread()).contains(n2);
    assertThat(stats.total()).isEqualTo(3);
  }

  @Test
  void anUnknownMailboxHasNoStatistics() {
    agent("bob");
    sent(from("alice").to("team"));

    assertThat(messages().mailboxStats(box("nowhere"), READER)).isEmpty();
    assertThat(messages().mailboxStats(box("team"), READER).map(MailboxStats::total)).contains(1L);
  }
}
