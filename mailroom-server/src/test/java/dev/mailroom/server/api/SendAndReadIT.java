package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Sending and reading back over HTTP: every content type, every field, every routing mode. */
class SendAndReadIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static Agent alice;
  private static Agent bob;
  private static Agent carol;

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
    bob = api.newAgent("bob");
    carol = api.newAgent("carol");
  }

  static Stream<Arguments> payloads() {
    byte[] bytes = new byte[4096];
    new Random(7).nextBytes(bytes);
    return Stream.of(
        Arguments.of("text/plain", "héllo\nwörld ✓ 😀 \"quoted\" \\ back", null),
        Arguments.of("text/markdown", "# Title\n\n- item *one*\n- `two`\n", null),
        Arguments.of("text/code", "fn main() {\n    println!(\"hi\");\n}\n", "rust"),
        Arguments.of(
            "application/json",
            Map.of("model", "gpt4", "scores", List.of(1, 2, 3), "nested", Map.of("ok", true)),
            null),
        Arguments.of("application/json", List.of("a", 1, false), null),
        Arguments.of("application/json", 42, null),
        Arguments.of("application/octet-stream", Base64.getEncoder().encodeToString(bytes), null),
        Arguments.of("text/uri-list", "https://example.com/files/report.pdf?v=2", null));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("payloads")
  void aPayloadComesBackWithItsContentTypeAndEncodingUnchanged(
      String contentType, Object payload, String language) {
    Map<String, Object> body =
        object(
            "mode", "direct", "target", bob.id(), "content_type", contentType, "payload", payload);
    if (language != null) {
      body.put("language", language);
    }
    String id = text(api.as(alice).sendOk(body), "id");

    JsonNode fetched = api.as(bob).message(id);
    JsonNode listed =
        api.as(bob).listAll("/v1/inbox", Query.of("after_id", before(id)), 1000).stream()
            .filter(m -> id.equals(text(m, "id")))
            .findFirst()
            .orElseThrow();

    for (JsonNode m : List.of(fetched, listed)) {
      assertThat(text(m, "content_type")).isEqualTo(contentType);
      assertThat(text(m, "language")).isEqualTo(language);
      if (contentType.equals("application/octet-stream")) {
        assertThat(Base64.getDecoder().decode(text(m, "payload")))
            .isEqualTo(Base64.getDecoder().decode((String) payload));
      } else {
        assertThat(m.get("payload")).isEqualTo(Json.MAPPER.valueToTree(payload));
      }
    }
  }

  @Test
  void aJsonPayloadGivenAsTextThatParsesIsAccepted() {
    Response r =
        api.as(alice)
            .send(
                object(
                    "mode", "direct",
                    "target", bob.id(),
                    "content_type", "application/json",
                    "payload", "{\"a\": [1, 2]}"));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  @Test
  void everyFieldSentIsReadBack() {
    String parent = text(api.as(bob).sendOk(plain(alice.id(), "question")), "id");
    JsonNode sent =
        api.as(alice)
            .sendOk(
                object(
                    "mode",
                    "direct",
                    "target",
                    bob.id(),
                    "content_type",
                    "text/plain",
                    "payload",
                    "answer",
                    "priority",
                    "high",
                    "tags",
                    List.of("billing", "q3:review"),
                    "metadata",
                    Map.of("trace", "abc", "attempt", 2),
                    "ttl_seconds",
                    3600,
                    "thread_id",
                    "thread-42",
                    "in_reply_to",
                    parent));

    String id = text(sent, "id");
    Instant timestamp = Times.parse(text(sent, "timestamp"));
    JsonNode m = api.as(bob).message(id);

    assertThat(id).hasSize(13);
    assertThat(sent.get("recipients").asInt()).isEqualTo(1);
    assertThat(text(m, "id")).isEqualTo(id);
    assertThat(Times.parse(text(m, "timestamp"))).isEqualTo(timestamp);
    assertThat(timestamp).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
    assertThat(text(m, "sender")).isEqualTo(alice.id());
    assertThat(text(m, "mode")).isEqualTo("direct");
    assertThat(text(m, "target")).isEqualTo(bob.id());
    assertThat(text(m, "content_type")).isEqualTo("text/plain");
    assertThat(text(m, "payload")).isEqualTo("answer");
    assertThat(text(m, "priority")).isEqualTo("high");
    assertThat(Json.array(m, "tags"))
        .extracting(JsonNode::stringValue)
        .containsExactly("billing", "q3:review");
    assertThat(m.get("metadata"))
        .isEqualTo(Json.MAPPER.valueToTree(Map.of("trace", "abc", "attempt", 2)));
    assertThat(text(m, "thread_id")).isEqualTo("thread-42");
    assertThat(text(m, "in_reply_to")).isEqualTo(parent);
    assertThat(Times.parse(text(m, "expires_at")))
        .isCloseTo(timestamp.plus(Duration.ofHours(1)), within(2, ChronoUnit.SECONDS));
  }

  @Test
  void aMessageWithoutOptionalFieldsGetsTheDefaults() {
    JsonNode sent = api.as(alice).sendOk(plain(bob.id(), "hi"));
    JsonNode m = api.as(bob).message(text(sent, "id"));

    assertThat(text(m, "priority")).isEqualTo("normal");
    assertThat(Json.array(m, "tags")).isEmpty();
    assertThat(m.get("metadata")).isEqualTo(Json.MAPPER.createObjectNode());
    assertThat(text(m, "language")).isNull();
    assertThat(Times.parse(text(m, "expires_at")))
        .isCloseTo(
            Times.parse(text(sent, "timestamp")).plus(Duration.ofDays(7)),
            within(2, ChronoUnit.SECONDS));
  }

  @Test
  void theSenderIsTheAuthenticatedAgent() {
    JsonNode sent = api.as(carol).sendOk(plain(bob.id(), "from carol"));

    assertThat(text(api.as(bob).message(text(sent, "id")), "sender")).isEqualTo(carol.id());
  }

  @Test
  void aDirectMessageToAnAgentLandsInThatAgentsInboxOnly() {
    JsonNode sent = api.as(alice).sendOk(plain(bob.id(), "for bob"));
    String id = text(sent, "id");

    assertThat(sent.get("recipients").asInt()).isEqualTo(1);
    assertThat(inboxIds(bob, id)).containsExactly(id);
    assertThat(api.as(bob).listIds("/v1/mailboxes/" + bob.id() + "/messages", after(id), 100))
        .containsExactly(id);
    assertThat(inboxIds(alice, id)).isEmpty();
    assertThat(inboxIds(carol, id)).isEmpty();
  }

  @Test
  void aDirectMessageToAnyOtherNameCreatesASharedMailboxThatEveryAgentReads() {
    for (String name : List.of("ops-desk", "team.ops.oncall")) {
      JsonNode sent = api.as(alice).sendOk(plain(name, "page"));
      String id = text(sent, "id");
      JsonNode second = api.as(bob).sendOk(plain(name, "ack"));

      assertThat(sent.get("recipients").asInt()).isEqualTo(1);
      assertThat(api.as(carol).listIds("/v1/mailboxes/" + name + "/messages", after(id), 100))
          .containsExactly(id, text(second, "id"));
      assertThat(text(api.as(carol).message(id), "target")).isEqualTo(name);
      assertThat(inboxIds(alice, id)).isEmpty();
      assertThat(inboxIds(carol, id)).isEmpty();
    }
  }

  @Test
  void aTopicMessageIsKeptInTheTopicsHistory() {
    JsonNode sent =
        api.as(alice)
            .sendOk(
                object(
                    "mode",
                    "topic",
                    "target",
                    "ai.models.gpt4",
                    "content_type",
                    "text/plain",
                    "payload",
                    "released"));
    String id = text(sent, "id");

    assertThat(sent.get("recipients").asInt()).isZero();
    List<JsonNode> history =
        api.as(bob).listAll("/v1/mailboxes/ai.models.gpt4/messages", after(id), 100);
    assertThat(history).extracting(m -> text(m, "id")).containsExactly(id);
    assertThat(text(history.get(0), "mode")).isEqualTo("topic");
    assertThat(text(history.get(0), "target")).isEqualTo("ai.models.gpt4");
    assertThat(inboxIds(bob, id)).isEmpty();
  }

  @Test
  void aBroadcastReachesEveryAgentButTheSender() {
    Agent dave = api.newAgent("dave");

    JsonNode sent =
        api.as(dave)
            .sendOk(
                object("mode", "broadcast", "content_type", "text/plain", "payload", "all hands"));
    String id = text(sent, "id");

    assertThat(sent.get("recipients").asInt()).isEqualTo(otherAgents());
    for (Agent other : List.of(alice, bob, carol)) {
      assertThat(inboxIds(other, id)).as("inbox of %s", other).containsExactly(id);
    }
    if (adminHasAMailbox()) {
      assertThat(api.admin().listIds("/v1/inbox", after(id), 100)).containsExactly(id);
    }
    assertThat(inboxIds(dave, id)).isEmpty();
    JsonNode m = api.as(alice).message(id);
    assertThat(text(m, "mode")).isEqualTo("broadcast");
    assertThat(text(m, "target")).isNull();
  }

  @Test
  void aBroadcastWithAnExplicitNullTargetIsABroadcast() {
    JsonNode sent =
        api.as(alice)
            .sendOk(
                object(
                    "mode",
                    "broadcast",
                    "target",
                    null,
                    "content_type",
                    "text/plain",
                    "payload",
                    "hello all"));

    assertThat(sent.get("recipients").asInt()).isEqualTo(otherAgents());
    assertThat(inboxIds(carol, text(sent, "id"))).containsExactly(text(sent, "id"));
  }

  /**
   * How many agents a broadcast from one of the test's agents reaches: every other agent the tests
   * created, plus the bootstrap admin when the server makes it an agent with a mailbox of its own.
   */
  private static int otherAgents() {
    return api.agentCount() - 1 + (adminHasAMailbox() ? 1 : 0);
  }

  private static boolean adminHasAMailbox() {
    return api.admin().get("/v1/inbox").status() == 200;
  }

  @Test
  void anExpiredMessageIsNeverReturned() {
    Map<String, Object> body = plain(bob.id(), "short-lived");
    body.put("ttl_seconds", 3);
    String id = text(api.as(carol).sendOk(body), "id");
    assertThat(inboxIds(bob, id)).containsExactly(id);

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(api.as(bob).get("/v1/messages/" + id).status()).isEqualTo(404));
    assertThat(inboxIds(bob, id)).isEmpty();
    assertThat(api.as(carol).get("/v1/messages/" + id).status()).isEqualTo(404);
  }

  @Test
  void messageIdsSortLikeTheirTimestamps() {
    String first = text(api.as(alice).sendOk(plain(bob.id(), "1")), "id");
    String second = text(api.as(carol).sendOk(plain(bob.id(), "2")), "id");
    String third = text(api.as(alice).sendOk(plain(bob.id(), "3")), "id");

    assertThat(List.of(first, second, third)).isSorted().doesNotHaveDuplicates();
    assertThat(inboxIds(bob, first)).containsExactly(first, second, third);
    assertThat(api.as(bob).listIds("/v1/inbox", after(first).and("order", "desc"), 2))
        .containsExactly(third, second, first);
  }

  static Map<String, Object> plain(String target, String text) {
    return object(
        "mode", "direct", "target", target, "content_type", "text/plain", "payload", text);
  }

  /** Every id in the agent's inbox from {@code id} on. */
  private static List<String> inboxIds(Agent agent, String id) {
    return api.as(agent).listIds("/v1/inbox", after(id), 1000);
  }

  /** From {@code id} on (inclusive), through the exclusive after_id filter. */
  private static Query after(String id) {
    return Query.of("after_id", before(id));
  }

  /** The id just below {@code id}: same text with its last base32 digit decremented. */
  static String before(String id) {
    return Ids.predecessor(id);
  }
}
