package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.spi.Recipient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery listener: told after each send that queued pushed deliveries, with the stored
 * message and only the pushed recipients, in commit order, never with nobody to tell.
 */
abstract class ListenerRules extends ContractRules {
  private final RecordingListener listener = new RecordingListener();

  ListenerRules(StorageFixture fixture) {
    super(fixture);
  }

  @BeforeEach
  void listen() {
    deliveries().listen(listener);
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

    deliveries().listen(next);
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
}
