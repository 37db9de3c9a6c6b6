package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.AuditQuery;
import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.alert.Signal;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AuditRecordView;
import dev.mailroom.protocol.Json;
import dev.mailroom.server.AlertSettings;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code mailroom stats} with an admin's token, {@code --mailbox} and {@code --agent}, and {@code
 * mailroom alerts}, against a server that evaluates its alerts every 200 ms, starting with one rule
 * on backlogs of 3.
 */
class StatsAndAlertsCommandsIT {
  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b ->
              b.alerts(
                  AlertSettings.DEFAULTS
                      .withInterval(Duration.ofMillis(200))
                      .withRules(List.of(new AlertRule("stalled", Signal.BACKLOG_PENDING, 3, 1)))));

  private final Cli admin = Cli.as(server, TestServer.ADMIN_TOKEN);

  /** A new agent with {@code n} messages in its inbox, none acknowledged. */
  private static AgentCreated withBacklog(String prefix, int n) {
    AgentCreated agent = server.newAgent(prefix);
    try (MailroomClient sender = server.client(server.newAgent("sender"))) {
      for (int i = 0; i < n; i++) {
        sender.messages().send(Draft.direct(agent.id()).text("job " + i));
      }
    }
    return agent;
  }

  @Test
  void anAdminSeesTheSystemsStatisticsBelowHealthAndMetrics() {
    AgentCreated swamped = withBacklog("swamped", 8);

    Cli.Result stats = admin.run("stats");

    assertThat(stats.exit()).as("%s", stats).isZero();
    assertThat(stats.out())
        .startsWith("status: UP")
        .contains("streams open")
        .containsPattern("system \\(node [^,]+, store sqlite\\):")
        .containsPattern("(?m)^  pending deliveries: ([89]|\\d\\d+)$")
        .contains("rates (last 60 s, this node):")
        .containsPattern("(?m)^  sends/s: \\d+\\.\\d\\d$")
        .contains("top backlogs:")
        .containsPattern("(?m)^  AGENT +WAY IN +PENDING +OLDEST +WAITING$")
        .containsPattern("(?m)^  " + swamped.id() + " +inbox +8 +\\d{4}-\\d\\d-\\d\\d ");
    assertThat(stats.err()).isEmpty();

    JsonNode json = Json.mapper().readTree(admin.run("stats", "--json").out());
    assertThat(json.at("/health/status").asString()).isEqualTo("UP");
    assertThat(json.at("/metrics/mailroom_streams_open").isNumber()).isTrue();
    assertThat(json.at("/system/backend").asString()).isEqualTo("sqlite");
    assertThat(json.at("/system/counts/pending_deliveries").asLong()).isGreaterThanOrEqualTo(8);
    assertThat(json.at("/system/top_backlogs/0/agent").asString()).isEqualTo(swamped.id());
    assertThat(json.at("/system/top_backlogs/0/pending").asLong()).isEqualTo(8);
  }

  @Test
  void anAgentWhoIsNoAdminSeesHealthAndMetricsOnly() {
    AgentCreated plain = server.newAgent("plain");
    Cli agent = Cli.as(server, plain.token());

    Cli.Result stats = agent.run("stats");

    assertThat(stats.exit()).as("%s", stats).isZero();
    assertThat(stats.out())
        .startsWith("status: UP")
        .contains("streams open")
        .doesNotContain("system (");
    assertThat(stats.err()).isEmpty();
    assertThat(Json.mapper().readTree(agent.run("stats", "--json").out()).has("system")).isFalse();
    // It asked who it is, and was refused nothing.
    try (MailroomClient sdk = server.admin()) {
      AuditQuery mine = AuditQuery.builder().actor(plain.id()).build();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  sdk.audit().all(mine).filter(r -> r.action().equals("GET /v1/whoami")).count()
                      == 2);
      assertThat(sdk.audit().all(mine)).extracting(AuditRecordView::outcome).containsOnly("ok");
    }

    // A token the server refuses fails the command, as it always did: no route takes it.
    Cli.Result refused = Cli.as(server, "mr_no_such_token_0123456789abcdef0123456789").run("stats");
    assertThat(refused.exit()).as("%s", refused).isEqualTo(ExitCode.UNAUTHENTICATED.code());
  }

  @Test
  void aMailboxsStatisticsCountWhatItReceivedAndWhatWaits() {
    AgentCreated idle = withBacklog("idle", 3);
    Cli owner = Cli.as(server, idle.token());

    Cli.Result shown = owner.run("stats", "--mailbox", idle.id());

    assertThat(shown.exit()).as("%s", shown).isZero();
    assertThat(shown.out().lines().toList())
        .contains(
            "mailbox:       " + idle.id() + " (agent)",
            "messages:      3 live, 3 received, 0 dropped",
            "pending:       3 deliveries not acknowledged",
            "subscribers:   1");
    assertThat(shown.out()).containsPattern("(?m)^unread: +3, oldest \\d{4}-.* ago\\)$");
    JsonNode json =
        Json.mapper().readTree(admin.run("stats", "--mailbox", idle.id(), "--json").out());
    assertThat(json.get("name").asString()).isEqualTo(idle.id());
    assertThat(json.get("total").asLong()).isEqualTo(3);
    assertThat(json.get("pending").asLong()).isEqualTo(3);
    assertThat(json.get("unread").asLong()).isEqualTo(3);

    Cli stranger = Cli.as(server, server.newAgent("stranger").token());
    assertThat(stranger.run("stats", "--mailbox", idle.id()).exit())
        .isEqualTo(ExitCode.FORBIDDEN.code());
  }

  @Test
  void anAgentsStatisticsShowItsBacklogsAsATable() {
    AgentCreated slow = withBacklog("slow", 3);

    Cli.Result shown = Cli.as(server, slow.token()).run("stats", "--agent", slow.id());

    assertThat(shown.exit()).as("%s", shown).isZero();
    assertThat(shown.out())
        .containsPattern("(?m)^agent: +" + slow.id() + " \\(node .+\\)$")
        .containsPattern("(?m)^last seen: +\\d{4}-")
        .containsPattern("(?m)^stream: +none$")
        .containsPattern("(?m)^backlogs: +1$")
        .containsPattern("(?m)^  " + slow.id() + " +inbox +3 +\\d{4}-");
    JsonNode json =
        Json.mapper().readTree(admin.run("stats", "--agent", slow.id(), "--json").out());
    assertThat(json.at("/backlogs/0/subscription").asString()).isEqualTo("inbox");
    assertThat(json.at("/backlogs/0/pending").asLong()).isEqualTo(3);
    assertThat(json.has("stream")).isFalse();

    Cli other = Cli.as(server, server.newAgent("other").token());
    assertThat(other.run("stats", "--agent", slow.id()).exit())
        .isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(admin.run("stats", "--agent", "no-such-agent").exit())
        .isEqualTo(ExitCode.NOT_FOUND.code());
  }

  @Test
  void aHostileMailboxNameIsShownAsText() {
    Cli.Result r = admin.run("stats", "--mailbox", "no\u001b[31mbody");

    assertThat(r.exit()).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(r.out() + r.err()).doesNotContain("\u001b");
  }

  @Test
  void anAdminSetsListsAndRemovesAlertRules() {
    Cli.Result set =
        admin.run(
            "alerts",
            "set",
            "dlq-page",
            "--signal",
            "dead_letters",
            "--fire-at",
            "10",
            "--resolve-at",
            "2");
    assertThat(set.exit()).as("%s", set).isZero();
    assertThat(set.out())
        .isEqualTo("alert rule dlq-page set: dead_letters fires at 10, resolves at 2\n");

    Cli.Result list = admin.run("alerts");
    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .matches("RULE +SIGNAL +FIRE AT +RESOLVE AT +FIRING");
    assertThat(list.out())
        .containsPattern("(?m)^stalled +backlog_pending +3 +1 +\\d+$")
        .containsPattern("(?m)^dlq-page +dead_letters +10 +2 +0$");
    assertThat(list.err())
        .matches("node .+: alerts evaluated every 0\\.2 s; \\d+ alerts? firing\\n");

    JsonNode replaced =
        Json.mapper()
            .readTree(
                admin
                    .run(
                        "alerts",
                        "set",
                        "dlq-page",
                        "--signal",
                        "dead_letters",
                        "--fire-at",
                        "20.5",
                        "--resolve-at",
                        "2",
                        "--json")
                    .out());
    assertThat(replaced.get("fire_at").asDouble()).isEqualTo(20.5);
    JsonNode json = Json.mapper().readTree(admin.run("alerts", "--json").out());
    assertThat(json.get("enabled").asBoolean()).isTrue();
    assertThat(json.get("rules").findValuesAsString("name")).contains("stalled", "dlq-page");

    Cli.Result invalid =
        admin.run(
            "alerts",
            "set",
            "dlq-page",
            "--signal",
            "dead_letters",
            "--fire-at",
            "2",
            "--resolve-at",
            "2");
    assertThat(invalid.exit()).isEqualTo(ExitCode.BAD_REQUEST.code());
    assertThat(invalid.err()).contains("resolve_at: must be below fire_at");
    assertThat(admin.run("alerts").out())
        .containsPattern("(?m)^dlq-page +dead_letters +20\\.5 +2 ");

    Cli.Result removed = admin.run("alerts", "remove", "dlq-page");
    assertThat(removed.exit()).as("%s", removed).isZero();
    assertThat(removed.out()).isEqualTo("deleted alert rule dlq-page\n");
    assertThat(admin.run("alerts").out()).doesNotContain("dlq-page");
    assertThat(admin.run("alerts", "remove", "dlq-page").exit())
        .isEqualTo(ExitCode.NOT_FOUND.code());

    Cli agent = Cli.as(server, server.newAgent("no-admin").token());
    assertThat(agent.run("alerts").exit()).isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(
            agent
                .run(
                    "alerts",
                    "set",
                    "mine",
                    "--signal",
                    "dead_letters",
                    "--fire-at",
                    "2",
                    "--resolve-at",
                    "1")
                .exit())
        .isEqualTo(ExitCode.FORBIDDEN.code());
    assertThat(agent.run("alerts", "remove", "stalled").exit())
        .isEqualTo(ExitCode.FORBIDDEN.code());
  }

  @Test
  void firingAlertsAreListedBelowTheRules() {
    AgentCreated stalled = withBacklog("stalled-worker", 4);
    String subject = stalled.id() + "/inbox";

    // It may fire at the third message; its value is the last evaluation's, soon 4.
    String row = "(?m)^stalled +backlog_pending +" + subject + " +4 +\\d{4}-";
    Cli.Result list =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> admin.run("alerts"), r -> Pattern.compile(row).matcher(r.out()).find());

    assertThat(list.out()).containsPattern("(?m)^RULE +SIGNAL +SUBJECT +VALUE +SINCE$");
    assertThat(list.err()).containsPattern("; \\d+ alerts? firing");
  }
}
