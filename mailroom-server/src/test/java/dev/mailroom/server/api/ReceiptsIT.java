package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Receipts and obligations over HTTP: a message's steps at each recipient with their times, seen by
 * its sender only; an obligation with a deadline that passes shows overdue on both sides, sends the
 * sender exactly one notice, and is met late by a reply; an acknowledgement meets one that asks for
 * it, on a shared mailbox by the first agent that answers; bad input is refused and sends nothing.
 */
class ReceiptsIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static Map<String, Object> direct(String target, String text, Object... more) {
    Map<String, Object> m = new HashMap<>();
    m.put("mode", "direct");
    m.put("target", target);
    m.put("content_type", "text/plain");
    m.put("payload", text);
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  private static JsonNode receipts(Agent sender, String id) {
    Response r = api.as(sender).get("/v1/messages/" + id + "/receipts");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static JsonNode onlyReceipt(Agent sender, String id) {
    List<JsonNode> all = Json.array(receipts(sender, id), "receipts");
    assertThat(all).hasSize(1);
    return all.getFirst();
  }

  private static List<String> owed(Agent agent, String role, String state) {
    return api
        .as(agent)
        .listAll("/v1/obligations", Query.of("role", role).and("state", state), 100, "obligations")
        .stream()
        .map(o -> Json.text(o, "message_id"))
        .toList();
  }

  private static List<JsonNode> notices(Agent agent) {
    return api.as(agent).listAll("/v1/inbox", Query.of("tag", "obligation"), 100).stream().toList();
  }

  @Test
  void aMessageMovesFromQueuedToRepliedWithTheTimeOfEachStep() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    String id =
        Json.text(api.as(ann).sendOk(direct(bob.id(), "review PR 12", "ack_required", true)), "id");

    JsonNode first = receipts(ann, id);
    assertThat(Json.text(first, "sender")).isEqualTo(ann.id());
    JsonNode receipt = onlyReceipt(ann, id);
    assertThat(Json.text(receipt, "agent_id")).isEqualTo(bob.id());
    assertThat(Json.text(receipt, "state")).isEqualTo("queued");
    assertThat(receipt.has("delivered_at")).isFalse();
    JsonNode obligation = first.get("obligation");
    assertThat(Json.text(obligation, "state")).isEqualTo("open");
    assertThat(Json.text(obligation, "owed_by")).isEqualTo(bob.id());
    assertThat(obligation.get("ack_required").asBoolean()).isTrue();

    assertThat(api.as(bob).listIds("/v1/inbox", Query.NONE, 10)).containsExactly(id);
    assertThat(Json.text(onlyReceipt(ann, id), "state")).isEqualTo("delivered");
    assertThat(api.as(bob).post("/v1/messages/" + id + "/read", null).status()).isEqualTo(204);
    assertThat(Json.text(onlyReceipt(ann, id), "state")).isEqualTo("read");
    assertThat(api.as(bob).post("/v1/messages/" + id + "/ack", null).status()).isEqualTo(200);
    JsonNode acked = receipts(ann, id);
    assertThat(Json.text(acked.get("receipts").get(0), "state")).isEqualTo("acknowledged");
    assertThat(Json.text(acked.get("obligation"), "state")).isEqualTo("met");
    assertThat(Json.text(acked.get("obligation"), "met_how")).isEqualTo("ack");
    assertThat(Json.text(acked.get("obligation"), "met_by")).isEqualTo(bob.id());
    String reply =
        Json.text(api.as(bob).sendOk(direct(ann.id(), "looks good", "in_reply_to", id)), "id");

    JsonNode done = onlyReceipt(ann, id);
    assertThat(Json.text(done, "state")).isEqualTo("replied");
    assertThat(Json.text(done, "reply_id")).isEqualTo(reply);
    Instant queued = Instant.parse(Json.text(done, "queued_at"));
    Instant delivered = Instant.parse(Json.text(done, "delivered_at"));
    Instant read = Instant.parse(Json.text(done, "read_at"));
    Instant ackedAt = Instant.parse(Json.text(done, "acknowledged_at"));
    Instant replied = Instant.parse(Json.text(done, "replied_at"));
    assertThat(queued).isBeforeOrEqualTo(delivered);
    assertThat(delivered).isBeforeOrEqualTo(read);
    assertThat(read).isBeforeOrEqualTo(ackedAt);
    assertThat(ackedAt).isBeforeOrEqualTo(replied);
  }

