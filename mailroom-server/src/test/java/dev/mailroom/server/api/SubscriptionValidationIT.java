package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/subscriptions}: every bad request gets a 400 naming what is wrong and creates nothing
 * ({@code refused} never manages a single subscription, and is checked to have none after each
 * test); a good subscription round-trips; another agent's subscription cannot be seen or removed.
 */
class SubscriptionValidationIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static Agent refused;

  @BeforeAll
  static void agents() {
    refused = api.newAgent("refused");
  }

  @AfterEach
  void nothingWasCreated() {
    assertThat(subscriptions(refused)).isEmpty();
  }

  static Stream<String> invalidPatterns() {
    return Stream.of(
        "gpt*",
        "ai.gpt*",
        "ai.*gpt",
        "a..b",
        ".a",
        "a.",
        "",
        "***",
        "ai.***",
        "bad name",
        "a/b",
        IntStream.rangeClosed(1, 17).mapToObj(i -> "s" + i).collect(Collectors.joining(".")),
        nameOfLength(257));
  }

  @ParameterizedTest(name = "pattern \"{0}\"")
  @MethodSource("invalidPatterns")
  void anInvalidPatternIsRefusedAndNamed(String pattern) {
    Response r = api.as(refused).post("/v1/subscriptions", body(object("pattern", pattern)));

    JsonNode problem = assertInvalid(r, "pattern");
    // Long patterns may be abbreviated in the answer; their beginning must still be recognisable.
    String shown = pattern.length() <= 64 ? pattern : pattern.substring(0, 64);
    assertThat(text(problem, "detail")).as("%s", r).contains(shown);
    assertThat(Json.array(problem, "errors"))
        .as("%s", r)
        .anySatisfy(
            e -> {
              assertThat(text(e, "field")).isEqualTo("pattern");
              assertThat(text(e, "message")).contains(shown);
            });
  }

  @ParameterizedTest(name = "pattern \"{0}\"")
  @ValueSource(strings = {"*", "**", "ai.*", "ai.**", "a.**.z", "*.models.*", "ai_x.models-2"})
  void aValidPatternIsAccepted(String pattern) {
    Agent agent = api.newAgent("valid");

    Response r = api.as(agent).post("/v1/subscriptions", body(object("pattern", pattern)));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(text(r.json(), "pattern")).isEqualTo(pattern);
  }

  @Test
  void theLongestValidPatternsAreAccepted() {
    Agent agent = api.newAgent("valid");
    String sixteen =
        IntStream.rangeClosed(1, 16).mapToObj(i -> "s" + i).collect(Collectors.joining("."));

    for (String pattern : List.of(sixteen, nameOfLength(256))) {
      Response r = api.as(agent).post("/v1/subscriptions", body(object("pattern", pattern)));

      assertThat(r.status()).as("%s", r).isEqualTo(201);
      assertThat(text(r.json(), "pattern")).isEqualTo(pattern);
    }
    assertThat(subscriptions(agent)).hasSize(2);
  }

  @Test
  void aMissingPatternIsNamed() {
    assertInvalid(
        api.as(refused).post("/v1/subscriptions", body(object("delivery_mode", "polling"))),
        "pattern");
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        bad(
            "unknown delivery mode",
            b -> b.put("delivery_mode", "carrier-pigeon"),
            "delivery_mode"),
        bad("delivery mode in capitals", b -> b.put("delivery_mode", "POLLING"), "delivery_mode"),
        bad("delivery mode not a string", b -> b.put("delivery_mode", 1), "delivery_mode"),
        bad("max_queue_size zero", b -> b.put("max_queue_size", 0), "max_queue_size"),
        bad("max_queue_size negative", b -> b.put("max_queue_size", -5), "max_queue_size"),
        bad("max_queue_size too large", b -> b.put("max_queue_size", 1_000_001), "max_queue_size"),
        bad("max_queue_size huge", b -> b.put("max_queue_size", Long.MAX_VALUE), "max_queue_size"),
        bad("max_queue_size a fraction", b -> b.put("max_queue_size", 1.5), "max_queue_size"),
        bad("max_queue_size a string", b -> b.put("max_queue_size", "100"), "max_queue_size"),
        bad("batch_size zero", b -> b.put("batch_size", 0), "batch_size"),
        bad("batch_size too large", b -> b.put("batch_size", 1001), "batch_size"),
        bad("batch_size a string", b -> b.put("batch_size", "ten"), "batch_size"),
        bad(
            "batch_window_seconds zero",
            b -> b.put("batch_window_seconds", 0),
            "batch_window_seconds"),
        bad(
            "batch_window_seconds negative",
            b -> b.put("batch_window_seconds", -1),
            "batch_window_seconds"),
        bad(
            "batch_window_seconds over an hour",
            b -> b.put("batch_window_seconds", 3601),
            "batch_window_seconds"),
        bad(
            "batch_window_seconds a string",
            b -> b.put("batch_window_seconds", "5s"),
            "batch_window_seconds"),
        bad("auto_ack a string", b -> b.put("auto_ack", "yes"), "auto_ack"),
        bad("auto_ack a number", b -> b.put("auto_ack", 1), "auto_ack"),
        bad("an unknown field", b -> b.put("colour", "blue"), "colour"),
        bad("pattern not a string", b -> b.put("pattern", List.of("ai")), "pattern"),
        bad("filter a string", b -> b.put("filter", "sender=bob"), "filter"),
        bad("filter a list", b -> b.put("filter", List.of("bob")), "filter"),
        bad(
            "an unknown filter field",
            b -> b.put("filter", Map.of("colour", "blue")),
            "filter.colour"),
        bad(
            "a time filter",
            b -> b.put("filter", Map.of("since", "2024-01-01T00:00:00Z")),
            "filter.since"),
        bad(
            "filter.min_priority unknown",
            b -> b.put("filter", Map.of("min_priority", "extreme")),
            "filter.min_priority"),
        bad(
            "filter.min_priority a number",
            b -> b.put("filter", Map.of("min_priority", 3)),
            "filter.min_priority"),
        bad(
            "filter.sender invalid",
            b -> b.put("filter", Map.of("sender", "not an agent!")),
            "filter.sender"),
        bad(
            "filter.content_type unknown",
            b -> b.put("filter", Map.of("content_type", "image/png")),
            "filter.content_type"),
        bad(
            "filter.tags not strings",
            b -> b.put("filter", Map.of("tags", List.of(1, 2))),
            "filter.tags"),
        bad("filter.tags a string", b -> b.put("filter", Map.of("tags", "red")), "filter.tags"),
        bad(
            "filter.tags an invalid tag",
            b -> b.put("filter", Map.of("tags", List.of("fine", "not fine!"))),
            "filter.tags"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void anInvalidFieldIsNamed(String label, Consumer<Map<String, Object>> spoil, String field) {
    Map<String, Object> body = validMap();
    spoil.accept(body);

    assertInvalid(api.as(refused).post("/v1/subscriptions", body(body)), field);
  }

  @Test
  void everyBadFieldIsNamedAtOnce() {
    Map<String, Object> body =
        object(
            "pattern", "gpt*",
            "delivery_mode", "sometimes",
            "max_queue_size", 0,
            "auto_ack", "maybe",
            "filter", Map.of("min_priority", "extreme"));

    assertInvalid(
        api.as(refused).post("/v1/subscriptions", body(body)),
        "pattern",
        "delivery_mode",
        "max_queue_size",
        "auto_ack",
        "filter.min_priority");
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(strings = {"", "{", "[]", "\"ai.*\"", "null", "{\"pattern\":\"ai.*\"} {}"})
  void aMalformedBodyIsRefused(String raw) {
    assertProblem(api.as(refused).post("/v1/subscriptions", raw), 400);
  }

  @Test
  void aSubscriptionRoundTrips() {
    Agent owner = api.newAgent("owner");
    Map<String, Object> body =
        object(
            "pattern",
            "ai.models.*",
            "delivery_mode",
            "polling",
            "max_queue_size",
            500,
            "auto_ack",
            true,
            "filter",
            Map.of(
                "sender", "bob",
                "min_priority", "high",
                "content_type", "application/json",
                "tags", List.of("red", "blue")));

    Response created = api.as(owner).post("/v1/subscriptions", body(body));

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    JsonNode s = created.json();
    String id = text(s, "id");
    assertThat(id).isNotBlank();
    assertThat(created.header("Location")).contains("/v1/subscriptions/" + id);
    assertThat(text(s, "agent_id")).isEqualTo(owner.id());
    assertThat(text(s, "pattern")).isEqualTo("ai.models.*");
    assertThat(text(s, "delivery_mode")).isEqualTo("polling");
    assertThat(s.path("max_queue_size").asInt()).isEqualTo(500);
    assertThat(s.path("auto_ack").asBoolean(false)).isTrue();
    assertThat(text(s.path("filter"), "sender")).isEqualTo("bob");
    assertThat(text(s.path("filter"), "min_priority")).isEqualTo("high");
    assertThat(text(s.path("filter"), "content_type")).isEqualTo("application/json");
    assertThat(Json.array(s.path("filter"), "tags"))
        .extracting(JsonNode::stringValue)
        .containsExactlyInAnyOrder("red", "blue");
    assertThat(s.path("queued").asLong(-1)).isZero();

    List<JsonNode> listed = subscriptions(owner);
    assertThat(listed).hasSize(1);
    assertThat(listed.getFirst()).isEqualTo(s);
    Response one = api.as(owner).get("/v1/subscriptions/" + id);
    assertThat(one.status()).as("%s", one).isEqualTo(200);
    assertThat(one.json()).isEqualTo(s);

    Response deleted = api.as(owner).delete("/v1/subscriptions/" + id);

    assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
    assertThat(subscriptions(owner)).isEmpty();
    assertProblem(api.as(owner).get("/v1/subscriptions/" + id), 404);
    assertProblem(api.as(owner).delete("/v1/subscriptions/" + id), 404);
  }

  @Test
  void omittedSettingsTakeTheirDefaults() {
    Agent owner = api.newAgent("owner");

    Response r = api.as(owner).post("/v1/subscriptions", body(object("pattern", "news.**")));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    JsonNode s = r.json();
    assertThat(text(s, "delivery_mode")).isEqualTo("realtime");
    assertThat(s.path("max_queue_size").asInt()).isEqualTo(10_000);
    assertThat(s.path("auto_ack").asBoolean(true)).isFalse();
    assertThat(Json.array(s.path("filter"), "tags")).isEmpty();
  }

  @Test
  void anotherAgentsSubscriptionIsNotFound() {
    Agent owner = api.newAgent("owner");
    Agent other = api.newAgent("other");
    Response created =
        api.as(owner).post("/v1/subscriptions", body(object("pattern", "private.feed")));
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String id = text(created.json(), "id");

    assertProblem(api.as(other).get("/v1/subscriptions/" + id), 404);
    assertProblem(api.as(other).delete("/v1/subscriptions/" + id), 404);

    assertThat(subscriptions(other)).isEmpty();
    assertThat(subscriptions(owner)).extracting(s -> text(s, "id")).containsExactly(id);
    assertThat(api.as(owner).get("/v1/subscriptions/" + id).status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "id {0}")
  @ValueSource(strings = {"sub_0000000000000000", "nonexistent", "inbox"})
  void anUnknownIdIsNotFound(String id) {
    assertProblem(api.as(refused).get("/v1/subscriptions/" + id), 404);
    assertProblem(api.as(refused).delete("/v1/subscriptions/" + id), 404);
  }

  @Test
  void aMalformedIdIsInvalid() {
    assertInvalid(api.as(refused).get("/v1/subscriptions/not%20an%20id"), "id");
    assertInvalid(api.as(refused).delete("/v1/subscriptions/" + "x".repeat(65)), "id");
  }

  @Test
  void withoutATokenEverySubscriptionRouteIsUnauthorized() {
    Agent owner = api.newAgent("owner");
    Response created =
        api.as(owner).post("/v1/subscriptions", body(object("pattern", "guarded.feed")));
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String id = text(created.json(), "id");
    ApiClient anonymous = api.anonymous();

    assertProblem(anonymous.post("/v1/subscriptions", body(validMap())), 401);
    assertProblem(anonymous.get("/v1/subscriptions"), 401);
    assertProblem(anonymous.get("/v1/subscriptions/" + id), 401);
    assertProblem(anonymous.delete("/v1/subscriptions/" + id), 401);
    assertProblem(anonymous.withAuthorization("Bearer not-a-token").get("/v1/subscriptions"), 401);

    assertThat(subscriptions(owner)).extracting(s -> text(s, "id")).containsExactly(id);
  }

  private static List<JsonNode> subscriptions(Agent agent) {
    Response r = api.as(agent).get("/v1/subscriptions");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().path("subscriptions").isArray()).as("%s", r).isTrue();
    return Json.array(r.json(), "subscriptions");
  }

  private static Map<String, Object> validMap() {
    return object("pattern", "ai.models.*", "delivery_mode", "polling");
  }

  private static String body(Map<String, Object> map) {
    return Json.write(map);
  }

  /** A valid pattern of exactly {@code length} characters: 64-character segments joined by dots. */
  private static String nameOfLength(int length) {
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      if (!b.isEmpty()) {
        b.append('.');
      }
      b.append("p".repeat(Math.min(64, length - b.length())));
    }
    return b.toString();
  }

  private static Arguments bad(String label, Consumer<Map<String, Object>> spoil, String field) {
    return Arguments.of(label, spoil, field);
  }
}
