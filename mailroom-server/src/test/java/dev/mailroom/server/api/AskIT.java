package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/messages/ask}: send, then wait for the first reply in the thread. */
class AskIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  static Map<String, Object> direct(String target, String text) {
    Map<String, Object> m = new HashMap<>();
    m.put("mode", "direct");
    m.put("target", target);
    m.put("content_type", "text/plain");
    m.put("payload", text);
    return m;
  }

  /**
   * Answers, as {@code replier}, the first message that reaches its mailbox, with {@code text} in
   * reply to it; returns the reply's id.
   */
  static CompletableFuture<String> answerFirst(ApiClient replier, String text) {
    return CompletableFuture.supplyAsync(
        () -> {
          JsonNode page = replier.get("/v1/inbox", Query.of("wait_seconds", 30)).json();
          String question = Json.text(Json.array(page, "messages").getFirst(), "id");
          Map<String, Object> reply = new HashMap<>();
          reply.put("mode", "direct");
          reply.put("target", Json.text(Json.array(page, "messages").getFirst(), "sender"));
          reply.put("content_type", "text/plain");
          reply.put("payload", text);
          reply.put("in_reply_to", question);
          return Json.text(replier.sendOk(reply), "id");
        });
  }

  @Test
  void askReturnsTheFirstReplyInTheThread() throws Exception {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    CompletableFuture<String> replied = answerFirst(api.as(bob), "use main");

    Response r =
        api.as(ann)
            .post(
                "/v1/messages/ask?timeout_seconds=30",
                Json.write(direct(bob.id(), "which branch?")));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode answer = r.json();
    String asked = Json.text(answer.get("sent"), "id");
    assertThat(answer.get("timed_out").asBoolean()).isFalse();
    assertThat(Json.text(answer, "thread_id")).isEqualTo(asked);
    assertThat(Json.text(answer.get("reply"), "id")).isEqualTo(replied.get(10, TimeUnit.SECONDS));
    assertThat(Json.text(answer.get("reply"), "payload")).isEqualTo("use main");
    assertThat(Json.text(answer.get("reply"), "in_reply_to")).isEqualTo(asked);
  }

  @Test
  void aRequestInAThreadWaitsInThatThreadAndSkipsOtherMail() throws Exception {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    String thread = "review-" + System.nanoTime();
    Map<String, Object> question = direct(bob.id(), "ready?");
    question.put("thread_id", thread);
    CompletableFuture<Response> asking =
        CompletableFuture.supplyAsync(
            () -> api.as(ann).post("/v1/messages/ask?timeout_seconds=30", Json.write(question)));
    // Other mail reaches ann first: not a reply.
    api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 30));
    api.as(carol).sendOk(direct(ann.id(), "unrelated"));
    Map<String, Object> reply = direct(ann.id(), "ready");
    reply.put("thread_id", thread);
    String replyId = Json.text(api.as(bob).sendOk(reply), "id");

    JsonNode answer = asking.get(30, TimeUnit.SECONDS).json();
    assertThat(Json.text(answer, "thread_id")).isEqualTo(thread);
    assertThat(Json.text(answer.get("reply"), "id")).isEqualTo(replyId);
  }

  @Test
  void withoutAReplyTheWaitEndsCleanlyAndTheMessageStaysSent() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");

    Response r =
        api.as(ann)
            .post("/v1/messages/ask?timeout_seconds=1", Json.write(direct(bob.id(), "anyone?")));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.json().get("timed_out").asBoolean()).isTrue();
    assertThat(r.json().get("reply").isNull()).isTrue();
    assertThat(api.as(bob).listIds("/v1/inbox", Query.NONE, 10))
        .containsExactly(Json.text(r.json().get("sent"), "id"));
  }

  @Test
  void aBadTimeoutIsRefusedAndNothingIsSent() {
    Agent ann = api.newAgent("ann");
    Agent bob = api.newAgent("bob");
    assertInvalid(
        api.as(ann).post("/v1/messages/ask?timeout_seconds=61", Json.write(direct(bob.id(), "x"))),
        "timeout_seconds");
    assertInvalid(
        api.as(ann).post("/v1/messages/ask?timeout_seconds=-1", Json.write(direct(bob.id(), "x"))),
        "timeout_seconds");
    assertInvalid(
        api.as(ann).post("/v1/messages/ask?wait=1", Json.write(direct(bob.id(), "x"))), "wait");
    assertInvalid(api.as(ann).post("/v1/messages/ask", "{}"), "mode");
    assertThat(api.as(bob).listIds("/v1/inbox", Query.NONE, 10)).isEmpty();
  }
}
