package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Sends over an open WebSocket: many in flight without waiting, each answered by its {@code ref} in
 * the order sent once durable, a refused one answered with its problem without holding up the
 * others, and each audited.
 */
class StreamSendsIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String send(String ref, Map<String, Object> message) {
    return Json.write(Map.of("type", "send", "ref", ref, "message", message));
  }

  private static Map<String, Object> direct(String target, String text) {
    return Map.of(
        "mode", "direct", "target", target, "content_type", "text/plain", "payload", text);
  }

  /** The next {@code sent} or {@code error} event, skipping pushes and heartbeats. */
  private static JsonNode answer(StreamClient.Ws ws) {
    while (true) {
      StreamClient.Event e = ws.next(WAIT);
      if (e.type().equals("sent") || e.type().equals("error")) {
        return e.json();
      }
    }
  }

  @Test
  void manySendsInFlightAreAnsweredInOrderAndStoredInOrder() {
    Agent sender = api.newAgent("ws-sender");
    Agent reader = api.newAgent("ws-reader");
    int count = 300;

    try (StreamClient.Ws ws = Streams.connect(api, sender, "")) {
      for (int i = 0; i < count; i++) {
        ws.sendRaw(send("r" + i, direct(reader.id(), "m" + i)));
      }
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        JsonNode a = answer(ws);
        assertThat(a.path("type").asString()).as("%s", a).isEqualTo("sent");
        assertThat(a.path("ref").asString()).isEqualTo("r" + i);
        assertThat(a.path("recipients").asInt()).isEqualTo(1);
        ids.add(a.path("id").asString());
      }
      assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    List<String> texts =
        api.as(reader).listAll("/v1/inbox", Query.of("order", "asc"), 1000).stream()
            .map(m -> Json.text(m, "payload"))
            .toList();
    assertThat(texts).hasSize(count).startsWith("m0", "m1", "m2").endsWith("m299");
  }

  @Test
  void aSendFramesTraceparentReachesTheMessagesMetadataAndABadOneIsRefused() {
    Agent sender = api.newAgent("ws-sender");
    Agent reader = api.newAgent("ws-reader");
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    try (StreamClient.Ws ws = Streams.connect(api, sender, "")) {
      ws.sendRaw(
          Json.write(
              Map.of(
                  "type",
                  "send",
                  "ref",
                  "traced",
                  "traceparent",
                  traceparent,
                  "message",
                  direct(reader.id(), "traced"))));
      JsonNode sent = answer(ws);
      assertThat(sent.path("type").asString()).as("%s", sent).isEqualTo("sent");
      ws.sendRaw(
          Json.write(
              Map.of(
                  "type",
                  "send",
                  "ref",
                  "bad",
                  "traceparent",
                  "00-not-a-trace",
                  "message",
                  direct(reader.id(), "untraced"))));
      JsonNode refused = answer(ws);
      assertThat(refused.path("type").asString()).as("%s", refused).isEqualTo("error");
      assertThat(refused.toString()).contains("traceparent");

      JsonNode stored = api.as(reader).get("/v1/messages/" + sent.path("id").asString()).json();
      assertThat(stored.at("/metadata/traceparent").asString()).isEqualTo(traceparent);
    }
    assertThat(api.as(reader).listAll("/v1/inbox", Query.NONE, 100))
        .extracting(m -> Json.text(m, "payload"))
        .containsExactly("traced");
  }

  @Test
  void aRefusedSendIsAnsweredWithItsProblemAndTheOthersGoThrough() {
    Agent sender = api.newAgent("ws-sender");
    Agent reader = api.newAgent("ws-reader");
    api.granted("agent:" + sender.id(), "deny", "ws-secret.**", "write");

    try (StreamClient.Ws ws = Streams.connect(api, sender, "")) {
      ws.sendRaw(send("ok-1", direct(reader.id(), "one")));
      ws.sendRaw(send("denied", direct("ws-secret.box", "no")));
      ws.sendRaw(send("ok-2", direct(reader.id(), "two")));
      ws.sendRaw(send("invalid", Map.of("mode", "direct", "target", reader.id(), "payload", "x")));
      ws.sendRaw(Json.write(Map.of("type", "send", "message", direct(reader.id(), "no ref"))));
      ws.sendRaw(Json.write(Map.of("type", "send", "ref", "no-message")));

      List<JsonNode> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(answer(ws));
      }
      // Malformed frames are answered as they arrive, stored sends once durable.
      JsonNode invalid = byRef(answers, "invalid");
      assertThat(invalid.path("status").asInt()).isEqualTo(400);
      assertThat(invalid.path("errors").findValuesAsString("field"))
          .contains("message.content_type");
      JsonNode noRef = answers.stream().filter(a -> !a.has("ref")).findFirst().orElseThrow();
      assertThat(noRef.path("status").asInt()).isEqualTo(400);
      assertThat(noRef.path("errors").findValuesAsString("field")).containsExactly("ref");
      assertThat(byRef(answers, "no-message").path("errors").findValuesAsString("field"))
          .containsExactly("message");
      JsonNode denied = byRef(answers, "denied");
      assertThat(denied.path("type").asString()).isEqualTo("error");
      assertThat(denied.path("status").asInt()).isEqualTo(403);
      assertThat(denied.path("request_id").asString()).isNotBlank();
      assertThat(byRef(answers, "ok-1").path("type").asString()).isEqualTo("sent");
      assertThat(byRef(answers, "ok-2").path("type").asString()).isEqualTo("sent");
    }

    List<String> texts =
        api.as(reader).listAll("/v1/inbox", Query.of("order", "asc"), 100).stream()
            .map(m -> Json.text(m, "payload"))
            .toList();
    assertThat(texts).containsExactly("one", "two");
  }

  @Test
  void eachSendIsAudited() {
    Agent sender = api.newAgent("ws-sender");
    Agent reader = api.newAgent("ws-reader");
    String id;
    try (StreamClient.Ws ws = Streams.connect(api, sender, "")) {
      ws.sendRaw(send("a", direct(reader.id(), "audited")));
      id = answer(ws).path("id").asString();
    }
    assertThat(id).isNotBlank();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Response r =
                  api.admin().get("/v1/audit", Query.of("actor", sender.id()).and("limit", 100));
              assertThat(r.status()).as("%s", r).isEqualTo(200);
              assertThat(Json.array(r.json(), "records"))
                  .anySatisfy(
                      rec -> {
                        assertThat(Json.text(rec, "action"))
                            .isEqualTo("POST /v1/messages (stream)");
                        assertThat(Json.text(rec, "resource")).isEqualTo(reader.id());
                        assertThat(rec.path("status").asInt()).isEqualTo(201);
                      });
            });
  }

  private static JsonNode byRef(List<JsonNode> answers, String ref) {
    return answers.stream()
        .filter(a -> ref.equals(a.path("ref").asString(null)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no answer for " + ref + " in " + answers));
  }
}
