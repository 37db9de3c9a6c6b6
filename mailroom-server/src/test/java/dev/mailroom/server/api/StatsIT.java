package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.direct;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.MessageId;
import dev.mailroom.server.AlertSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The statistics routes answer what happened, exactly: the system's counts and backlogs, one
 * mailbox's sizes, pending and unread counts, one agent's backlogs, last-seen time and stream.
 */
class StatsIT {
  /** Without alerts, whose topics would count among the topics (see AlertsIT for those). */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(b -> b.alerts(AlertSettings.DEFAULTS.withEnabled(false)));

  @Test
  void theSystemsRatesGiveTheMeanLatencyOfFirstPushes() {
    Agent reader = api.newAgent("reader");
    Agent publisher = api.newAgent("pub");
    String pushed;
    try (StreamClient.Ws stream = Streams.connect(api, reader, "")) {
      direct(api.as(publisher), reader, "pushed");
      pushed = Json.text(stream.nextMessage().json(), "id");
    }
    // Acknowledged over REST, which is done when it answers: a stream's acknowledgement is
    // written later, and would change the pending count another test of this server reads.
    assertThat(api.as(reader).post("/v1/messages/" + pushed + "/ack", null).status())
        .isEqualTo(200);
    JsonNode latency = api.admin().get("/v1/stats").json().at("/rates/delivery_latency_ms");
    assertThat(latency.isNumber()).as("%s", latency).isTrue();
    assertThat(latency.asDouble()).isBetween(0.0, 60_000.0);
  }

  @Test
  void statisticsCountExactlyWhatWasSentReadAndAcknowledged() {
    JsonNode before = api.admin().get("/v1/stats").json();
    Agent reader = api.newAgent("reader");
    Agent publisher = api.newAgent("pub");
    Agent stranger = api.newAgent("stranger");
    String topic = "news" + System.nanoTime() % 1_000_000 + ".today";
    String subscription =
        Json.text(
            subscribe(api.as(reader), topic.substring(0, topic.indexOf('.')) + ".*", false), "id");

    List<String> direct =
        List.of(
            direct(api.as(publisher), reader, "one"),
            direct(api.as(publisher), reader, "two"),
            direct(api.as(publisher), reader, "three"));
    List<String> published = publish(api.as(publisher), topic, 2);

    // The system: three agents, one topic, one subscription, five pending deliveries more.
    JsonNode after = api.admin().get("/v1/stats").json();
    assertThat(delta(before, after, "agents")).isEqualTo(3);
    assertThat(delta(before, after, "topics")).isEqualTo(1);
    assertThat(delta(before, after, "subscriptions")).isEqualTo(1);
    assertThat(delta(before, after, "pending_deliveries")).isEqualTo(5);
    assertThat(delta(before, after, "dead_letters")).isZero();
    assertThat(after.at("/rates/sends_per_second").asDouble() * 60).isGreaterThanOrEqualTo(5);
    assertThat(after.get("backend").asString())
        .isEqualTo(MailroomApi.onRedis() ? "redis" : "sqlite");
    // The gauges read the same totals (at most every 10 s).
    long pending = after.at("/counts/pending_deliveries").asLong();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(api.admin().get("/metrics").body())
                    .contains("mailroom_deliveries_pending " + pending + ".0")
                    .contains(
                        "mailroom_subscriptions "
                            + after.at("/counts/subscriptions").asLong()
                            + ".0")
                    .contains(
                        "mailroom_dead_letters "
                            + after.at("/counts/dead_letters").asLong()
                            + ".0"));
    JsonNode top = after.get("top_backlogs");
    assertThat(top.get(0).get("agent").asString()).isEqualTo(reader.id());
    assertThat(top.get(0).get("subscription").asString()).isEqualTo("inbox");
    assertThat(top.get(0).get("pending").asLong()).isEqualTo(3);
    assertThat(Instant.parse(top.get(0).get("oldest_at").asString()))
        .isEqualTo(MessageId.parse(direct.get(0)).timestamp());
    assertThat(top.get(1).get("subscription").asString()).isEqualTo(subscription);
    assertThat(top.get(1).get("pending").asLong()).isEqualTo(2);

