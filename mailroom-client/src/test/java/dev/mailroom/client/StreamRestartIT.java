package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The acceptance test of issue 7: the SDK keeps a subscription through a server restart, and no
 * acknowledged message is lost or delivered twice.
 */
class StreamRestartIT {
  static final int MESSAGES = 150;
  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void theSdkKeepsASubscriptionThroughServerRestartsAndHandlesEveryMessageExactlyOnce()
      throws Exception {
    AgentCreated sender = server.newAgent("sender");
    AgentCreated receiver = server.newAgent("receiver");
    MailroomClient senderClient = server.client(sender);
    MailroomClient receiverClient = server.client(receiver);

    Map<String, Integer> handled = new ConcurrentHashMap<>();
    List<StreamEvent.Connected> connections = new CopyOnWriteArrayList<>();
    StreamOptions options =
        StreamOptions.builder()
            .reconnect(Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1)))
            .listener(
                new StreamListener() {
                  @Override
                  public void connected(StreamEvent.Connected event) {
                    connections.add(event);
                  }
                })
            .build();

    List<String> ids = new ArrayList<>();
    try (MessageStream stream =
        receiverClient.stream(
            options, m -> handled.merge(m.message().payload().asString(), 1, Integer::sum))) {
      await().atMost(WAIT).until(() -> stream.state() == MessageStream.State.CONNECTED);
      // Two restarts, each while the sends go on: some sends meet a server that is away.
      CompletableFuture<Void> restart = CompletableFuture.completedFuture(null);
      for (int i = 0; i < MESSAGES; i++) {
        if (i == MESSAGES / 3 || i == 2 * MESSAGES / 3) {
          restart.join();
          restart = CompletableFuture.runAsync(StreamRestartIT::restartServer);
        }
        ids.add(sendUntilStored(senderClient, receiver.id(), i));
      }
      restart.join();
      await().atMost(WAIT).until(() -> handled.size() == MESSAGES);
      stream.close();
      assertThat(stream.awaitTermination(WAIT)).isTrue();
      assertThat(stream.state()).isEqualTo(MessageStream.State.CLOSED);
    }

    assertThat(handled.keySet())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, MESSAGES).mapToObj(i -> "m" + i).toList());
    assertThat(handled.values()).as("times each message was handled").containsOnly(1);
    assertThat(connections).as("connections, one per server run").hasSizeGreaterThanOrEqualTo(3);
    assertThat(connections.getLast().resumedAfter()).isPresent();
    assertThat(receiverClient.deadLetters().list(1000).deadLetters()).isEmpty();
    for (String id : ids) {
      assertThat(receiverClient.messages().ack(id).acknowledged())
          .as("%s still pending: its acknowledgement was lost", id)
          .isFalse();
    }
  }

  /** Stops the server as on SIGTERM and starts it on the same data directory and port. */
  private static void restartServer() {
    server.stop();
    server.start();
  }

  /** Sends message {@code i}, repeating it (same idempotency key) while the server is away. */
  private static String sendUntilStored(MailroomClient client, String to, int i) {
    Draft draft = Draft.direct(to).text("m" + i).idempotencyKey("restart-" + i);
    String[] id = new String[1];
    await()
        .atMost(WAIT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              try {
                id[0] = client.messages().send(draft).id();
                return true;
              } catch (MailroomClientException e) {
                if (!e.kind().retryable()) {
                  throw e;
                }
                return false;
              }
            });
    return id[0];
  }
}
