package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.DeadLetterList;
import dev.mailroom.protocol.DeadLetterView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead letters made by a handler that always fails, then inspected, replayed and purged. */
class DeadLettersIT {
  /** Pushes about 50 ms apart, no jitter, 3 attempts: a failing delivery is dead in ~0.2 s. */
  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(50), 2, 0)));

  @Test
  void deliveriesAHandlerKeepsFailingAreDeadLetteredThenReplayedAndPurged() throws Exception {
    AgentCreated sender = server.newAgent("dl-sender");
    AgentCreated worker = server.newAgent("dl-worker");
    MailroomClient workerClient = server.client(worker);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          server.client(sender).messages().send(Draft.direct(worker.id()).text("job " + i)).id());
    }
    try (MessageStream failing =
        workerClient.stream(
            m -> {
              throw new IllegalStateException("cannot do " + m.id());
            })) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> workerClient.deadLetters().list(50).deadLetters().size() == 3);
    }

    DeadLetterList firstPage = workerClient.deadLetters().list(2);
    assertThat(firstPage.deadLetters())
        .extracting(DeadLetterView::id)
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(firstPage.nextAfterId()).contains(ids.get(1));
    assertThat(workerClient.deadLetters().list(ids.get(1), 2).deadLetters())
        .extracting(DeadLetterView::id)
        .containsExactly(ids.get(2));
    List<Integer> sizes = new ArrayList<>();
    workerClient.deadLetters().pages(2).forEachRemaining(p -> sizes.add(p.deadLetters().size()));
    assertThat(sizes).containsExactly(2, 1);
    assertThat(workerClient.deadLetters().all(1).map(DeadLetterView::id))
        .containsExactlyElementsOf(ids);

    DeadLetterView one = workerClient.deadLetters().get(ids.get(0));
    assertThat(one.attempts()).isEqualTo(3);
    assertThat(one.reason()).contains("3 attempts");
    assertThat(one.subscriptionId()).isEqualTo("inbox");
    assertThat(one.message().payload().asString()).isEqualTo("job 0");

    MailroomClient admin = server.admin();
    assertThat(admin.deadLetters(worker.id()).get(ids.get(1)).agentId()).isEqualTo(worker.id());

    List<String> handled = new CopyOnWriteArrayList<>();
    workerClient.deadLetters().replay(ids.get(0));
    try (MessageStream ok = workerClient.stream(m -> handled.add(m.id()))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains(ids.get(0)));
    }
    assertThat(workerClient.deadLetters().all(50).map(DeadLetterView::id))
        .containsExactly(ids.get(1), ids.get(2));

    admin.deadLetters(worker.id()).purge(ids.get(1));
    assertThat(workerClient.deadLetters().purgeAll().purged()).isEqualTo(1);
    assertThat(workerClient.deadLetters().list(50).deadLetters()).isEmpty();
  }
}