    // The reader's mailbox, as the reader: it read the first (which acknowledges it too), and
    // acknowledged the second without reading it.
    assertThat(api.as(reader).post("/v1/messages/" + direct.get(0) + "/read", null).status())
        .isEqualTo(204);
    assertThat(api.as(reader).post("/v1/messages/" + direct.get(1) + "/ack", null).status())
        .isEqualTo(200);
    // It holds the three direct messages and the two its subscription brought.
    JsonNode box = api.as(reader).get("/v1/mailboxes/" + reader.id() + "/stats").json();
    assertThat(box.get("kind").asString()).isEqualTo("agent");
    assertThat(box.get("size").asLong()).isEqualTo(5);
    assertThat(box.get("total").asLong()).isEqualTo(5);
    assertThat(box.get("dropped").asLong()).isZero();
    assertThat(box.get("pending").asLong()).isEqualTo(3);
    assertThat(box.get("unread").asLong()).isEqualTo(4);
    assertThat(Instant.parse(box.get("oldest_unread_at").asString()))
        .isEqualTo(MessageId.parse(direct.get(1)).timestamp());
    assertThat(Instant.parse(box.get("oldest_message_at").asString()))
        .isEqualTo(MessageId.parse(direct.get(0)).timestamp());
    assertThat(box.get("subscribers").asInt()).isEqualTo(1);
    // An admin sees the same (the unread counts are the mailbox's agent's), a stranger nothing.
    assertThat(
            api.admin()
                .get("/v1/mailboxes/" + reader.id() + "/stats")
                .json()
                .get("unread")
                .asLong())
        .isEqualTo(4);
    Problems.assertProblem(api.as(stranger).get("/v1/mailboxes/" + reader.id() + "/stats"), 403);
    Problems.assertProblem(api.as(reader).get("/v1/mailboxes/no-such-box/stats"), 404);
    Problems.assertInvalid(api.as(reader).get("/v1/mailboxes/bad%20name/stats"), "name");

    // The topic, as the publisher (who read none of it).
    JsonNode news = api.as(publisher).get("/v1/mailboxes/" + topic + "/stats").json();
    assertThat(news.get("kind").asString()).isEqualTo("topic");
    assertThat(news.get("size").asLong()).isEqualTo(2);
    assertThat(news.get("total").asLong()).isEqualTo(2);
    assertThat(news.get("pending").asLong()).isEqualTo(2);
    assertThat(news.get("unread").asLong()).isEqualTo(2);
    assertThat(news.get("subscribers").asInt()).isEqualTo(1);
    assertThat(Instant.parse(news.get("last_message_at").asString()))
        .isAfterOrEqualTo(MessageId.parse(published.get(1)).timestamp());

    // The reader itself: its backlogs, and its stream once it opens one.
    JsonNode self = api.as(reader).get("/v1/agents/" + reader.id() + "/stats").json();
    assertThat(self.get("last_seen_at")).isNotNull();
    assertThat(self.has("stream")).isFalse();
    assertThat(self.get("backlogs").findValuesAsString("subscription"))
        .containsExactly(subscription, "inbox");
    assertThat(self.get("backlogs").findValues("pending"))
        .extracting(JsonNode::asLong)
        .containsExactly(2L, 1L);
    Problems.assertProblem(api.as(stranger).get("/v1/agents/" + reader.id() + "/stats"), 403);
    Problems.assertProblem(api.admin().get("/v1/agents/nobody-here/stats"), 404);
    try (StreamClient.Ws stream = connect(api, reader, "")) {
      JsonNode streaming = api.admin().get("/v1/agents/" + reader.id() + "/stats").json();
      assertThat(streaming.at("/stream/opened_at").asString()).isNotBlank();
    }
    Problems.assertProblem(api.as(reader).get("/v1/stats"), 403);
  }

  private static long delta(JsonNode before, JsonNode after, String count) {
    return after.at("/counts/" + count).asLong() - before.at("/counts/" + count).asLong();
  }
}
