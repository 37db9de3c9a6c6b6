package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  private final List<String> acks = new ArrayList<>();
  private final List<String> handled = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final StreamListener listener =
      new StreamListener() {
        @Override
        public void handlerFailed(IncomingMessage message, Exception failure) {
          failed.add(message.id());
        }
      };

  static StreamEvent.Delivery delivery(String id, int attempt) {
    return new StreamEvent.Delivery(id, "inbox", attempt, Fixtures.message(id, Optional.empty()));
  }

  private Dispatcher dispatcher(StreamOptions.AckMode mode, MessageHandler handler) {
    return new Dispatcher(handler, mode, 100, acks::add, listener);
  }

  @Test
  void aHandledMessageIsAcknowledgedAndARedeliveryIsAcknowledgedAgainButNotHandled() {
    Dispatcher d = dispatcher(StreamOptions.AckMode.AUTO, m -> handled.add(m.id()));
    assertThat(d.admit(delivery("m1", 1))).isTrue();
    d.dispatch(delivery("m1", 1));
    assertThat(handled).containsExactly("m1");
    assertThat(acks).containsExactly("m1");

    assertThat(d.admit(delivery("m1", 2))).isFalse();
    assertThat(handled).containsExactly("m1");
    assertThat(acks).containsExactly("m1", "m1");
  }

  @Test
  void aPushOfAnIdThatStillWaitsForTheHandlerIsDropped() {
    Dispatcher d = dispatcher(StreamOptions.AckMode.AUTO, m -> handled.add(m.id()));
    assertThat(d.admit(delivery("m1", 1))).isTrue();
    assertThat(d.admit(delivery("m1", 2))).isFalse();
    d.dispatch(delivery("m1", 1));
    assertThat(handled).containsExactly("m1");
  }

  @Test
  void aHandlerThatThrowsAcknowledgesNothingAndGetsTheNextAttempt() {
    Dispatcher d =
        dispatcher(
            StreamOptions.AckMode.AUTO,
            m -> {
              handled.add(m.id() + "#" + m.attempt());
              if (m.attempt() == 1) {
                throw new IllegalStateException("boom");
              }
            });
    d.admit(delivery("m1", 1));
    d.dispatch(delivery("m1", 1));
    assertThat(acks).isEmpty();
    assertThat(failed).containsExactly("m1");

    assertThat(d.admit(delivery("m1", 2))).isTrue();
    d.dispatch(delivery("m1", 2));
    assertThat(handled).containsExactly("m1#1", "m1#2");
    assertThat(acks).containsExactly("m1");
  }

  @Test
  void inManualModeOnlyTheHandlersOwnAckAcknowledgesAndOnlyOnce() {
    List<IncomingMessage> kept = new ArrayList<>();
    Dispatcher d = dispatcher(StreamOptions.AckMode.MANUAL, kept::add);
    d.admit(delivery("m1", 1));
    d.dispatch(delivery("m1", 1));
    assertThat(acks).isEmpty();

    assertThat(d.admit(delivery("m1", 2))).as("not acknowledged: handed again").isTrue();
    d.dispatch(delivery("m1", 2));
    kept.getLast().ack();
    kept.getLast().ack();
    assertThat(acks).containsExactly("m1");
    assertThat(d.admit(delivery("m1", 3))).isFalse();
  }

  @Test
  void aMessageAcknowledgedByHandWhileItWaitedIsNotHandled() {
    Dispatcher d = dispatcher(StreamOptions.AckMode.AUTO, m -> handled.add(m.id()));
    d.admit(delivery("m1", 1));
    d.acknowledge("m1");
    d.dispatch(delivery("m1", 1));
    assertThat(handled).isEmpty();
    assertThat(acks).containsExactly("m1");
  }
}
