package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code topics} and {@code subscriptions} against a real server. */
class TopicAndSubscriptionCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void topicsAreCreatedConfiguredShownListedJoinedLeftAndDeleted() {
    AgentCreated agent = server.newAgent("topical");
    Cli asAgent = Cli.as(server, agent.token());
    Cli asAdmin = Cli.as(server, TestServer.ADMIN_TOKEN);

    Cli.Result configured =
        asAdmin.run(
            "topics",
            "configure",
            "ai",
            "--retention",
            "1d",
            "--max-subscribers",
            "50",
            "--cleanup-after",
            "30d");
    assertThat(configured.exit()).as("%s", configured).isZero();
    assertThat(configured.out()).contains("retention:       86400 s\n");

    Cli.Result created =
        asAgent.run("topics", "create", "ai.models.gpt4", "--description", "GPT-4 news");
    assertThat(created.out()).contains("name:            ai.models.gpt4\n");

    Cli.Result shown = asAgent.run("topics", "show", "ai.models.gpt4");
    assertThat(shown.out())
        .contains("description:     GPT-4 news")
        .contains("max subscribers: 50 (inherited)");

    Cli.Result list = asAgent.run("topics", "list");
    assertThat(list.out())
        .contains("ai  (0 messages")
        .contains("\n  models\n")
        .contains("    gpt4  (");

    Cli.Result joined =
        asAgent.run("topics", "join", "ai.models.gpt4", "--mode", "polling", "--json");
    JsonNode sub = Json.mapper().readTree(joined.out());
    assertThat(sub.get("delivery_mode").asString()).isEqualTo("polling");
    assertThat(asAgent.run("subscriptions", "list").out()).contains(sub.get("id").asString());

    assertThat(asAgent.run("topics", "leave", "ai.models.gpt4").out())
        .contains("left ai.models.gpt4");
    assertThat(asAgent.run("subscriptions", "list", "--json").out())
        .isEqualTo("{\"subscriptions\":[],\"next_cursor\":null}\n");

    Cli.Result refused = asAgent.run("topics", "delete", "ai.models.gpt4");
    assertThat(refused.exit()).isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(asAdmin.run("topics", "delete", "ai.models.gpt4").exit()).isZero();
    assertThat(asAgent.run("topics", "show", "ai.models.gpt4").exit())
        .isEqualTo(ExitCode.NOT_FOUND.code());
  }

  @Test
  void subscriptionsAreCreatedWithFiltersShownAndDeleted() {
    Cli asAgent = Cli.as(server, server.newAgent("subscriber").token());
    Cli.Result created =
        asAgent.run(
            "subscriptions",
            "create",
            "ai.*",
            "--mode",
            "batch",
            "--batch-size",
            "5",
            "--batch-window",
            "2s",
            "--min-priority",
            "high",
            "--tag",
            "review",
            "--from",
            "alice",
            "--type",
            "text/plain",
            "--max-queue",
            "100",
            "--auto-ack",
            "--json");
    assertThat(created.exit()).as("%s", created).isZero();
    JsonNode sub = Json.mapper().readTree(created.out());
    String id = sub.get("id").asString();
    assertThat(sub.get("batch_window_seconds").asDouble()).isEqualTo(2.0);
    assertThat(sub.at("/filter/min_priority").asString()).isEqualTo("high");

    Cli.Result shown = asAgent.run("subscriptions", "show", id);
    assertThat(shown.out())
        .contains("ai.*")
        .contains("batch, auto-ack")
        .contains("from alice high+ text/plain #review");

    assertThat(asAgent.run("subscriptions", "delete", id).out()).contains("deleted " + id);
    assertThat(asAgent.run("subscriptions", "show", id).exit())
        .isEqualTo(ExitCode.NOT_FOUND.code());
  }

  @Test
  void listsShowAPageAndSayHowToGoOnOrShowEveryPageWithAll() {
    Cli asAgent = Cli.as(server, server.newAgent("lister").token());
    for (int i = 0; i < 3; i++) {
      assertThat(asAgent.run("subscriptions", "create", "listed.s" + i).exit()).isZero();
      assertThat(asAgent.run("topics", "create", "listed.t" + i).exit()).isZero();
    }

    // Subscriptions are listed by id, which is random: a page holds some two of the three.
    Cli.Result page = asAgent.run("subscriptions", "list", "--limit", "2");
    assertThat(page.exit()).as("%s", page).isZero();
    assertThat(page.out().lines().filter(l -> l.contains("listed.s"))).hasSize(2);
    assertThat(page.err()).contains("more: --cursor ");
    String cursor = page.err().substring(page.err().indexOf("--cursor ") + 9).strip();
    Cli.Result next = asAgent.run("subscriptions", "list", "--limit", "2", "--cursor", cursor);
    assertThat(next.out().lines().filter(l -> l.contains("listed.s"))).hasSize(1);
    assertThat(page.out() + next.out())
        .contains("listed.s0")
        .contains("listed.s1")
        .contains("listed.s2");
    assertThat(next.err()).doesNotContain("more:");
    assertThat(asAgent.run("subscriptions", "list", "--limit", "2", "--all").out())
        .contains("listed.s0")
        .contains("listed.s1")
        .contains("listed.s2");

    Cli.Result topics = asAgent.run("topics", "list", "--prefix", "listed.", "--limit", "2");
    assertThat(topics.out()).contains("t0  (").contains("t1  (").doesNotContain("t2  (");
    assertThat(topics.err()).contains("more: --cursor ");
    Cli.Result all = asAgent.run("topics", "list", "--prefix", "listed.", "--limit", "2", "--all");
    assertThat(all.out()).startsWith("listed\n").contains("  t0  (").contains("  t2  (");
    assertThat(all.out().split("\n")).hasSize(4);
  }
}
