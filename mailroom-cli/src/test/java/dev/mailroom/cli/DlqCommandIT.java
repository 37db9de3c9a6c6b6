package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MessageStream;
import dev.mailroom.client.TestServer;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dlq} against a real server, with dead letters made by a handler that always fails. */
class DlqCommandIT {
  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(50), 2, 0)));

  /** Sends {@code n} messages to {@code agent} and lets each fail until it is dead. */
  private static List<String> deadLetters(AgentCreated agent, int n) {
    MailroomClient sender = server.client(server.newAgent("sender"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(sender.messages().send(Draft.direct(agent.id()).text("job " + i)).id());
    }
    MailroomClient client = server.client(agent);
    try (MessageStream failing =
        client.stream(
            m -> {
              throw new IllegalStateException("fails");
            })) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.deadLetters().list(100).deadLetters().size() == n);
    }
    return ids;
  }

  @Test
  void deadLettersAreListedShownReplayedAndPurged() {
    AgentCreated worker = server.newAgent("worker");
    List<String> ids = deadLetters(worker, 3);
    Cli asWorker = Cli.as(server, worker.token());

    Cli.Result list = asWorker.run("dlq", "list", "--limit", "2");
    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.out()).contains("REASON").contains(ids.get(0)).contains(ids.get(1));
    assertThat(list.err()).contains("more: --after " + ids.get(1));

    Cli.Result all = asWorker.interactive().run("dlq", "list", "--all", "--limit", "1", "--json");
    assertThat(all.out().lines().map(l -> Json.mapper().readTree(l).get("id").asString()))
        .containsExactlyElementsOf(ids);
    assertThat(all.err()).contains("dead letters: 3");

    Cli.Result shown = asWorker.run("dlq", "show", ids.get(0));
    assertThat(shown.out()).contains("not acknowledged after 3 attempts").contains("job 0");

    Cli.Result replayOne = asWorker.run("dlq", "replay", ids.get(0));
    assertThat(replayOne.out()).contains("replayed 1");
    assertThat(asWorker.run("dlq", "purge", ids.get(1)).out()).contains("purged 1");
    assertThat(asWorker.run("dlq", "list", "--json").out())
        .contains(ids.get(2))
        .doesNotContain(ids.get(0))
        .doesNotContain(ids.get(1));

    Cli.Result purgeAll = asWorker.run("dlq", "purge", "--all", "--json");
    assertThat(Json.mapper().readTree(purgeAll.out()).get("purged").asInt()).isEqualTo(1);
  }

  @Test
  void anAdminReplaysEveryonesDeadLettersWithProgress() {
    AgentCreated a = server.newAgent("a");
    AgentCreated b = server.newAgent("b");
    List<String> ids = new ArrayList<>(deadLetters(a, 2));
    ids.addAll(deadLetters(b, 1));
    Cli asAdmin = Cli.as(server, TestServer.ADMIN_TOKEN).interactive();

    Cli.Result bobs = asAdmin.run("dlq", "list", "--agent", b.id(), "--json");
    assertThat(Json.mapper().readTree(bobs.out()).get("dead_letters")).hasSize(1);

    Cli.Result replay = asAdmin.run("dlq", "replay", "--all");
    assertThat(replay.exit()).as("%s", replay).isZero();
    assertThat(replay.out()).contains("replayed 3");
    assertThat(replay.err()).contains("replayed: 3");
    assertThat(server.client(a).deadLetters().list(10).deadLetters()).isEmpty();
    assertThat(server.client(b).deadLetters().list(10).deadLetters()).isEmpty();

    Cli.Result notAdmin = Cli.as(server, a.token()).run("dlq", "list", "--agent", b.id());
    assertThat(notAdmin.exit()).isEqualTo(ExitCode.FORBIDDEN.code());
  }
}
