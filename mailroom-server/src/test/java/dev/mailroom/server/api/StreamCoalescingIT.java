package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/stream?coalesce=true}: the deliveries a stream pushes at once go out together in
 * one {@code deliveries} event, in order, each acknowledged on its own; a lone one is still a
 * {@code message} event.
 */
class StreamCoalescingIT {
  /** Acks have 30 s before any redelivery, so none happens by accident during a test. */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofSeconds(30), 2, 0)));

  /** What one pushed event delivers, in order: one id, or a {@code deliveries} event's. */
  private static List<JsonNode> deliveries(StreamClient.Event e) {
    List<JsonNode> out = new ArrayList<>();
    switch (e.type()) {
      case "message" -> out.add(e.json());
      case "deliveries" -> e.json().get("deliveries").forEach(out::add);
      default -> throw new AssertionError("unexpected event " + e.json());
    }
    return out;
  }

  @Test
  void aBacklogComesInFewEventsInOrderAndALiveMessageOnItsOwn() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    subscribe(api.as(reader), "coalesce.ws", false);
    List<String> backlog = publish(api.as(publisher), "coalesce.ws", 100);
    try (var ws = connect(api, reader, "?coalesce=true")) {
      List<String> got = new ArrayList<>();
      int events = 0;
      int largest = 0;
      while (got.size() < backlog.size()) {
        List<JsonNode> pushed = deliveries(ws.next());
        events++;
        largest = Math.max(largest, pushed.size());
        for (JsonNode d : pushed) {
          assertThat(d.get("attempt").asInt()).isEqualTo(1);
          assertThat(d.get("subscription_id").asString()).startsWith("sub_");
          assertThat(d.get("message").get("id").asString()).isEqualTo(d.get("id").asString());
          got.add(d.get("id").asString());
        }
      }
      assertThat(got).containsExactlyElementsOf(backlog);
      assertThat(largest).as("deliveries in one event").isGreaterThan(1);
      assertThat(events).isLessThan(backlog.size());
      ws.ack(got);

      String live = publish(api.as(publisher), "coalesce.ws", "live");
      StreamClient.Event alone = ws.next();
      assertThat(alone.type()).isEqualTo("message");
      assertThat(alone.json().get("id").asString()).isEqualTo(live);
      ws.ack(List.of(live));
      ws.assertQuiet(Duration.ofMillis(500)); // every delivery of every event was acknowledged
    }
  }

  @Test
  void overSseTheEventIdIsTheLastDeliveryOfTheEvent() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    subscribe(api.as(reader), "coalesce.sse", false);
    List<String> backlog = publish(api.as(publisher), "coalesce.sse", 20);
    try (var sse =
        StreamClient.sse(api.as(reader), api.baseUri(), reader.token(), "?coalesce=true", null)) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.next().type()).isEqualTo("connected");
      List<String> got = new ArrayList<>();
      while (got.size() < backlog.size()) {
        StreamClient.Event e = sse.next();
        List<String> ids = deliveries(e).stream().map(d -> d.get("id").asString()).toList();
        assertThat(e.id()).isEqualTo(ids.getLast());
        got.addAll(ids);
      }
      assertThat(got).containsExactlyElementsOf(backlog);
      sse.ack(got);
      sse.assertQuiet(Duration.ofMillis(500));
    }
  }

  @Test
  void aCoalesceValueThatIsNotABooleanIsRefusedNamingIt() {
    Agent reader = api.newAgent("reader");
    Response bad = api.as(reader).get("/v1/stream?coalesce=often");
    assertThat(bad.status()).as("%s", bad).isEqualTo(400);
    assertThat(bad.body()).contains("coalesce");
  }
}
