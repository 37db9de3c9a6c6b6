package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Role;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.spi.Recipient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change listener: told of every committed change once, in commit order. A send is told with
 * every agent whose inbox it entered and, of those, the pushed recipients; a send that entered no
 * agent's inbox, a duplicate and a refused send are not told. Subscriptions saved and deleted,
 * acknowledgements that settled something, replays, topics configured, created or deleted, agents
 * changed and the access policy replaced are each told once.
 */
abstract class ListenerRules extends ContractRules {
  private final RecordingListener listener = new RecordingListener();

  ListenerRules(StorageFixture fixture) {
    super(fixture);
  }

  @BeforeEach
  void listen() {
    storage().listen(listener);
  }

  private RecordingListener.Call told(MessageId id, Recipient... recipients) {
    return new RecordingListener.Call(messages().find(id).orElseThrow(), List.of(recipients));
  }

  @Test
  void aDirectSendIsToldOnceWithTheAgentsInbox() {
    agent("bob");

    MessageId id = sent(from("alice").toAgent("bob"));

    assertThat(listener.calls()).containsExactly(told(id, inbox("bob")));
  }

  @Test
  void aBroadcastIsToldOnceWithEveryOtherAgent() {
    agent("alice");
    agent("bob");
    agent("carol");

    MessageId id = sent(from("alice").broadcast());

    assertThat(listener.calls()).hasSize(1);
    RecordingListener.Call call = listener.calls().getFirst();
    assertThat(call.message()).isEqualTo(messages().find(id).orElseThrow());
    assertThat(call.recipients()).containsExactlyInAnyOrder(inbox("bob"), inbox("carol"));
  }

  @Test
  void aSubscriberSendIsToldWithOnlyThePushedRecipients() {
    agent("alice");
    agent("bob");
    agent("carol");
    agent("dave");
    Recipient bob = pushed("bob", "s-bob", 7);
    Recipient dave = pushed("dave", "s-dave", 3);

    MessageId id =
        sent(
            from("alice")
                .onTopic("ai.models")
                .subscribers(
                    bob,
                    polled("carol", "s-carol"),
                    pushed("alice", "s-alice"),
                    pushed("ghost", "s-ghost"),
                    dave));

    assertThat(listener.calls()).hasSize(1);
    RecordingListener.Call call = listener.calls().getFirst();
    assertThat(call.message()).isEqualTo(messages().find(id).orElseThrow());
    assertThat(call.recipients()).containsExactlyInAnyOrder(bob, dave);
  }

  @Test
  void sendsWithNobodyToPushToAreNotTold() {
    agent("alice");
    agent("bob");

    sent(from("alice").to("team"));
    sent(from("alice").onTopic("news"));
    sent(from("alice").to("team").subscribers(polled("bob", "p")));
    sent(from("alice").onTopic("news").subscribers(pushed("alice", "self")));
    sent(from("alice").onTopic("news").subscribers(pushed("ghost", "unknown")));

    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void aBroadcastWithNobodyElseIsNotTold() {
    agent("alice");

    sent(from("alice").broadcast());

    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void aDuplicateSendIsNotTold() {
    agent("bob");
    MessageId id = sent(from("alice").toAgent("bob").key("k"));

    send(from("alice").toAgent("bob").key("k"));

    assertThat(listener.ids()).containsExactly(id);
  }

  @Test
  void aRefusedSendIsNotTold() {
    agent("bob");
    sent(from("alice").to("news"));

    assertThatThrownBy(() -> send(from("alice").onTopic("news").subscribers(pushed("bob", "s"))))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThatThrownBy(() -> send(from("alice").toAgent("ghost")))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(listener.calls()).isEmpty();
  }

  @Test
  void callsComeInTheOrderTheSendsWereStored() {
    agent("alice");
    agent("bob");
    agent("carol");
    List<MessageId> sent = new ArrayList<>();

    sent.add(sent(from("alice").toAgent("bob")));
    sent.add(sent(from("bob").onTopic("news").subscribers(pushed("carol", "c"))));
    sent.add(sent(from("carol").broadcast()));
    sent.add(sent(from("alice").toAgent("carol")));

    assertThat(listener.ids()).containsExactlyElementsOf(sent);
  }

  @Test
  void aNewListenerReplacesTheOld() {
    agent("bob");
    MessageId first = sent(from("alice").toAgent("bob"));
    RecordingListener next = new RecordingListener();

    storage().listen(next);
    MessageId second = sent(from("alice").toAgent("bob"));

    assertThat(listener.ids()).containsExactly(first);
    assertThat(next.ids()).containsExactly(second);
  }

  @Test
  void concurrentSendersAreToldOfEachSendOnceAndInTheirOwnOrder() throws Exception {
    int threads = 8;
    int each = 40;
    agent("bob");

    List<List<MessageId>> byThread =
        ConcurrencyRules.inParallel(
            threads,
            t -> {
              List<MessageId> mine = new ArrayList<>();
              for (int i = 0; i < each; i++) {
                mine.add(sent(from("sender-" + t).toAgent("bob")));
              }
              return mine;
            });

    List<RecordingListener.Call> calls = listener.calls();
    assertThat(calls).hasSize(threads * each);
    assertThat(calls).allSatisfy(c -> assertThat(c.recipients()).containsExactly(inbox("bob")));
    Map<String, List<MessageId>> toldBySender =
        calls.stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.message().sender().value(),
                    Collectors.mapping(c -> c.message().id(), Collectors.toList())));
    for (int t = 0; t < threads; t++) {
      assertThat(toldBySender.get("sender-" + t))
          .as("calls for sender-%d", t)
          .containsExactlyElementsOf(byThread.get(t));
    }
  }

