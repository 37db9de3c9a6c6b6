package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Unacknowledged deliveries are pushed again with growing delays, then dead-lettered. */
class RedeliveryIT {
  static final Duration BASE = Duration.ofMillis(300);

  /** Base 300 ms, factor 2, no jitter, 3 attempts: pushes at about 0, 300 and 900 ms. */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(BASE, 2, 0)));

  @Test
  void aDeliveryNeverAckedIsRetriedWithGrowingDelaysThenDeadLetteredAndReplayable() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    subscribe(api.as(reader), "retry.jobs", false);
    try (var ws = connect(api, reader, "")) {
      String id = publish(api.as(publisher), "retry.jobs", "do it");
      long[] at = new long[3];
      for (int attempt = 1; attempt <= 3; attempt++) {
        StreamClient.Event e = ws.nextMessage();
        at[attempt - 1] = System.nanoTime();
        assertThat(e.json().get("id").asString()).isEqualTo(id);
        assertThat(e.json().get("attempt").asInt()).isEqualTo(attempt);
      }
      Duration first = Duration.ofNanos(at[1] - at[0]);
      Duration second = Duration.ofNanos(at[2] - at[1]);
      // Lower bounds only: the server waits at least the backoff, each time twice as long.
      assertThat(first).isGreaterThanOrEqualTo(BASE.minusMillis(50));
      assertThat(second).isGreaterThanOrEqualTo(BASE.multipliedBy(2).minusMillis(50));
      assertThat(second).isGreaterThan(first);

      JsonNode dead = awaitDeadLetter(reader, id);
      assertThat(dead.get("attempts").asInt()).isEqualTo(3);
      assertThat(dead.get("reason").asString()).contains("3 attempts");
      assertThat(dead.get("subscription_id").asString()).startsWith("sub_");
      assertThat(dead.at("/message/payload").asString()).isEqualTo("do it");
      ws.assertQuiet(Duration.ofMillis(700)); // no fourth push

      Response one = api.as(reader).get("/v1/dlq/" + id);
      assertThat(one.status()).as("%s", one).isEqualTo(200);
      assertThat(one.json().get("id").asString()).isEqualTo(id);

      Response replay = api.as(reader).post("/v1/dlq/" + id + "/replay", null);
      assertThat(replay.status()).as("%s", replay).isEqualTo(204);
      StreamClient.Event again = ws.nextMessage();
      assertThat(again.json().get("id").asString()).isEqualTo(id);
      assertThat(again.json().get("attempt").asInt()).isEqualTo(1);
      ws.ack(List.of(id));
      ws.assertQuiet(Duration.ofMillis(1000)); // acknowledged: no more pushes
      assertThat(deadLetters(reader)).isEmpty();
    }
  }

  @Test
  void deadLettersCanBeListedByTheirOwnerOrAnAdminAndPurged() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    Agent other = api.newAgent("other");
    subscribe(api.as(reader), "retry.purge", false);
    List<String> ids;
    try (var ws = connect(api, reader, "")) {
      ids = publish(api.as(publisher), "retry.purge", 3);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> deadLetters(reader).size() == 3);
    }
    assertThat(deadLetters(reader).stream().map(d -> d.get("id").asString()).toList())
        .containsExactlyElementsOf(ids);
    assertThat(deadLetters(other)).isEmpty();
    Response forbidden = api.as(other).get("/v1/dlq?agent=" + reader.id());
    assertThat(forbidden.status()).as("%s", forbidden).isEqualTo(403);
    Response notTheirs = api.as(other).get("/v1/dlq/" + ids.get(0));
    assertThat(notTheirs.status()).as("%s", notTheirs).isEqualTo(404);

    Response byAdmin = api.admin().get("/v1/dlq?agent=" + reader.id() + "&limit=2");
    assertThat(byAdmin.status()).as("%s", byAdmin).isEqualTo(200);
    assertThat(Json.array(byAdmin.json(), "dead_letters")).hasSize(2);
    assertThat(byAdmin.json().get("next_after_id").asString()).isEqualTo(ids.get(1));

    Response purgeOne = api.as(reader).delete("/v1/dlq/" + ids.get(0));
    assertThat(purgeOne.status()).as("%s", purgeOne).isEqualTo(204);
    Response purgeAll = api.as(reader).delete("/v1/dlq");
    assertThat(purgeAll.status()).as("%s", purgeAll).isEqualTo(200);
    assertThat(purgeAll.json().get("purged").asInt()).isEqualTo(2);
    assertThat(deadLetters(reader)).isEmpty();
    // The messages themselves stay in the inbox.
    assertThat(api.as(reader).listIds("/v1/inbox", Query.NONE, 50)).containsExactlyElementsOf(ids);
    Response bad = api.as(reader).get("/v1/dlq?limit=0");
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void everyonesDeadLettersPageWithoutSplittingOrRepeatingAMessagesLetters() {
    Agent sender = api.newAgent("sender");
    List<Agent> readers = List.of(api.newAgent("r"), api.newAgent("r"), api.newAgent("r"));
    List<StreamClient.Ws> streams = new java.util.ArrayList<>();
    List<String> broadcasts = new java.util.ArrayList<>();
    try {
      for (Agent r : readers) {
        streams.add(connect(api, r, "")); // inbox pushes wait for acks that never come
      }
      for (int i = 0; i < 2; i++) {
        broadcasts.add(
            Json.text(
                api.as(sender)
                    .sendOk(
                        Json.object(
                            "mode", "broadcast", "content_type", "text/plain", "payload", "b" + i)),
                "id"));
      }
      for (Agent r : readers) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters(r).size() == 2);
      }
    } finally {
      streams.forEach(StreamClient::close);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    String after = null;
    for (int pages = 0; pages < 100; pages++) {
      Response r = api.admin().get("/v1/dlq?limit=2" + (after == null ? "" : "&after_id=" + after));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      for (JsonNode d : Json.array(r.json(), "dead_letters")) {
        String key = d.get("agent_id").asString() + "/" + d.get("id").asString();
        assertThat(seen.add(key)).as("listed twice: %s", key).isTrue();
      }
      after = Json.text(r.json(), "next_after_id");
      if (after == null) {
        break;
      }
    }
    for (Agent r : readers) {
      for (String id : broadcasts) {
        assertThat(seen).contains(r.id() + "/" + id);
      }
    }
  }

  private static JsonNode awaitDeadLetter(Agent agent, String id) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> deadLetters(agent).stream().anyMatch(d -> d.get("id").asString().equals(id)));
    return deadLetters(agent).stream()
        .filter(d -> d.get("id").asString().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static List<JsonNode> deadLetters(Agent agent) {
    Response r = api.as(agent).get("/v1/dlq");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return Json.array(r.json(), "dead_letters");
  }
}
