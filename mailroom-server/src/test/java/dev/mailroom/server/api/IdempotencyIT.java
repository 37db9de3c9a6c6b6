package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** A send repeated with the same idempotency key stores one message and answers its id again. */
class IdempotencyIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private Agent alice;
  private Agent bob;
  private Agent inbox;

  @BeforeEach
  void agents() {
    alice = api.newAgent("alice");
    bob = api.newAgent("bob");
    inbox = api.newAgent("inbox");
  }

  @Test
  void theSameKeyTwiceGivesTheSameIdAndOneStoredMessage() {
    Map<String, Object> body = keyed(plain(inbox.id(), "once"), "order-1");

    Response first = api.as(alice).send(body);
    Response second = api.as(alice).send(body);

    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(second.status()).as("%s", second).isEqualTo(201);
    assertThat(text(second.json(), "id")).isEqualTo(text(first.json(), "id"));
    assertThat(first.json().path("duplicate").asBoolean(false)).as("%s", first).isFalse();
    assertThat(first.header("Idempotent-Replayed")).isEmpty();
    assertThat(second.json().path("duplicate").asBoolean(false)).as("%s", second).isTrue();
    assertThat(second.header("Idempotent-Replayed")).contains("true");
    assertThat(api.as(inbox).listIds("/v1/inbox", Query.NONE, 50))
        .containsExactly(text(first.json(), "id"));
    assertThat(api.as(inbox).unreadCount()).isEqualTo(1);
  }

  @Test
  void aReplayAnswersTheOriginalMessageEvenIfTheBodyChanged() {
    String id = text(api.as(alice).sendOk(keyed(plain(inbox.id(), "original"), "k")), "id");

    JsonNode replay = api.as(alice).sendOk(keyed(plain(inbox.id(), "changed"), "k"));

    assertThat(text(replay, "id")).isEqualTo(id);
    List<JsonNode> stored = api.as(inbox).listAll("/v1/inbox", Query.NONE, 50);
    assertThat(stored).extracting(m -> text(m, "payload")).containsExactly("original");
  }

  @Test
  void sixteenConcurrentSendsWithOneKeyStoreOneMessage() throws Exception {
    Map<String, Object> body = keyed(plain(inbox.id(), "raced"), "race-1");
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Response>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < 16; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return api.as(alice).send(body);
                }));
      }
      go.countDown();
    }
    List<Response> answers = new ArrayList<>();
    for (Future<Response> f : futures) {
      answers.add(f.get());
    }

    assertThat(answers).allSatisfy(r -> assertThat(r.status()).as("%s", r).isEqualTo(201));
    List<String> ids = answers.stream().map(r -> text(r.json(), "id")).distinct().toList();
    assertThat(ids).hasSize(1);
    assertThat(answers)
        .filteredOn(r -> r.json().path("duplicate").asBoolean(false))
        .as("all but the first are replays")
        .hasSize(15);
    assertThat(api.as(inbox).listIds("/v1/inbox", Query.NONE, 50)).isEqualTo(ids);
  }

  @Test
  void theSameKeyFromTwoSendersGivesTwoMessages() {
    String fromAlice =
        text(api.as(alice).sendOk(keyed(plain(inbox.id(), "a"), "shared-key")), "id");
    String fromBob = text(api.as(bob).sendOk(keyed(plain(inbox.id(), "b"), "shared-key")), "id");

    assertThat(fromBob).isNotEqualTo(fromAlice);
    assertThat(api.as(inbox).listIds("/v1/inbox", Query.NONE, 50))
        .containsExactly(fromAlice, fromBob);
  }

  @Test
  void differentKeysFromOneSenderGiveDifferentMessages() {
    String first = text(api.as(alice).sendOk(keyed(plain(inbox.id(), "x"), "key-a")), "id");
    String second = text(api.as(alice).sendOk(keyed(plain(inbox.id(), "x"), "key-b")), "id");

    assertThat(api.as(inbox).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(first, second);
  }

  @Test
  void aBroadcastReplayedWithItsKeyIsDeliveredOnce() {
    Map<String, Object> body =
        keyed(
            Json.object("mode", "broadcast", "content_type", "text/plain", "payload", "once"),
            "b-1");

    String id = text(api.as(alice).sendOk(body), "id");
    JsonNode replay = api.as(alice).sendOk(body);

    assertThat(text(replay, "id")).isEqualTo(id);
    assertThat(api.as(inbox).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(id);
  }

  private static Map<String, Object> keyed(Map<String, Object> body, String key) {
    body.put("idempotency_key", key);
    return body;
  }
}
