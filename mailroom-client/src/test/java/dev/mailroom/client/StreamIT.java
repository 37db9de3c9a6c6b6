package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.StreamEvent;
import dev.mailroom.protocol.SubscriptionView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's stream against a real server: order, acknowledgements, redelivery, failures. */
class StreamIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** Redeliveries about 100 ms, then 200 ms, after a push; no jitter. */
  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(100), 2, 0)));

  private static List<String> send(AgentCreated to, int n) {
    MailroomClient sender = server.client(server.newAgent("sender"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(sender.messages().send(Draft.direct(to.id()).text("m" + i)).id());
    }
    return ids;
  }

  private static void assertNothingPending(MailroomClient client, List<String> ids) {
    for (String id : ids) {
      assertThat(client.messages().ack(id).acknowledged()).as("%s was pending", id).isFalse();
    }
  }

  @Test
  void messagesReachTheHandlerInOrderAndAreAcknowledgedWhenItReturns() throws Exception {
    AgentCreated agent = server.newAgent("ordered");
    MailroomClient client = server.client(agent);
    List<String> handled = new CopyOnWriteArrayList<>();
    List<String> ids;
    try (MessageStream stream = client.stream(m -> handled.add(m.id()))) {
      ids = send(agent, 5);
      await().atMost(WAIT).until(() -> handled.size() == 5);
      assertThat(stream.state()).isEqualTo(MessageStream.State.CONNECTED);
      assertThat(stream.lastEventId()).contains(ids.getLast());
      stream.close();
      assertThat(stream.awaitTermination(WAIT)).isTrue();
      assertThat(stream.state()).isEqualTo(MessageStream.State.CLOSED);
    }
    assertThat(handled).containsExactlyElementsOf(ids);
    assertNothingPending(client, ids);
  }

  @Test
  void inManualModeAMessageComesAgainUntilTheHandlerAcknowledgesIt() throws Exception {
    AgentCreated agent = server.newAgent("manual");
    MailroomClient client = server.client(agent);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    StreamOptions manual = StreamOptions.builder().ackMode(StreamOptions.AckMode.MANUAL).build();
    List<String> ids;
    try (MessageStream stream =
        client.stream(
            manual,
            m -> {
              attempts.add(m.attempt());
              if (m.attempt() == 2) {
                m.ack();
              }
            })) {
      ids = send(agent, 1);
      await().atMost(WAIT).until(() -> attempts.contains(2));
      stream.close();
      assertThat(stream.awaitTermination(WAIT)).isTrue();
    }
    assertThat(attempts).containsExactly(1, 2);
    assertNothingPending(client, ids);
  }

  @Test
  void aHandlerThatThrowsGetsTheMessageAgainAsTheNextAttempt() throws Exception {
    AgentCreated agent = server.newAgent("thrower");
    MailroomClient client = server.client(agent);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<Exception> failures = new CopyOnWriteArrayList<>();
    StreamOptions options =
        StreamOptions.builder()
            .listener(
                new StreamListener() {
                  @Override
                  public void handlerFailed(IncomingMessage message, Exception failure) {
                    failures.add(failure);
                  }
                })
            .build();
    try (MessageStream stream =
        client.stream(
            options,
            m -> {
              attempts.add(m.attempt());
              if (m.attempt() == 1) {
                throw new IllegalStateException("not yet");
              }
            })) {
      send(agent, 1);
      await().atMost(WAIT).until(() -> attempts.contains(2));
    }
    assertThat(attempts).startsWith(1, 2);
    assertThat(failures).singleElement().extracting(Exception::getMessage).isEqualTo("not yet");
  }

  @Test
  void aRedeliveryWhileTheHandlerIsStillBusyWithTheMessageIsDroppedSoItIsHandledOnce()
      throws Exception {
    AgentCreated agent = server.newAgent("dedupe");
    MailroomClient client = server.client(agent);
    CountDownLatch release = new CountDownLatch(1);
    List<String> handled = new CopyOnWriteArrayList<>();
    List<Integer> droppedAttempts = new CopyOnWriteArrayList<>();
    StreamOptions options =
        StreamOptions.builder()
            .listener(
                new StreamListener() {
                  @Override
                  public void duplicateDropped(StreamEvent.Delivery delivery) {
                    droppedAttempts.add(delivery.attempt());
                  }
                })
            .build();
    String id;
    try (MessageStream stream =
        client.stream(
            options,
            m -> {
              handled.add(m.id());
              release.await();
            })) {
      id = send(agent, 1).getFirst();
      // Unacknowledged past its deadline, the message is pushed again as attempt 2.
      await().atMost(WAIT).until(() -> droppedAttempts.contains(2));
      release.countDown();
      stream.close();
      assertThat(stream.awaitTermination(WAIT)).isTrue();
    }
    assertThat(handled).containsExactly(id);
    assertNothingPending(client, List.of(id));
  }

  @Test
  void batchDeliveriesReachTheHandlerOneByOneWithTheirSubscription() {
    AgentCreated agent = server.newAgent("batcher");
    MailroomClient client = server.client(agent);
    String topic = "batch.t" + System.nanoTime();
    SubscriptionView sub =
        client
            .topics()
            .join(
                topic,
                SubscriptionSettings.builder().mode(DeliveryMode.BATCH).batchSize(3).build());
    List<IncomingMessage> handled = new CopyOnWriteArrayList<>();
    try (MessageStream stream = client.stream(handled::add)) {
      MailroomClient publisher = server.client(server.newAgent("publisher"));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(publisher.messages().send(Draft.topic(topic).text("b" + i)).id());
      }
      await().atMost(WAIT).until(() -> handled.size() == 3);
      assertThat(handled).extracting(IncomingMessage::id).containsExactlyElementsOf(ids);
      assertThat(handled).allSatisfy(m -> assertThat(m.subscriptionId()).isEqualTo(sub.id()));
      assertThat(stream.lastEventId()).contains(ids.getLast());
    }
  }

  @Test
  void aBacklogPushedSeveralToAFrameReachesTheHandlerOneByOneInOrder() throws Exception {
    AgentCreated agent = server.newAgent("backlog");
    MailroomClient client = server.client(agent);
    List<String> ids = send(agent, 50); // pending before the stream opens: read and pushed at once
    List<String> handled = new CopyOnWriteArrayList<>();
    try (MessageStream stream = client.stream(m -> handled.add(m.id()))) {
      await().atMost(WAIT).until(() -> handled.size() >= 50);
      assertThat(stream.lastEventId()).contains(ids.getLast());
    }
    assertThat(handled).containsExactlyElementsOf(ids);
    assertNothingPending(client, ids);
  }

  @Test
  void aSlowHandlerHoldsBackReadingAndStillGetsEveryMessageInOrder() {
    AgentCreated agent = server.newAgent("slow");
    MailroomClient client = server.client(agent);
    CountDownLatch release = new CountDownLatch(1);
    List<String> handled = new CopyOnWriteArrayList<>();
    StreamOptions tiny = StreamOptions.builder().queueCapacity(2).build();
    try (MessageStream stream =
        client.stream(
            tiny,
            m -> {
              release.await();
              handled.add(m.id());
            })) {
      List<String> ids = send(agent, 20);
      release.countDown();
      await().atMost(WAIT).until(() -> handled.size() >= 20);
      assertThat(handled).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void aNewerStreamOfTheSameAgentEndsTheOlderOneWhichGivesUpInsteadOfFightingBack()
      throws Exception {
    AgentCreated agent = server.newAgent("twice");
    MailroomClient client = server.client(agent);
    try (MessageStream older = client.stream(m -> {})) {
      await().atMost(WAIT).until(() -> older.state() == MessageStream.State.CONNECTED);
      try (MessageStream newer = client.stream(m -> {})) {
        assertThat(older.awaitTermination(WAIT)).isTrue();
        assertThat(older.state()).isEqualTo(MessageStream.State.FAILED);
        assertThat(older.failure().orElseThrow().kind())
            .isEqualTo(MailroomClientException.Kind.CONFLICT);
        assertThat(older.failure().orElseThrow().detail()).contains("superseded");
        await().atMost(WAIT).until(() -> newer.state() == MessageStream.State.CONNECTED);
      }
    }
  }

  @Test
  void aRefusedTokenFailsTheStreamWithoutRetrying() throws Exception {
    List<String> disconnects = new CopyOnWriteArrayList<>();
    StreamOptions options =
        StreamOptions.builder()
            .listener(
                new StreamListener() {
                  @Override
                  public void disconnected(String reason, Duration retryIn) {
                    disconnects.add(reason);
                  }
                })
            .build();
    try (MessageStream stream = server.client("mr_not_a_token").stream(options, m -> {})) {
      assertThat(stream.awaitTermination(WAIT)).isTrue();
      assertThat(stream.state()).isEqualTo(MessageStream.State.FAILED);
      assertThat(stream.failure().orElseThrow().kind())
          .isEqualTo(MailroomClientException.Kind.UNAUTHENTICATED);
    }
    assertThat(disconnects).isEmpty();
  }
}
