package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Topic publishes reach exactly the matching subscribers, over live WebSocket streams. */
class TopicDeliveryIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  @Test
  void oneStarMatchesOneSegmentAndTwoStarsMatchEverythingBelow() {
    Agent publisher = api.newAgent("pub");
    Agent models = api.newAgent("models");
    Agent everything = api.newAgent("all");
    subscribe(api.as(models), "ai.models.*", true);
    subscribe(api.as(everything), "ai.**", true);
    try (var one = connect(api, models, "");
        var all = connect(api, everything, "")) {
      JsonNode gpt4 =
          api.as(publisher)
              .sendOk(
                  Json.object(
                      "mode",
                      "topic",
                      "target",
                      "ai.models.gpt4",
                      "content_type",
                      "text/plain",
                      "payload",
                      "gpt4"));
      JsonNode turbo =
          api.as(publisher)
              .sendOk(
                  Json.object(
                      "mode",
                      "topic",
                      "target",
                      "ai.models.gpt4.turbo",
                      "content_type",
                      "text/plain",
                      "payload",
                      "turbo"));
      assertThat(gpt4.get("recipients").asInt()).isEqualTo(2);
      assertThat(turbo.get("recipients").asInt()).isEqualTo(1);

      StreamClient.Event pushed = one.nextMessage();
      assertThat(pushed.json().get("id").asString()).isEqualTo(Json.text(gpt4, "id"));
      assertThat(pushed.json().at("/message/target").asString()).isEqualTo("ai.models.gpt4");
      assertThat(pushed.json().at("/message/payload").asString()).isEqualTo("gpt4");
      assertThat(pushed.json().get("attempt").asInt()).isEqualTo(1);
      assertThat(all.messageIds(2)).containsExactly(Json.text(gpt4, "id"), Json.text(turbo, "id"));
      one.assertQuiet(Duration.ofMillis(500));
      all.assertQuiet(Duration.ofMillis(200));
    }
  }

  @Test
  void threeSubscribersOfOneTopicEachReceiveEveryMessageOnce() {
    Agent publisher = api.newAgent("pub");
    List<Agent> subscribers = List.of(api.newAgent("s"), api.newAgent("s"), api.newAgent("s"));
    for (Agent s : subscribers) {
      Response r = api.as(s).post("/v1/topics/team.review/join", "{\"auto_ack\":true}");
      assertThat(r.status()).as("%s", r).isEqualTo(201);
    }
    List<StreamClient.Ws> streams = new ArrayList<>();
    try {
      for (Agent s : subscribers) {
        streams.add(connect(api, s, ""));
      }
      List<String> sent = publish(api.as(publisher), "team.review", 50);
      for (StreamClient.Ws ws : streams) {
        assertThat(ws.messageIds(50)).containsExactlyElementsOf(sent);
      }
      for (StreamClient.Ws ws : streams) {
        ws.assertQuiet(Duration.ofMillis(300));
      }
    } finally {
      streams.forEach(StreamClient::close);
    }
  }

  @Test
  void aSubscriberWhoseConnectionDiesMidStreamDoesNotHoldUpTheOthers() throws Exception {
    Agent publisher = api.newAgent("pub");
    Agent victim = api.newAgent("victim");
    List<Agent> others = List.of(api.newAgent("ok"), api.newAgent("ok"));
    subscribe(api.as(victim), "load.events", false);
    for (Agent a : others) {
      subscribe(api.as(a), "load.events", true);
    }
    var dying = connect(api, victim, "");
    List<StreamClient.Ws> healthy = new ArrayList<>();
    try {
      for (Agent a : others) {
        healthy.add(connect(api, a, ""));
      }
      CompletableFuture<List<String>> sending =
          CompletableFuture.supplyAsync(() -> publish(api.as(publisher), "load.events", 300));
      dying.messageIds(20);
      dying.abort(); // mid-stream, no close handshake, 20 pushed and never acknowledged
      List<String> sent = sending.get();
      for (StreamClient.Ws ws : healthy) {
        assertThat(ws.messageIds(300)).containsExactlyElementsOf(sent);
      }
      // The victim comes back and gets everything it never acknowledged, in order (at least
      // once: a redelivery may repeat one if acknowledging here is slower than its deadline).
      try (var back = connect(api, victim, "")) {
        java.util.LinkedHashSet<String> again = new java.util.LinkedHashSet<>();
        while (again.size() < sent.size()) {
          String id = back.nextMessage().json().get("id").asString();
          again.add(id);
          back.ack(List.of(id));
        }
        assertThat(again).containsExactlyElementsOf(sent);
      }
    } finally {
      healthy.forEach(StreamClient::close);
    }
  }
}
