package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code watch} tails a real stream and acknowledges what it printed. */
class WatchCommandIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void watchPrintsWhatWaitedAndWhatArrivesThenStopsAfterCount() throws Exception {
    AgentCreated sender = server.newAgent("sender");
    AgentCreated watcher = server.newAgent("watcher");
    Cli asSender = Cli.as(server, sender.token());
    asSender.run("send", watcher.id(), "sent while away");

    CompletableFuture<Cli.Result> watching =
        CompletableFuture.supplyAsync(
            () -> Cli.as(server, watcher.token()).run("watch", "--count", "3", "--json"));
    asSender.run("send", watcher.id(), "sent while watching");
    asSender.run("send", watcher.id(), "and one more");
    Cli.Result result = watching.get(60, TimeUnit.SECONDS);

    assertThat(result.exit()).as("%s", result).isZero();
    assertThat(
            result
                .out()
                .lines()
                .map(l -> Json.mapper().readTree(l).at("/message/payload").asString()))
        .containsExactly("sent while away", "sent while watching", "and one more");
    assertThat(result.err()).contains("watching as " + watcher.id());

    // Everything printed was acknowledged: a second watch has nothing to print at first, so it
    // prints the next message sent.
    CompletableFuture<Cli.Result> again =
        CompletableFuture.supplyAsync(
            () -> Cli.as(server, watcher.token()).run("watch", "--count", "1"));
    asSender.run("send", watcher.id(), "the fourth");
    Cli.Result second = again.get(60, TimeUnit.SECONDS);
    assertThat(second.out().lines()).singleElement().asString().contains("the fourth");
  }

  @Test
  void watchWithARefusedTokenExitsAsUnauthenticated() {
    Cli.Result result = Cli.as(server, "mr_not_a_token").run("watch");
    assertThat(result.exit()).as("%s", result).isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(result.err()).contains("mailroom: ").doesNotContain("mr_not_a_token");
  }
}
