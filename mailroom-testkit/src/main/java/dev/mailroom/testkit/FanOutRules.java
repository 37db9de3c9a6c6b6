package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.SendResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who a send reaches: the inbox entries and pending deliveries it creates for the agent it is
 * addressed to, for every agent of a broadcast, and for the subscribers of a shared mailbox or
 * topic.
 */
abstract class FanOutRules extends ContractRules {
  private static final SubscriptionId INBOX = SubscriptionId.INBOX;

  FanOutRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void directSendQueuesADeliveryForTheAgentUnderItsInbox() {
    agent("bob");

    MessageId id = sent(from("alice").toAgent("bob"));

    assertThat(pending("bob")).containsExactly(delivery(id, "bob", INBOX, 0));
  }

  @Test
  void broadcastQueuesADeliveryForEveryAgentButTheSender() {
    agent("alice");
    agent("bob");
    agent("carol");

    MessageId id = sent(from("alice").broadcast());

    assertThat(pending("bob")).containsExactly(delivery(id, "bob", INBOX, 0));
    assertThat(pending("carol")).containsExactly(delivery(id, "carol", INBOX, 0));
    assertThat(pending("alice")).isEmpty();
  }

  @Test
  void sharedSendPutsTheMessageInEverySubscribersInbox() {
    agent("bob");
    agent("carol");

    SendResult result =
        send(from("alice").to("team").subscribers(pushed("bob", "s-bob"), polled("carol", "s-c")));

    assertThat(result).isEqualTo(new SendResult.Accepted(result.id(), 3, 0));
    assertThat(messages().find(result.id()).orElseThrow().recipients()).isEqualTo(3);
    assertThat(ids("team")).containsExactly(result.id());
    assertThat(ids("bob")).containsExactly(result.id());
    assertThat(ids("carol")).containsExactly(result.id());
    assertThat(messages().unreadCount(box("bob"), AgentId.of("bob"))).isEqualTo(1);
    assertThat(messages().unreadCount(box("carol"), AgentId.of("carol"))).isEqualTo(1);
    assertThat(messages().mailbox(box("bob")).orElseThrow().size()).isEqualTo(1);
  }

  @Test
  void topicSendCountsOnlyItsSubscribersAsRecipients() {
    agent("bob");
    agent("carol");

    SendResult result =
        send(
            from("alice")
                .onTopic("ai.models")
                .subscribers(pushed("bob", "s-bob"), pushed("carol", "s-c")));

    assertThat(result).isEqualTo(new SendResult.Accepted(result.id(), 2, 0));
    assertThat(messages().find(result.id()).orElseThrow().recipients()).isEqualTo(2);
    assertThat(ids("ai.models")).containsExactly(result.id());
    assertThat(ids("bob")).containsExactly(result.id());
    assertThat(ids("carol")).containsExactly(result.id());
  }

  @Test
  void onlyPushingSubscriptionsQueueADelivery() {
    agent("bob");
    agent("carol");

    MessageId id =
        sent(from("alice").onTopic("news").subscribers(pushed("bob", "s-b"), polled("carol", "c")));

    assertThat(pending("bob")).containsExactly(delivery(id, "bob", SubscriptionId.of("s-b"), 0));
    assertThat(pending("carol")).isEmpty();
    assertThat(deliveries().queued(SubscriptionId.of("s-b"))).isEqualTo(1);
    assertThat(deliveries().queued(SubscriptionId.of("c"))).isZero();
  }

  @Test
  void theSenderAndUnknownAgentsAmongTheSubscribersAreSkipped() {
    agent("alice");
    agent("bob");

    SendResult result =
        send(
            from("alice")
                .to("team")
                .subscribers(pushed("alice", "s-a"), pushed("ghost", "s-g"), pushed("bob", "s-b")));

    assertThat(result.recipients()).isEqualTo(2);
    assertThat(ids("alice")).isEmpty();
    assertThat(pending("alice")).isEmpty();
    assertThat(messages().mailbox(box("ghost"))).isEmpty();
    assertThat(pending("ghost")).isEmpty();
    assertThat(deliveries().queued(SubscriptionId.of("s-g"))).isZero();
    assertThat(pendingIds("bob")).containsExactly(result.id());
  }

  @Test
  void sendsWithoutAnyoneToReachQueueNothing() {
    agent("bob");

    sent(from("alice").to("team"));
    sent(from("alice").onTopic("news"));

    assertThat(pending("bob")).isEmpty();
    assertThat(ids("bob")).isEmpty();
  }

  @Test
  void aDuplicateSendQueuesNothingNew() {
    agent("bob");
    agent("carol");
    MessageId direct = sent(from("alice").toAgent("bob").key("d"));
    MessageId topic =
        sent(from("alice").onTopic("news").key("t").subscribers(pushed("carol", "s")));

    send(from("alice").toAgent("bob").key("d"));
    send(from("alice").onTopic("news").key("t").subscribers(pushed("carol", "s")));

    assertThat(pendingIds("bob")).containsExactly(direct);
    assertThat(pendingIds("carol")).containsExactly(topic);
    assertThat(ids("carol")).containsExactly(topic);
  }

  @Test
  void aRefusedSendReachesNoSubscriber() {
    agent("bob");
    sent(from("alice").to("news"));

    assertThatThrownBy(() -> send(from("alice").onTopic("news").subscribers(pushed("bob", "s"))))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(ids("bob")).isEmpty();
    assertThat(pending("bob")).isEmpty();
  }

  @Test
  void subscriberEntriesCountTowardsTheBoundedInbox() {
    useRetention(RetentionPolicy.DEFAULTS.withMaxInboxSize(2));
    agent("bob");
    MessageId first = sent(from("alice").onTopic("news").subscribers(pushed("bob", "s")));
    MessageId second = sent(from("alice").toAgent("bob"));

    SendResult third = send(from("alice").to("team").subscribers(polled("bob", "p")));

    assertThat(third).isEqualTo(new SendResult.Accepted(third.id(), 2, 1));
    assertThat(ids("bob")).containsExactly(second, third.id());
    assertThat(messages().mailbox(box("bob")).orElseThrow().dropped()).isEqualTo(1);
    assertThat(ids("news")).containsExactly(first);
    assertThat(pendingIds("bob")).containsExactly(second);
  }

  @Test
  void everyAgentReachedSeesTheSameStoredMessage() {
    agent("bob");
    agent("carol");

    MessageId id =
        sent(from("alice").onTopic("news").subscribers(pushed("bob", "b"), pushed("carol", "c")));

    assertThat(List.of(pending("bob").getFirst().message(), pending("carol").getFirst().message()))
        .containsOnly(messages().find(id).orElseThrow());
    assertThat(firstPage("bob", 1).items().getFirst().message())
        .isEqualTo(messages().find(id).orElseThrow());
  }
}
