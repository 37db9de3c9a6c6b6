package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Shorthands for the subscription and topic routes in stream tests. */
final class Streams {
  private Streams() {}

  /** Subscribes and returns the subscription's JSON. */
  static JsonNode subscribe(ApiClient client, String pattern, boolean autoAck) {
    Response r =
        client.post(
            "/v1/subscriptions", Json.write(Json.object("pattern", pattern, "auto_ack", autoAck)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  /** Publishes a text message to a topic; returns its id. */
  static String publish(ApiClient client, String topic, String text) {
    return Json.text(
        client.sendOk(
            Json.object(
                "mode", "topic", "target", topic, "content_type", "text/plain", "payload", text)),
        "id");
  }

  /** Sends a text message straight to an agent; returns its id. */
  static String direct(ApiClient client, Agent to, String text) {
    return Json.text(
        client.sendOk(
            Json.object(
                "mode",
                "direct",
                "target",
                to.id(),
                "content_type",
                "text/plain",
                "payload",
                text)),
        "id");
  }

  /** Publishes {@code n} messages; returns their ids in send order. */
  static List<String> publish(ApiClient client, String topic, int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(publish(client, topic, "message " + i));
    }
    return ids;
  }

  /** Opens a WebSocket stream and waits for its {@code connected} event. */
  static StreamClient.Ws connect(MailroomApi api, Agent agent, String query) {
    StreamClient.Ws ws = StreamClient.webSocket(api.baseUri(), agent.token(), query);
    assertThat(ws.next().type()).isEqualTo("connected");
    return ws;
  }
}
