package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Streams.connect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.JsonLimits;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The configured JSON limits: a payload or metadata at the limit is stored and read back whole, one
 * level (or one digit) more is a 400 naming the field in plain words; text must be valid Unicode;
 * and the stream refuses bad frames in plain words too. Nothing refused is stored.
 */
class JsonLimitsIT {
  private static final int DEPTH = 20;
  private static final int NUMBER_LENGTH = 40;

  @RegisterExtension
  static final MailroomApi api = new MailroomApi(b -> b.json(new JsonLimits(DEPTH, NUMBER_LENGTH)));

  private static Agent alice;
  private static Agent bob;

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
    bob = api.newAgent("bob");
  }

  /** An array nested {@code levels} deep, {@code [[...[1]...]]}. */
  static String nested(int levels) {
    return "[".repeat(levels) + "1" + "]".repeat(levels);
  }

  private static String send(String payloadJson, String metadataJson) {
    return "{\"mode\":\"direct\",\"target\":\""
        + bob.id()
        + "\",\"content_type\":\"application/json\",\"payload\":"
        + payloadJson
        + ",\"metadata\":"
        + metadataJson
        + "}";
  }

  private static void assertPlainWords(Response r) {
    assertThat(r.body())
        .as("%s", r)
        .doesNotContain("StreamReadConstraints", "`", "jackson", "Jackson", "java.");
  }

  @Test
  void aPayloadNestedToTheLimitIsStoredAndReadBackWhole() {
    Response sent = api.as(alice).post("/v1/messages", send(nested(DEPTH), "{}"));
    assertThat(sent.status()).as("%s", sent).isEqualTo(201);
    JsonNode read = api.as(bob).message(Json.text(sent.json(), "id"));
    assertThat(JsonLimits.depth(read.get("payload"))).isEqualTo(DEPTH);
  }

  @Test
  void aPayloadOneLevelDeeperIsRefusedNamingThePayloadInPlainWords() {
    for (int levels : List.of(DEPTH + 1, DEPTH + 2, 10 * DEPTH)) {
      Response r = api.as(alice).post("/v1/messages", send(nested(levels), "{}"));
      JsonNode p = assertInvalid(r, "payload");
      assertThat(Json.text(p, "detail"))
          .isEqualTo("payload: is nested deeper than " + DEPTH + " levels");
      assertPlainWords(r);
    }
  }

  @Test
  void aPayloadGivenAsJsonTextHasTheSameLimit() {
    String atLimit = Json.write(nested(DEPTH));
    Response ok = api.as(alice).post("/v1/messages", send(atLimit, "{}"));
    assertThat(ok.status()).as("%s", ok).isEqualTo(201);
    for (int levels : List.of(DEPTH + 1, DEPTH + 2, 10 * DEPTH)) {
      Response r = api.as(alice).post("/v1/messages", send(Json.write(nested(levels)), "{}"));
      JsonNode p = assertInvalid(r, "payload");
      assertThat(Json.text(p, "detail"))
          .isEqualTo("payload: is nested deeper than " + DEPTH + " levels");
    }
  }

  @Test
  void metadataHasTheSameLimitAndIsNamed() {
    String atLimit = "{\"a\":" + nested(DEPTH - 1) + "}";
    Response ok = api.as(alice).post("/v1/messages", send("1", atLimit));
    assertThat(ok.status()).as("%s", ok).isEqualTo(201);
    Response r = api.as(alice).post("/v1/messages", send("1", "{\"a\":" + nested(DEPTH) + "}"));
    JsonNode p = assertInvalid(r, "metadata");
    assertThat(Json.text(p, "detail"))
        .isEqualTo("metadata: is nested deeper than " + DEPTH + " levels");
  }

  @Test
  void aNumberAtTheLengthLimitIsKeptExactlyAndOneDigitMoreIsRefused() {
    String longest = "9".repeat(NUMBER_LENGTH);
    Response ok = api.as(alice).post("/v1/messages", send("[" + longest + "]", "{}"));
    assertThat(ok.status()).as("%s", ok).isEqualTo(201);
    Response fetched = api.as(bob).get("/v1/messages/" + Json.text(ok.json(), "id"));
    assertThat(fetched.body()).contains("[" + longest + "]");

    Response r = api.as(alice).post("/v1/messages", send("[" + longest + "9]", "{}"));
    JsonNode p = assertInvalid(r, "payload");
    assertThat(Json.text(p, "detail"))
        .isEqualTo("payload: has a number of more than " + NUMBER_LENGTH + " digits");
    assertPlainWords(r);
  }

  @Test
  void aBodyThatIsNotAnObjectAndTooDeepIsRefusedAsTheBody() {
    Response r = api.as(alice).post("/v1/messages", nested(DEPTH + 5));
    JsonNode p = assertInvalid(r, "body");
    assertThat(Json.text(p, "detail")).isEqualTo("body: is nested deeper than 21 levels");
  }

  @Test
  void trailingContentIsRefusedInPlainWords() {
    Response r = api.as(alice).post("/v1/messages", send("1", "{}") + "{}");
    JsonNode p = assertInvalid(r, "body");
    assertThat(Json.text(p, "detail"))
        .startsWith("body: is not valid JSON: has more content after the JSON value (line 1,");
    assertPlainWords(r);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "text payload",
        "json payload",
        "json text payload",
        "tags",
        "metadata value",
        "metadata key",
        "thread_id"
      })
  void aLoneSurrogateInAnyStoredStringIsRefusedNamingTheField(String where) {
    String lone = "\"a\\ud800b\"";
    String body =
        switch (where) {
          case "text payload" -> textSend(lone, "");
          case "json payload" -> send("{\"k\":" + lone + "}", "{}");
          case "json text payload" -> send(Json.write("{\"k\":\"a\\udc00b\"}"), "{}");
          case "tags" -> textSend("\"hi\"", ",\"tags\":[\"ok\"," + lone + "]");
          case "metadata value" -> send("1", "{\"k\":" + lone + "}");
          case "metadata key" -> send("1", "{" + lone + ":1}");
          case "thread_id" -> textSend("\"hi\"", ",\"thread_id\":" + lone);
          default -> throw new IllegalArgumentException(where);
        };
    String field =
        switch (where) {
          case "text payload", "json payload", "json text payload" -> "payload";
          case "metadata value", "metadata key" -> "metadata";
          default -> where;
        };
    Response r = api.as(alice).post("/v1/messages", body);
    JsonNode p = assertInvalid(r, field);
    // The parser itself refuses half a pair in a property name, in its own words.
    assertThat(Json.text(p, "detail")).contains(" surrogate");
    assertThat(api.as(bob).listAll("/v1/inbox", Query.NONE, 1000))
        .noneSatisfy(m -> assertThat(Json.text(m, "payload")).contains("a?b"));
  }

  @Test
  void aValidSurrogatePairIsKept() {
    Response ok = api.as(alice).post("/v1/messages", textSend("\"a\\ud83d\\ude00b\"", ""));
    assertThat(ok.status()).as("%s", ok).isEqualTo(201);
    JsonNode read = api.as(bob).message(Json.text(ok.json(), "id"));
    assertThat(read.get("payload").asString()).isEqualTo("a\uD83D\uDE00b");
  }

  @Test
  void aLoneSurrogateInATopicOrRoleDescriptionIsRefused() {
    Response topic =
        api.admin().post("/v1/topics", "{\"name\":\"limits.t\",\"description\":\"a\\ud800\"}");
    assertInvalid(topic, "description");
    Response role =
        api.admin().post("/v1/roles", "{\"name\":\"limits-role\",\"description\":\"\\udfff\"}");
    assertInvalid(role, "description");
  }

  @Test
  void theStreamAnswersBadFramesInPlainWordsAndStaysOpen() {
    Agent reader = api.newAgent("reader");
    try (StreamClient.Ws ws = connect(api, reader, "")) {
      ws.sendRaw(nested(200));
      JsonNode deep = ws.next().json();
      assertThat(deep.get("type").asString()).isEqualTo("error");
      assertThat(deep.get("detail").asString())
          .isEqualTo("could not read the frame: it is nested deeper than 21 levels");

      ws.sendRaw("{\"type\":\"ack\",\"id\":\"a\\ud800b\"}");
      JsonNode lone = ws.next().json();
      assertThat(lone.get("detail").asString()).contains("lone surrogate");

      ws.sendRaw("{\"type\":\"ack\",\"id\":1} x");
      JsonNode trailing = ws.next().json();
      assertThat(trailing.get("detail").asString()).doesNotContain("`", "Jackson", "java.");

      String id = Json.text(api.as(alice).sendOk(directText(reader)), "id");
      JsonNode pushed = ws.next().json();
      assertThat(pushed.get("id").asString()).isEqualTo(id);
    }
  }

  @Test
  void aPayloadAtTheLimitReachesTheDeepestAnswerWithinTheEnvelope() {
    Agent reader = api.newAgent("reader");
    Response sub =
        api.as(reader)
            .post(
                "/v1/subscriptions",
                Json.write(
                    Json.object(
                        "pattern",
                        "limits.deep",
                        "delivery_mode",
                        "batch",
                        "batch_size",
                        1,
                        "batch_window_seconds",
                        0.5)));
    assertThat(sub.status()).as("%s", sub).isEqualTo(201);
    try (StreamClient.Ws ws = connect(api, reader, "")) {
      String topicSend =
          "{\"mode\":\"topic\",\"target\":\"limits.deep\",\"content_type\":\"application/json\","
              + "\"payload\":"
              + nested(DEPTH)
              + "}";
      Response sent = api.as(alice).post("/v1/messages", topicSend);
      assertThat(sent.status()).as("%s", sent).isEqualTo(201);
      JsonNode batch = ws.next().json();
      assertThat(batch.get("type").asString()).isEqualTo("batch");
      assertThat(JsonLimits.depth(batch)).isEqualTo(DEPTH + JsonLimits.ENVELOPE_DEPTH);
    }
    JsonNode page = api.as(reader).get("/v1/mailboxes/limits.deep/messages").json();
    assertThat(JsonLimits.depth(page)).isEqualTo(DEPTH + JsonLimits.ENVELOPE_DEPTH - 1);
  }

  private static String textSend(String payloadJson, String more) {
    return "{\"mode\":\"direct\",\"target\":\""
        + bob.id()
        + "\",\"content_type\":\"text/plain\",\"payload\":"
        + payloadJson
        + more
        + "}";
  }

  private static Map<String, @Nullable Object> directText(Agent to) {
    return Json.object(
        "mode", "direct", "target", to.id(), "content_type", "text/plain", "payload", "hi");
  }
}