  @Test
  void aPassedDeadlineIsOverdueOnBothSidesNoticedOnceAndMetLateByAReply() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    Instant deadline = Instant.now().plusSeconds(2);
    String id =
        Json.text(
            api.as(ann).sendOk(direct(bob.id(), "estimate?", "reply_by", deadline.toString())),
            "id");
    assertThat(owed(ann, "owed_to_me", "open")).containsExactly(id);
    assertThat(owed(bob, "owed_by_me", "open")).containsExactly(id);
    assertThat(owed(bob, "owed_to_me", "open,overdue,met")).isEmpty();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(owed(ann, "owed_to_me", "overdue")).containsExactly(id);
              assertThat(owed(bob, "owed_by_me", "overdue")).containsExactly(id);
              assertThat(notices(ann)).hasSize(1);
            });
    JsonNode notice = notices(ann).getFirst();
    assertThat(Json.text(notice, "sender")).isEqualTo("admin");
    assertThat(Json.text(notice, "in_reply_to")).isEqualTo(id);
    assertThat(Json.text(notice.get("payload"), "message_id")).isEqualTo(id);
    assertThat(Json.text(notice.get("payload"), "owed_by")).isEqualTo(bob.id());
    assertThat(receipts(ann, id).get("obligation").has("noticed_at")).isTrue();
    JsonNode annSummary = api.as(ann).get("/v1/inbox/summary").json().get("overdue");
    assertThat(Json.text(annSummary.get("owed_to_me").get(0), "message_id")).isEqualTo(id);
    assertThat(Json.text(annSummary.get("owed_to_me").get(0), "counterpart")).isEqualTo(bob.id());
    assertThat(Json.array(annSummary, "owed_by_me")).isEmpty();
    assertThat(annSummary.has("empty")).isFalse();
    assertThat(annSummary.get("more").asBoolean()).isFalse();
    String bobText = api.as(bob).get("/v1/inbox/summary", Query.of("format", "text")).body();
    assertThat(bobText)
        .contains("Overdue obligations:")
        .contains("- you owe " + ann.id() + " a reply to " + id);
    // Sweeps go on every second: still one notice.
    await()
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> notices(ann).size() == 1);
    assertThat(owed(ann, "owed_to_me", "open")).isEmpty();

    String reply =
        Json.text(api.as(bob).sendOk(direct(ann.id(), "two days", "in_reply_to", id)), "id");

    assertThat(owed(ann, "owed_to_me", "overdue")).isEmpty();
    assertThat(owed(bob, "owed_by_me", "open,overdue")).isEmpty();
    assertThat(owed(ann, "owed_to_me", "met")).containsExactly(id);
    assertThat(api.as(bob).get("/v1/inbox/summary", Query.of("format", "text")).body())
        .doesNotContain("Overdue");
    JsonNode met = receipts(ann, id).get("obligation");
    assertThat(Json.text(met, "state")).isEqualTo("met");
    assertThat(met.get("late").asBoolean()).isTrue();
    assertThat(Json.text(met, "met_how")).isEqualTo("reply");
    assertThat(Json.text(met, "reply_id")).isEqualTo(reply);
  }

  @Test
  void aReplyBeforeTheDeadlineMeetsItAndAnAckDoesNotWhenNoneWasAskedFor() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    String thread = "plan-" + System.nanoTime();
    String id =
        Json.text(
            api.as(ann)
                .sendOk(
                    direct(
                        bob.id(),
                        "plan?",
                        "thread_id",
                        thread,
                        "reply_by",
                        Instant.now().plusSeconds(600).toString())),
            "id");
    api.as(bob).post("/v1/messages/" + id + "/ack", null);
    assertThat(owed(ann, "owed_to_me", "open")).containsExactly(id);
    // Another agent's message in the thread does not meet what bob owes.
    Agent carol = api.newAgent("carol");
    api.as(carol).sendOk(direct(ann.id(), "I'd say yes", "thread_id", thread));
    assertThat(owed(ann, "owed_to_me", "open")).containsExactly(id);

    api.as(bob).sendOk(direct(ann.id(), "plan: ship", "thread_id", thread));

    JsonNode met = receipts(ann, id).get("obligation");
    assertThat(Json.text(met, "state")).isEqualTo("met");
    assertThat(met.get("late").asBoolean()).isFalse();
    assertThat(Json.text(met, "met_by")).isEqualTo(bob.id());
  }

  @Test
  void onASharedMailboxTheFirstAgentToAcknowledgeMeetsIt() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    String box = "triage-" + System.nanoTime();
    String id =
        Json.text(api.as(ann).sendOk(direct(box, "who takes this?", "ack_required", true)), "id");
    assertThat(
            api
                .as(bob)
                .listAll(
                    "/v1/obligations",
                    Query.of("role", "owed_by_me").and("mailbox", box),
                    10,
                    "obligations")
                .stream()
                .map(o -> Json.text(o, "message_id")))
        .containsExactly(id);
    assertThat(Json.array(receipts(ann, id), "receipts")).isEmpty();

    api.as(carol).post("/v1/messages/" + id + "/ack", null);
    api.as(bob).post("/v1/messages/" + id + "/ack", null);

    JsonNode r = receipts(ann, id);
    assertThat(Json.text(r.get("obligation"), "met_by")).isEqualTo(carol.id());
    assertThat(Json.array(r, "receipts").stream().map(x -> Json.text(x, "agent_id")))
        .containsExactly(bob.id(), carol.id());
    assertThat(Json.array(r, "receipts").stream().map(x -> Json.text(x, "state")))
        .containsOnly("acknowledged");
    // Paged by agent.
    JsonNode page =
        api.as(ann).get("/v1/messages/" + id + "/receipts", Query.of("limit", 1)).json();
    assertThat(Json.array(page, "receipts")).hasSize(1);
    assertThat(
            api.as(ann)
                .get(
                    "/v1/messages/" + id + "/receipts",
                    Query.of("limit", 1).and("cursor", Json.text(page, "next_cursor")))
                .json()
                .get("receipts")
                .get(0)
                .get("agent_id")
                .asString())
        .isEqualTo(carol.id());
  }

  @Test
  void anAckOverTheStreamMeetsItButAPushThatCountsAsAcknowledgedDoesNot() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    String toBob =
        Json.text(api.as(ann).sendOk(direct(bob.id(), "ack me", "ack_required", true)), "id");
    String toCarol =
        Json.text(api.as(ann).sendOk(direct(carol.id(), "ack me too", "ack_required", true)), "id");

    try (var stream = Streams.connect(api, bob, "")) {
      assertThat(stream.nextMessage().json().get("id").asString()).isEqualTo(toBob);
      stream.ack(List.of(toBob));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(Json.text(receipts(ann, toBob).get("obligation"), "state"))
                      .isEqualTo("met"));
    }
    assertThat(Json.text(onlyReceipt(ann, toBob), "state")).isEqualTo("acknowledged");
    try (var stream = Streams.connect(api, carol, "?auto_ack=true")) {
      assertThat(stream.nextMessage().json().get("id").asString()).isEqualTo(toCarol);
      stream.assertQuiet(Duration.ofMillis(500));
    }
    assertThat(Json.text(receipts(ann, toCarol).get("obligation"), "state")).isEqualTo("open");
  }

  @Test
  void onlyTheSenderOrAnAdminSeesReceipts() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    String id = Json.text(api.as(ann).sendOk(direct(bob.id(), "private")), "id");

    assertProblem(api.as(carol).get("/v1/messages/" + id + "/receipts"), 403);
    assertProblem(api.as(bob).get("/v1/messages/" + id + "/receipts"), 403);
    assertThat(api.admin().get("/v1/messages/" + id + "/receipts").status()).isEqualTo(200);
    assertProblem(api.as(ann).get("/v1/messages/" + Ids.successor(id) + "/receipts"), 404);
    assertProblem(
        api.as(carol)
            .get("/v1/obligations", Query.of("role", "owed_by_me").and("mailbox", bob.id())),
        403);
  }

  @Test
  void badObligationsAndListingsAreRefusedNamingTheFieldAndSendNothing() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    assertInvalid(
        api.as(ann)
            .send(direct(bob.id(), "x", "reply_by", Instant.now().minusSeconds(5).toString())),
        "reply_by");
    assertInvalid(api.as(ann).send(direct(bob.id(), "x", "reply_by", "tomorrow")), "reply_by");
    assertInvalid(
        api.as(ann).send(direct(bob.id(), "x", "reply_by", "2030-01-01T00:00:00")), "reply_by");
    assertInvalid(
        api.as(ann)
            .send(
                direct(
                    bob.id(),
                    "x",
                    "ttl_seconds",
                    60,
                    "reply_by",
                    Instant.now().plusSeconds(3600).toString())),
        "reply_by");
    assertInvalid(api.as(ann).send(direct(bob.id(), "x", "ack_required", "yes")), "ack_required");
    Map<String, Object> broadcast = direct(bob.id(), "x", "ack_required", true);
    broadcast.put("mode", "broadcast");
    broadcast.remove("target");
    assertInvalid(api.as(ann).send(broadcast), "ack_required");
    assertInvalid(
        api.as(ann)
            .post(
                "/v1/messages/batch",
                Json.write(
                    Map.of(
                        "messages",
                        List.of(
                            direct(bob.id(), "ok"),
                            direct(
                                bob.id(),
                                "x",
                                "reply_by",
                                Instant.now().minusSeconds(1).toString()))))),
        "messages[1].reply_by");
    assertThat(api.as(bob).listIds("/v1/inbox", Query.NONE, 10)).isEmpty();

    assertInvalid(api.as(ann).get("/v1/obligations"), "role");
    assertInvalid(api.as(ann).get("/v1/obligations", Query.of("role", "mine")), "role");
    assertInvalid(
        api.as(ann).get("/v1/obligations", Query.of("role", "owed_to_me").and("state", "late")),
        "state");
    assertInvalid(
        api.as(ann).get("/v1/obligations", Query.of("role", "owed_to_me").and("mailbox", "ops")),
        "mailbox");
    assertInvalid(
        api.as(ann).get("/v1/obligations", Query.of("role", "owed_to_me").and("cursor", "zz")),
        "cursor");
    assertInvalid(api.as(ann).get("/v1/messages/nope/receipts"), "id");
  }

  @Test
  void aBatchAndAnAskCarryTheirObligations() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    JsonNode sent =
        api.as(ann)
            .post(
                "/v1/messages/batch",
                Json.write(
                    Map.of(
                        "messages",
                        List.of(
                            direct(bob.id(), "a", "ack_required", true), direct(bob.id(), "b")))))
            .json();
    String first = Json.text(Json.array(sent, "messages").getFirst(), "id");
    Response asked =
        api.as(ann)
            .post(
                "/v1/messages/ask?timeout_seconds=0",
                Json.write(direct(bob.id(), "c", "ack_required", true)));
    assertThat(asked.status()).as("%s", asked).isEqualTo(200);
    String question = Json.text(asked.json().get("sent"), "id");
    assertThat(owed(bob, "owed_by_me", "open")).containsExactly(question, first);
  }
}