  @Test
  void aSendIsToldWithEveryAgentItReachedAndWhichOfThemArePushed() {
    agent("alice");
    agent("bob");
    agent("carol");
    listener.clear();

    MessageId id =
        sent(
            from("alice")
                .onTopic("news")
                .subscribers(pushed("bob", "s-bob"), polled("carol", "s-carol")));
    sent(from("alice").to("team"));
    sent(from("alice").onTopic("news"));

    assertThat(listener.changes())
        .containsExactly("stored " + id + " reached [bob, carol] pushed [bob]");
  }

  @Test
  void everyKindOfChangeIsToldOnceInTheOrderItWasMade() {
    AgentId bob = agent("bob");
    deliveries().saveSubscription(subscription("s-bob", "bob", "news.*", 10));
    MessageId direct = sent(from("alice").toAgent("bob"));
    MessageId dead = sent(from("alice").toAgent("bob"));
    deliveries().acknowledge(bob, List.of(direct, MessageId.of(42)));
    deliveries().acknowledge(bob, List.of(direct));
    deliveries().deadLetter(bob, dead, 3, "no ack");
    deliveries().replay(bob, dead);
    MailboxName news = MailboxName.of("news");
    topics().create(news, bob, 10);
    topics().configure(TopicConfig.inheritAll(news), true);
    topics().delete(news);
    access().replacePolicy(access().policy().version(), "{\"rules\":[]}");
    agents().replaceRoles(bob, Set.of(Role.OBSERVER));
    agents().revokeToken(bob);
    deliveries().deleteSubscription(SubscriptionId.of("s-bob"));

    assertThat(listener.changes())
        .containsExactly(
            "agent changed bob",
            "subscription saved s-bob",
            "stored " + direct + " reached [bob] pushed [bob]",
            "stored " + dead + " reached [bob] pushed [bob]",
            "acknowledged bob [" + direct + "]",
            "requeued " + dead + " for bob",
            "topic changed news",
            "topic changed news",
            "topic changed news",
            "access changed",
            "agent changed bob",
            "agent changed bob",
            "subscription deleted s-bob");
  }

  @Test
  void writesThatChangeNothingAreNotTold() {
    AgentId bob = agent("bob");
    MessageId id = sent(from("alice").toAgent("bob"));
    deliveries().acknowledge(bob, List.of(id));
    topics().create(MailboxName.of("news"), bob, 10);
    listener.clear();

    deliveries().acknowledge(bob, List.of(id, MessageId.of(42)));
    deliveries().deleteSubscription(SubscriptionId.of("none"));
    deliveries().replay(bob, id);
    topics().create(MailboxName.of("news"), bob, 10);
    topics().delete(MailboxName.of("nothing"));
    access().replacePolicy(access().policy().version() + 5, "{}");
    agents().revokeToken(AgentId.of("ghost"));

    assertThat(listener.changes()).isEmpty();
  }
}
