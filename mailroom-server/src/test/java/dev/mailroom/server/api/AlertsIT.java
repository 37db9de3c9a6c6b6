package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.alert.Signal;
import dev.mailroom.server.AlertSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Alert rules evaluated by a node: a subscriber that stops acknowledging grows a backlog past a
 * rule's threshold; a subscriber of {@code mailroom.alerts.**} hears it fire once, however long it
 * stays over, and resolve once the backlog drains. The rules change through the admin API.
 */
class AlertsIT {
  private static final Duration INTERVAL = Duration.ofMillis(200);

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.alerts(
                  AlertSettings.DEFAULTS
                      .withInterval(INTERVAL)
                      .withRules(List.of(new AlertRule("backlog", Signal.BACKLOG_PENDING, 5, 1)))));

  @Test
  void aStalledSubscriberFiresOnceAndResolvesWhenItsBacklogDrains() {
    Agent watcher = api.newAgent("watcher");
    Agent worker = api.newAgent("worker");
    Agent publisher = api.newAgent("pub");
    subscribe(api.as(watcher), "mailroom.alerts.**", true);
    String subscription = Json.text(subscribe(api.as(worker), "jobs.*", false), "id");
    String subject = worker.id() + "/" + subscription;

    try (StreamClient.Ws alerts = connect(api, watcher, "")) {
      // The worker has no stream and acknowledges nothing: its backlog grows to 4, under the rule.
      List<String> first = publish(api.as(publisher), "jobs.build", 4);
      alerts.assertQuiet(INTERVAL.multipliedBy(4));

      // 6 pending: over 5, the alert fires once.
      List<String> more = publish(api.as(publisher), "jobs.build", 2);
      JsonNode fired = payload(alerts.nextMessage());
      assertThat(fired.get("rule").asString()).isEqualTo("backlog");
      assertThat(fired.get("signal").asString()).isEqualTo("backlog_pending");
      assertThat(fired.get("state").asString()).isEqualTo("firing");
      assertThat(fired.get("subject").asString()).isEqualTo(subject);
      assertThat(fired.get("value").asDouble()).isEqualTo(6);
      assertThat(fired.get("fire_at").asDouble()).isEqualTo(5);
      assertThat(fired.get("resolve_at").asDouble()).isEqualTo(1);

      JsonNode listed = api.admin().get("/v1/admin/alerts").json();
      assertThat(listed.at("/firing/0/subject").asString()).isEqualTo(subject);
      assertThat(listed.at("/rules/0/firing").asInt()).isEqualTo(1);
      assertThat(api.admin().get("/metrics").body())
          .contains("mailroom_alerts_firing{rule=\"backlog\"} 1.0");

      // Still over, higher, then lower but above the resolve threshold: no alert again.
      List<String> rest = publish(api.as(publisher), "jobs.build", 3);
      alerts.assertQuiet(INTERVAL.multipliedBy(4));
      acknowledge(worker, first);
      acknowledge(worker, more);
      assertThat(pending(worker, subscription)).isEqualTo(3);
      alerts.assertQuiet(INTERVAL.multipliedBy(4));

      // Drained to 1 or less: it resolves, once.
      acknowledge(worker, rest.subList(0, 2));
      JsonNode resolved = payload(alerts.nextMessage());
      assertThat(resolved.get("state").asString()).isEqualTo("resolved");
      assertThat(resolved.get("subject").asString()).isEqualTo(subject);
      assertThat(resolved.get("value").asDouble()).isEqualTo(1);
      assertThat(resolved.get("since").asString()).isEqualTo(fired.get("since").asString());
      alerts.assertQuiet(INTERVAL.multipliedBy(4));
      assertThat(api.admin().get("/v1/admin/alerts").json().get("firing")).isEmpty();
      assertThat(api.admin().get("/metrics").body())
          .contains("mailroom_alerts_firing{rule=\"backlog\"} 0.0");
    }
  }

  @Test
  void rulesChangeThroughTheAdminApiAndEachChangeIsAudited() {
    Response created =
        api.admin()
            .put(
                "/v1/admin/alerts/rules/dlq-page",
                "{\"signal\":\"dead_letters\",\"fire_at\":10,\"resolve_at\":2}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.json().get("signal").asString()).isEqualTo("dead_letters");
    Response changed =
        api.admin()
            .put(
                "/v1/admin/alerts/rules/dlq-page",
                "{\"signal\":\"dead_letters\",\"fire_at\":20,\"resolve_at\":2}");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().get("fire_at").asDouble()).isEqualTo(20);
    assertThat(api.admin().get("/v1/admin/alerts").json().get("rules").findValuesAsString("name"))
        .contains("backlog", "dlq-page");

    Problems.assertInvalid(
        api.admin()
            .put(
                "/v1/admin/alerts/rules/dlq-page",
                "{\"signal\":\"dead_letters\",\"fire_at\":2,\"resolve_at\":2}"),
        "resolve_at");
    Problems.assertInvalid(
        api.admin()
            .put(
                "/v1/admin/alerts/rules/dlq-page",
                "{\"signal\":\"no_such\",\"fire_at\":2,\"resolve_at\":1}"),
        "signal");
    Problems.assertInvalid(
        api.admin()
            .put(
                "/v1/admin/alerts/rules/dlq-page",
                "{\"signal\":\"dead_letters\",\"fire_at\":\"2\",\"resolve_at\":1}"),
        "fire_at");
    Problems.assertInvalid(
        api.admin()
            .put(
                "/v1/admin/alerts/rules/Bad%20Name",
                "{\"signal\":\"dead_letters\",\"fire_at\":2,\"resolve_at\":1}"),
        "name");
    Problems.assertInvalid(
        api.admin()
            .put(
                "/v1/admin/alerts/rules/dlq-page",
                "{\"signal\":\"dead_letters\",\"fire_at\":2,\"resolve_at\":1,\"for\":\"1m\"}"),
        "for");
    // A refused change changed nothing.
    assertThat(api.admin().get("/v1/admin/alerts").json().at("/rules/1/fire_at").asDouble())
        .isEqualTo(20);

    Agent someone = api.newAgent("someone");
    assertThat(api.as(someone).get("/v1/admin/alerts").status()).isEqualTo(403);
    assertThat(
            api.as(someone)
                .put(
                    "/v1/admin/alerts/rules/mine",
                    "{\"signal\":\"dead_letters\",\"fire_at\":2,\"resolve_at\":1}")
                .status())
        .isEqualTo(403);

    assertThat(api.admin().delete("/v1/admin/alerts/rules/dlq-page").status()).isEqualTo(204);
    Problems.assertProblem(api.admin().delete("/v1/admin/alerts/rules/dlq-page"), 404);
    assertThat(api.admin().get("/metrics").body()).doesNotContain("rule=\"dlq-page\"");

    assertThat(Json.text(api.auditRecord(created), "resource"))
        .isEqualTo("dlq-page=dead_letters@10.0/2.0");
    assertThat(Json.text(api.auditRecord(changed), "resource"))
        .isEqualTo("dlq-page=dead_letters@20.0/2.0");
  }

  @Test
  void onlyAdminsWriteUnderMailroomSoNoAgentForgesAnAlert() {
    Agent forger = api.newAgent("forger");
    Problems.assertProblem(
        api.as(forger)
            .send(
                Json.object(
                    "mode",
                    "topic",
                    "target",
                    "mailroom.alerts.backlog",
                    "content_type",
                    "application/json",
                    "payload",
                    Json.object("state", "resolved"))),
        403);
    Problems.assertProblem(
        api.as(forger).post("/v1/topics", "{\"name\":\"mailroom.alerts.fake\"}"), 403);
    Problems.assertProblem(
        api.as(forger)
            .send(
                Json.object(
                    "mode",
                    "direct",
                    "target",
                    "mailroom.box",
                    "content_type",
                    "text/plain",
                    "payload",
                    "x")),
        403);
    // Reading them is open: subscribing is how agents hear alerts.
    subscribe(api.as(forger), "mailroom.alerts.*", true);
  }

  private static JsonNode payload(StreamClient.Event e) {
    assertThat(e.json().at("/message/target").asString()).isEqualTo("mailroom.alerts.backlog");
    assertThat(e.json().at("/message/sender").asString()).isEqualTo("admin");
    return e.json().at("/message/payload");
  }

  private static void acknowledge(Agent agent, List<String> ids) {
    for (String id : ids) {
      Response r = api.as(agent).post("/v1/messages/" + id + "/ack", null);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
  }

  private static long pending(Agent agent, String subscription) {
    return api.as(agent).get("/v1/subscriptions/" + subscription).json().get("queued").asLong();
  }
}
