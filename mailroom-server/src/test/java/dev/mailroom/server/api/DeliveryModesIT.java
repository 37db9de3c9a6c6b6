package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Batch mode, subscription filters, queue bounds, heartbeats, and a client that stops reading. */
class DeliveryModesIT {
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.delivery(
                  new DeliverySettings(
                      Duration.ofSeconds(30),
                      2,
                      Duration.ofSeconds(60),
                      0,
                      3,
                      Duration.ofMillis(300),
                      1000,
                      Duration.ofSeconds(5))));

  @Test
  void aBatchSubscriptionPushesFullBatchesThenWhatIsLeftWhenItsWindowCloses() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    Response r =
        api.as(reader)
            .post(
                "/v1/subscriptions",
                Json.write(
                    Json.object(
                        "pattern",
                        "batch.jobs",
                        "delivery_mode",
                        "batch",
                        "batch_size",
                        5,
                        "batch_window_seconds",
                        0.5,
                        "auto_ack",
                        true)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    try (var ws = connect(api, reader, "")) {
      List<String> sent = publish(api.as(publisher), "batch.jobs", 12);
      List<String> got = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      while (got.size() < 12) {
        StreamClient.Event e = ws.next();
        assertThat(e.type()).as("%s", e.json()).isEqualTo("batch");
        List<JsonNode> deliveries = Json.array(e.json(), "deliveries");
        sizes.add(deliveries.size());
        deliveries.forEach(d -> got.add(d.get("id").asString()));
      }
      assertThat(got).containsExactlyElementsOf(sent);
      assertThat(sizes.subList(0, 2)).containsExactly(5, 5);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    }
  }

  @Test
  void aSubscriptionFilterPassesOnlyMatchingMessages() {
    Agent boss = api.newAgent("boss");
    Agent intern = api.newAgent("intern");
    Agent reader = api.newAgent("reader");
    Response r =
        api.as(reader)
            .post(
                "/v1/subscriptions",
                Json.write(
                    Json.object(
                        "pattern",
                        "filtered.*",
                        "auto_ack",
                        true,
                        "filter",
                        Json.object(
                            "sender", boss.id(), "min_priority", "high", "tags", List.of("ops")))));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    try (var ws = connect(api, reader, "")) {
      send(intern, "filtered.a", "urgent", List.of("ops")); // wrong sender
      send(boss, "filtered.a", "normal", List.of("ops")); // too low
      send(boss, "filtered.a", "urgent", List.of("other")); // missing tag
      String wanted = send(boss, "filtered.b", "high", List.of("ops", "x"));
      assertThat(ws.messageIds(1)).containsExactly(wanted);
      ws.assertQuiet(Duration.ofMillis(400));
    }
  }

  @Test
  void aFullSubscriptionQueueDropsItsOldestUndeliveredMessages() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    Response r =
        api.as(reader)
            .post(
                "/v1/subscriptions",
                Json.write(Json.object("pattern", "bounded.q", "max_queue_size", 3)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    List<String> sent = publish(api.as(publisher), "bounded.q", 5);
    Response sub = api.as(reader).get("/v1/subscriptions/" + r.json().get("id").asString());
    assertThat(sub.json().get("queued").asLong()).isEqualTo(3);
    try (var ws = connect(api, reader, "")) {
      List<String> got = ws.messageIds(3);
      assertThat(got).containsExactlyElementsOf(sent.subList(2, 5));
      ws.ack(got);
    }
    // Dropped from the queue, not from the inbox.
    assertThat(api.as(reader).listIds("/v1/inbox", Query.NONE, 50)).containsAll(sent);
  }

  @Test
  void aStreamGetsHeartbeats() {
    Agent reader = api.newAgent("reader");
    try (var ws = StreamClient.webSocket(api.baseUri(), reader.token(), "")) {
      List<String> types = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (types.stream().filter("heartbeat"::equals).count() < 2
          && System.nanoTime() < deadline) {
        StreamClient.Event e = pollAny(ws);
        if (e != null) {
          types.add(e.type());
        }
      }
      assertThat(types).startsWith("connected");
      assertThat(types.stream().filter("heartbeat"::equals).count()).isEqualTo(2);
    }
  }

  @Test
  void aSubscriberThatStopsReadingDoesNotDelayTheOthers() {
    Agent publisher = api.newAgent("pub");
    Agent stuck = api.newAgent("stuck");
    Agent fine = api.newAgent("fine");
    Streams.subscribe(api.as(stuck), "bulk.data", true);
    Streams.subscribe(api.as(fine), "bulk.data", true);
    String big = "x".repeat(16 * 1024);
    try (var blocked = new StreamClient.Ws(api.baseUri(), stuck.token(), "", false);
        var ws = connect(api, fine, "")) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 400; i++) { // about 6.5 MB: far more than the socket buffers hold
        sent.add(Streams.publish(api.as(publisher), "bulk.data", big + i));
      }
      assertThat(ws.messageIds(400)).containsExactlyElementsOf(sent);
    }
  }

  private static StreamClient.Event pollAny(StreamClient client) {
    try {
      return client.events.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String send(Agent from, String topic, String priority, List<String> tags) {
    return Json.text(
        api.as(from)
            .sendOk(
                Json.object(
                    "mode",
                    "topic",
                    "target",
                    topic,
                    "content_type",
                    "text/plain",
                    "payload",
                    "p",
                    "priority",
                    priority,
                    "tags",
                    tags)),
        "id");
  }
}
