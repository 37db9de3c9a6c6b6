package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.spi.SendResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a message goes: mailboxes created on first use, kinds, agents, broadcasts, conflicts. */
abstract class RoutingRules extends ContractRules {

  RoutingRules(StorageFixture fixture) {
    super(fixture);
  }

  @Test
  void firstSendCreatesASharedMailbox() {
    assertThat(messages().mailbox(box("team.ops"))).isEmpty();

    sent(from("alice").to("team.ops"));

    assertThat(messages().mailbox(box("team.ops")))
        .contains(new MailboxInfo(box("team.ops"), MailboxKind.SHARED, 1, 0));
  }

  @Test
  void firstSendToATopicCreatesATopicMailbox() {
    sent(from("alice").onTopic("ai.models.gpt4"));

    assertThat(messages().mailbox(box("ai.models.gpt4")))
        .contains(new MailboxInfo(box("ai.models.gpt4"), MailboxKind.TOPIC, 1, 0));
  }

  @Test
  void aTopicsOwnHistoryIsNotCountedAsARecipient() {
    SendResult result = send(from("alice").onTopic("ai.models.gpt4"));

    assertThat(result.recipients()).isZero();
    assertThat(messages().find(result.id()).orElseThrow().recipients()).isZero();
    assertThat(ids("ai.models.gpt4")).containsExactly(result.id());
  }

  @Test
  void laterSendsJoinTheExistingMailbox() {
    MessageId first = sent(from("alice").to("team"));
    MessageId second = sent(from("bob").to("team"));

    assertThat(ids("team")).containsExactly(first, second);
  }

  @Test
  void directSendReachesTheAgentsMailbox() {
    agent("bob");

    MessageId id = sent(from("alice").toAgent("bob"));

    assertThat(messages().contains(box("bob"), id)).isTrue();
    assertThat(ids("bob")).containsExactly(id);
  }

  @Test
  void sendToAnAgentMailboxWithoutAnAgentConflictsAndStoresNothing() {
    assertThatThrownBy(() -> send(from("alice").toAgent("ghost")))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(messages().mailbox(box("ghost"))).isEmpty();
    assertThat(ids("ghost")).isEmpty();
  }

  @Test
  void sendingSharedToAnAgentsMailboxConflicts() {
    agent("bob");

    assertThatThrownBy(() -> send(from("alice").to("bob")))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(ids("bob")).isEmpty();
  }

  @Test
  void sendingToATopicNamedLikeASharedMailboxConflicts() {
    sent(from("alice").to("news"));

    assertThatThrownBy(() -> send(from("alice").onTopic("news")))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(messages().mailbox(box("news")).orElseThrow().kind()).isEqualTo(MailboxKind.SHARED);
    assertThat(ids("news")).hasSize(1);
  }

  @Test
  void sendingSharedToATopicConflicts() {
    sent(from("alice").onTopic("news"));

    assertThatThrownBy(() -> send(from("alice").to("news")))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(ids("news")).hasSize(1);
  }

  @Test
  void sendingAsAnAgentMailboxToASharedMailboxConflicts() {
    sent(from("alice").to("carol"));

    assertThatThrownBy(() -> send(from("alice").toAgent("carol")))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(ids("carol")).hasSize(1);
  }

  @Test
  void refusedSendDoesNotSpendItsIdempotencyKey() {
    assertThatThrownBy(() -> send(from("alice").toAgent("ghost").key("k")))
        .isInstanceOf(MailroomException.Conflict.class);

    SendResult retry = send(from("alice").to("team").key("k"));

    assertThat(retry).isInstanceOf(SendResult.Accepted.class);
  }

  @Test
  void broadcastReachesEveryAgentButTheSender() {
    AgentId alice = agent("alice");
    agent("bob");
    agent("carol");
    agent("dave");

    SendResult result = send(from(alice).broadcast());

    assertThat(result).isInstanceOf(SendResult.Accepted.class);
    assertThat(result.recipients()).isEqualTo(3);
    for (String other : new String[] {"bob", "carol", "dave"}) {
      assertThat(ids(other)).as("inbox of %s", other).containsExactly(result.id());
    }
    assertThat(ids("alice")).isEmpty();
    assertThat(messages().contains(box("alice"), result.id())).isFalse();
  }

  @Test
  void broadcastStoresThePayloadOnce() {
    agent("alice");
    agent("bob");
    agent("carol");

    MessageId id = sent(from("alice").broadcast().text("to all"));

    Message stored = messages().find(id).orElseThrow();
    assertThat(stored.mode()).isEqualTo(SendMode.BROADCAST);
    assertThat(stored.target()).isEmpty();
    assertThat(stored.recipients()).isEqualTo(2);
    assertThat(stored.payload().text()).isEqualTo("to all");
    Message inBob = firstInbox("bob");
    Message inCarol = firstInbox("carol");
    assertThat(inBob).isEqualTo(stored).isEqualTo(inCarol);
  }

  private Message firstInbox(String agent) {
    return firstPage(agent, 10).items().getFirst().message();
  }

  @Test
  void broadcastReachesOnlyAgentsThatExistAtTheTime() {
    agent("alice");
    agent("bob");

    MessageId id = sent(from("alice").broadcast());
    agent("carol");

    assertThat(ids("bob")).containsExactly(id);
    assertThat(ids("carol")).isEmpty();
  }

  @Test
  void broadcastWithNobodyElseReachesNoMailbox() {
    agent("alice");

    SendResult result = send(from("alice").broadcast());

    assertThat(result.recipients()).isZero();
    assertThat(ids("alice")).isEmpty();
  }

  @Test
  void broadcastCreatesNoSharedMailbox() {
    agent("alice");
    agent("bob");

    sent(from("alice").broadcast());

    assertThat(messages().mailbox(box("bob")).map(MailboxInfo::kind))
        .isEqualTo(Optional.of(MailboxKind.AGENT));
    assertThat(messages().mailbox(box("shared"))).isEmpty();
  }
}
