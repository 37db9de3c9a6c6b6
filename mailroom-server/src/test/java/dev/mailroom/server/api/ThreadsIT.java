package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Threads: a thread's messages wherever they are, as far as the caller may read them, whole and in
 * order; the thread filter of the listings; summaries of the caller's threads.
 */
class ThreadsIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static Map<String, Object> message(
      String mode, String target, String text, String thread) {
    Map<String, Object> m = new HashMap<>();
    m.put("mode", mode);
    if (target != null) {
      m.put("target", target);
    }
    m.put("content_type", "text/plain");
    m.put("payload", text);
    if (thread != null) {
      m.put("thread_id", thread);
    }
    return m;
  }

  /** Sends a batch and returns the ids, in order. */
  private static List<String> sendAll(Agent sender, List<Map<String, Object>> messages) {
    Response r =
        api.as(sender).post("/v1/messages/batch", Json.write(Map.of("messages", messages)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.array(r.json(), "messages").stream().map(a -> Json.text(a, "id")).toList();
  }

  private static String unique(String prefix) {
    return prefix + "-" + System.nanoTime();
  }

  @Test
  void aThreadOf2500MessagesInSeveralMailboxesComesWholeAndInOrder() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    String thread = unique("big");
    String shared = unique("plans");
    String topic = unique("builds") + ".main";
    List<String> expected = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) {
      Agent sender = batch % 2 == 0 ? ann : bob;
      Agent other = batch % 2 == 0 ? bob : ann;
      List<Map<String, Object>> messages = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = batch * 100 + i;
        messages.add(
            switch (n % 4) {
              case 0 -> message("direct", shared, "m" + n, thread);
              case 1 -> message("topic", topic, "m" + n, thread);
              default -> message("direct", other.id(), "m" + n, thread);
            });
      }
      expected.addAll(sendAll(sender, messages));
      // Noise: messages of another thread and of none in the same mailboxes.
      sendAll(
          sender,
          List.of(
              message("direct", other.id(), "noise", unique("other")),
              message("direct", shared, "noise", null)));
    }

    List<JsonNode> asc = api.as(ann).listAll("/v1/threads/" + thread, Query.NONE, 1000);
    assertThat(asc).extracting(m -> Json.text(m, "id")).containsExactlyElementsOf(expected);
    assertThat(asc).allSatisfy(m -> assertThat(Json.text(m, "thread_id")).isEqualTo(thread));
    assertThat(Json.text(asc.get(7), "payload")).isEqualTo("m7");
    List<String> desc =
        api.as(bob).listIds("/v1/threads/" + thread, Query.of("order", "desc"), 333);
    assertThat(desc).containsExactlyElementsOf(expected.reversed());

    JsonNode summary = api.as(ann).get("/v1/threads/" + thread + "/summary").json();
    assertThat(summary.get("message_count").asLong()).isEqualTo(2500);
    assertThat(Json.text(summary, "first_message_id")).isEqualTo(expected.getFirst());
    assertThat(Json.text(summary, "last_message_id")).isEqualTo(expected.getLast());
    assertThat(Json.array(summary, "participants"))
        .extracting(JsonNode::asString)
        .containsExactly(ann.id(), bob.id());
    assertThat(summary.get("complete").asBoolean()).isTrue();
  }

  @Test
  void aReplyWithoutAThreadStartsOneNamedAfterTheMessageItAnswers() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    String root = Json.text(api.as(ann).sendOk(message("direct", bob.id(), "plan?", null)), "id");
    Map<String, Object> reply = message("direct", ann.id(), "yes", null);
    reply.put("in_reply_to", root);
    String answer = Json.text(api.as(bob).sendOk(reply), "id");

    assertThat(api.as(bob).listIds("/v1/threads/" + root, Query.NONE, 10))
        .containsExactly(root, answer);
    assertThat(api.as(ann).listIds("/v1/inbox", Query.of("thread_id", root), 10))
        .containsExactly(answer);
    assertThat(api.as(bob).listIds("/v1/inbox", Query.of("thread_id", root), 10))
        .containsExactly(root);

    JsonNode forAnn = api.as(ann).get("/v1/threads/" + root + "/summary").json();
    assertThat(forAnn.get("message_count").asLong()).isEqualTo(2);
    assertThat(forAnn.get("unread_count").asLong()).isEqualTo(1);
    assertThat(Json.text(forAnn, "last_sender")).isEqualTo(bob.id());
    api.as(ann).post("/v1/messages/" + answer + "/read", null);
    assertThat(
            api.as(ann).get("/v1/threads/" + root + "/summary").json().get("unread_count").asLong())
        .isZero();
  }

  @Test
  void aCallerSeesOnlyTheMessagesOfAThreadItMayRead() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    Agent eve = api.newAgent("eve");
    String thread = unique("mixed");
    String secret = unique("secret");
    String open = unique("open");
    api.granted("agent:" + eve.id(), "deny", secret, "read");
    List<String> ids =
        sendAll(
            ann,
            List.of(
                message("direct", bob.id(), "to bob", thread),
                message("direct", secret, "secret", thread),
                message("direct", open, "open", thread),
                message("direct", eve.id(), "to eve", thread)));

    assertThat(api.as(bob).listIds("/v1/threads/" + thread, Query.NONE, 1))
        .containsExactly(ids.get(0), ids.get(1), ids.get(2));
    assertThat(api.as(eve).listIds("/v1/threads/" + thread, Query.NONE, 1))
        .containsExactly(ids.get(2), ids.get(3));
    assertThat(api.as(ann).listIds("/v1/threads/" + thread, Query.NONE, 2))
        .containsExactlyElementsOf(ids);
    assertThat(api.admin().listIds("/v1/threads/" + thread, Query.NONE, 1000))
        .containsExactlyElementsOf(ids);

    JsonNode forEve = api.as(eve).get("/v1/threads/" + thread + "/summary").json();
    assertThat(forEve.get("message_count").asLong()).isEqualTo(2);
    Agent stranger = api.newAgent("stranger");
    String privately = unique("private");
    sendAll(ann, List.of(message("direct", bob.id(), "between us", privately)));
    assertThat(api.as(stranger).listIds("/v1/threads/" + privately, Query.NONE, 10)).isEmpty();
    assertProblem(api.as(stranger).get("/v1/threads/" + privately + "/summary"), 404);
  }

  @Test
  void theThreadFilterWorksOnEveryListing() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    String thread = unique("filter");
    String shared = unique("desk");
    List<String> ids =
        sendAll(
            ann,
            List.of(
                message("direct", bob.id(), "in", thread),
                message("direct", bob.id(), "out", null),
                message("direct", shared, "in", thread),
                message("direct", shared, "out", unique("else"))));

    assertThat(api.as(bob).listIds("/v1/inbox", Query.of("thread_id", thread), 10))
        .containsExactly(ids.get(0));
    assertThat(
            api.as(bob)
                .listIds(
                    "/v1/mailboxes/" + shared + "/messages", Query.of("thread_id", thread), 10))
        .containsExactly(ids.get(2));
    assertInvalid(api.as(bob).get("/v1/inbox", Query.of("thread_id", "no spaces")), "thread_id");
    assertInvalid(api.as(bob).get("/v1/threads/" + "x".repeat(129)), "thread_id");
    assertInvalid(api.as(bob).get("/v1/threads/" + thread, Query.of("limit", "0")), "limit");
    assertInvalid(api.as(bob).get("/v1/threads/" + thread, Query.of("since", "x")), "since");
    assertInvalid(api.as(bob).get("/v1/threads", Query.of("limit", "101")), "limit");
  }

  @Test
  void theThreadListSummarisesTheCallersThreadsMostRecentFirstOnEveryPageOnce() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    String first = unique("first");
    String second = unique("second");
    String third = unique("third");
    sendAll(
        bob,
        List.of(
            message("direct", ann.id(), "1", first),
            message("direct", ann.id(), "2", second),
            message("direct", ann.id(), "3", first),
            message("direct", ann.id(), "no thread", null),
            message("direct", ann.id(), "4", third),
            message("direct", ann.id(), "5", second)));

    List<JsonNode> all = api.as(ann).listAll("/v1/threads", Query.NONE, 1, "threads");
    assertThat(all)
        .extracting(t -> Json.text(t, "thread_id"))
        .containsExactly(second, third, first);
    assertThat(all).extracting(t -> t.get("message_count").asLong()).containsExactly(2L, 1L, 2L);
    assertThat(all).extracting(t -> t.get("unread_count").asLong()).containsExactly(2L, 1L, 2L);
    assertThat(api.as(ann).listAll("/v1/threads", Query.NONE, 100, "threads"))
        .extracting(t -> Json.text(t, "thread_id"))
        .containsExactly(second, third, first);
    assertThat(api.as(api.newAgent("quiet")).listAll("/v1/threads", Query.NONE, 10, "threads"))
        .isEmpty();
  }
}
