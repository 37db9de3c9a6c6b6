package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Subscriptions and undelivered queues survive a server restart. */
class RestartIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  @Test
  void subscriptionsAndTheirUndeliveredQueuesAreIntactAfterARestart() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    Response live =
        api.as(reader)
            .post(
                "/v1/subscriptions",
                Json.write(Json.object("pattern", "restart.**", "max_queue_size", 500)));
    Response polled =
        api.as(reader)
            .post(
                "/v1/subscriptions",
                Json.write(Json.object("pattern", "polled.news", "delivery_mode", "polling")));
    assertThat(live.status()).as("%s", live).isEqualTo(201);
    assertThat(polled.status()).as("%s", polled).isEqualTo(201);
    List<String> queued = publish(api.as(publisher), "restart.jobs", 20);
    List<String> news = publish(api.as(publisher), "polled.news", 3);

    api.restart();

    Response list = api.as(reader).get("/v1/subscriptions");
    assertThat(list.status()).as("%s", list).isEqualTo(200);
    Map<String, JsonNode> byPattern =
        Json.array(list.json(), "subscriptions").stream()
            .collect(Collectors.toMap(s -> s.get("pattern").asString(), s -> s));
    assertThat(byPattern).containsOnlyKeys("restart.**", "polled.news");
    assertThat(byPattern.get("restart.**").get("queued").asLong()).isEqualTo(20);
    assertThat(byPattern.get("restart.**").get("max_queue_size").asInt()).isEqualTo(500);
    assertThat(byPattern.get("polled.news").get("delivery_mode").asString()).isEqualTo("polling");

    try (var ws = connect(api, reader, "")) {
      List<String> got = ws.messageIds(20);
      assertThat(got).containsExactlyElementsOf(queued);
      ws.ack(got);
      // A subscription made before the restart still matches new traffic.
      String after = publish(api.as(publisher), "restart.more", "after");
      assertThat(ws.messageIds(1)).containsExactly(after);
      ws.ack(List.of(after));
    }
    // Polled messages are in the inbox, not pushed.
    List<String> inbox = api.as(reader).listIds("/v1/inbox", Query.NONE, 100);
    assertThat(inbox).containsAll(news);
  }
}
