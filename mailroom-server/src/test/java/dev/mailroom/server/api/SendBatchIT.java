package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/messages/batch}: several sends in one request, stored in order and answered
 * together; a batch with one message that would be refused is refused whole, naming it, and sends
 * nothing.
 */
class SendBatchIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static Map<String, Object> direct(String target, String text) {
    return Map.of(
        "mode", "direct", "target", target, "content_type", "text/plain", "payload", text);
  }

  private static String batch(List<?> messages) {
    return Json.write(Map.of("messages", messages));
  }

  /** The payloads of the reader's inbox, oldest first. */
  private static List<String> inboxTexts(ApiClient reader) {
    return reader.listAll("/v1/inbox", Query.of("order", "asc"), 200).stream()
        .map(m -> Json.text(m, "payload"))
        .toList();
  }

  @Test
  void theMessagesAreStoredInOrderAndAnsweredTogether() {
    Agent sender = api.newAgent("batch-sender");
    Agent reader = api.newAgent("batch-reader");
    List<Map<String, Object>> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(direct(reader.id(), "m" + i));
    }

    Response r = api.as(sender).post("/v1/messages/batch", batch(messages));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    List<JsonNode> answers = Json.array(r.json(), "messages");
    assertThat(answers).hasSize(20);
    List<String> ids = answers.stream().map(a -> Json.text(a, "id")).toList();
    assertThat(ids).doesNotHaveDuplicates().isSorted();
    assertThat(answers).allSatisfy(a -> assertThat(a.get("recipients").asInt()).isEqualTo(1));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("m" + i);
    }
    assertThat(inboxTexts(api.as(reader))).containsExactlyElementsOf(expected);
    assertThat(Json.text(api.as(reader).message(ids.getFirst()), "sender")).isEqualTo(sender.id());
  }

  @Test
  void anInvalidMessageRefusesTheBatchNamingEachBadFieldAndSendsNothing() {
    Agent sender = api.newAgent("batch-sender");
    Agent reader = api.newAgent("batch-reader");
    List<Object> messages =
        List.of(
            direct(reader.id(), "fine"),
            Map.of("mode", "direct", "target", reader.id(), "content_type", "text/plain"),
            direct("Not A Name!", "bad target"),
            "not an object");

    Response r = api.as(sender).post("/v1/messages/batch", batch(messages));

    assertInvalid(r, "messages[1].payload", "messages[2].target", "messages[3]");
    assertThat(inboxTexts(api.as(reader))).isEmpty();
  }

  @Test
  void aMessageTheSenderMayNotSendRefusesTheBatchWithItsStatusAndSendsNothing() {
    Agent sender = api.newAgent("batch-sender");
    Agent reader = api.newAgent("batch-reader");
    api.granted("agent:" + sender.id(), "deny", "batch-secret.**", "write");

    Response r =
        api.as(sender)
            .post(
                "/v1/messages/batch",
                batch(List.of(direct(reader.id(), "fine"), direct("batch-secret.x", "no"))));

    JsonNode problem = assertProblem(r, 403);
    assertThat(Json.text(problem, "detail")).startsWith("messages[1]: ");
    assertThat(inboxTexts(api.as(reader))).isEmpty();
  }

  @Test
  void theBatchItselfMustHoldOneToAHundredMessages() {
    ApiClient sender = api.as(api.newAgent("batch-sender"));
    Map<String, Object> one = direct("batch-nobody", "x");

    assertInvalid(sender.post("/v1/messages/batch", "{}"), "messages");
    assertInvalid(sender.post("/v1/messages/batch", "{\"messages\":{}}"), "messages");
    assertInvalid(sender.post("/v1/messages/batch", batch(List.of())), "messages");
    assertInvalid(
        sender.post("/v1/messages/batch", batch(Collections.nCopies(101, one))), "messages");
    assertInvalid(
        sender.post("/v1/messages/batch", "{\"messages\":[],\"extra\":1}"), "messages", "extra");
  }

  @Test
  void idempotencyKeysMakeARepeatedBatchSendNothingTwice() {
    Agent sender = api.newAgent("batch-sender");
    Agent reader = api.newAgent("batch-reader");
    List<Map<String, Object>> messages = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> m = new HashMap<>(direct(reader.id(), "k" + i));
      m.put("idempotency_key", "batch-key-" + i);
      messages.add(m);
    }

    Response first = api.as(sender).post("/v1/messages/batch", batch(messages));
    Response again = api.as(sender).post("/v1/messages/batch", batch(messages));

    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(again.status()).as("%s", again).isEqualTo(201);
    List<JsonNode> repeated = Json.array(again.json(), "messages");
    assertThat(repeated).allSatisfy(a -> assertThat(a.get("duplicate").asBoolean()).isTrue());
    assertThat(repeated.stream().map(a -> Json.text(a, "id")))
        .containsExactlyElementsOf(
            Json.array(first.json(), "messages").stream().map(a -> Json.text(a, "id")).toList());
    assertThat(inboxTexts(api.as(reader))).containsExactly("k0", "k1", "k2");
  }

  @Test
  void onTheEmbeddedStoreABatchTakesOneCommit() {
    JsonNode before = api.admin().get("/health").json();
    if (!"sqlite".equals(Json.text(before.get("components").get("store"), "backend"))) {
      return; // Redis has no commits to count; the rest of this class runs there too
    }
    Agent sender = api.newAgent("batch-sender");
    Agent reader = api.newAgent("batch-reader");
    List<Map<String, Object>> messages = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      messages.add(direct(reader.id(), "c" + i));
    }
    before = api.admin().get("/health").json();
    long commits = before.get("components").get("store").get("commits").asLong();

    Response r = api.as(sender).post("/v1/messages/batch", batch(messages));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    long after =
        api.admin().get("/health").json().get("components").get("store").get("commits").asLong();
    // The batch's commit, and at most the audit records of the requests around it.
    assertThat(after - commits).isBetween(1L, 3L);
  }
}
