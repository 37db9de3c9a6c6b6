package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Who may read what, and read state kept per reader. */
class AccessAndReadStateIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private Agent alice;
  private Agent bob;
  private Agent carol;

  @BeforeEach
  void agents() {
    alice = api.newAgent("alice");
    bob = api.newAgent("bob");
    carol = api.newAgent("carol");
  }

  @Test
  void theSenderAndTheRecipientReadADirectMessageAndNobodyElse() {
    String id = text(api.as(alice).sendOk(plain(bob.id(), "private")), "id");

    assertThat(text(api.as(alice).message(id), "payload")).isEqualTo("private");
    assertThat(text(api.as(bob).message(id), "payload")).isEqualTo("private");
    JsonNode problem = assertProblem(api.as(carol).get("/v1/messages/" + id), 403);
    assertThat(problem.toString()).doesNotContain("private\"");
    assertProblem(api.as(carol).post("/v1/messages/" + id + "/read", null), 403);
    assertProblem(api.as(carol).get("/v1/messages/" + id + "/readers"), 403);
  }

  @Test
  void anyAgentReadsMessagesInSharedMailboxesAndTopicsById() {
    String shared = text(api.as(alice).sendOk(plain("desk-" + alice.id(), "shared")), "id");
    String topic =
        text(
            api.as(alice)
                .sendOk(
                    object(
                        "mode",
                        "topic",
                        "target",
                        "news." + alice.id(),
                        "content_type",
                        "text/plain",
                        "payload",
                        "topic")),
            "id");

    assertThat(text(api.as(carol).message(shared), "payload")).isEqualTo("shared");
    assertThat(text(api.as(carol).message(topic), "payload")).isEqualTo("topic");
  }

  @Test
  void anotherAgentsPersonalMailboxIsForbidden() {
    api.as(bob).sendOk(plain(alice.id(), "hello"));

    assertProblem(api.as(alice).get("/v1/mailboxes/" + bob.id() + "/messages"), 403);
    assertThat(api.as(alice).get("/v1/mailboxes/" + alice.id() + "/messages").status())
        .isEqualTo(200);
  }

  @Test
  void anUnknownMessageIsNotFound() {
    String unknown = Ids.successor(text(api.as(alice).sendOk(plain(bob.id(), "x")), "id"));

    assertProblem(api.as(alice).get("/v1/messages/" + unknown), 404);
  }

  @Test
  void anAdminCreatesAgentsAndAnAgentMayNot() {
    Response created =
        api.admin()
            .post(
                "/v1/agents",
                Json.write(object("id", "erin-" + bob.id(), "roles", List.of("agent"))));
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(text(created.json(), "id")).isEqualTo("erin-" + bob.id());
    assertThat(Json.array(created.json(), "roles"))
        .extracting(JsonNode::stringValue)
        .contains("agent");
    assertThat(text(created.json(), "token")).isNotBlank();

    assertProblem(
        api.as(alice)
            .post(
                "/v1/agents",
                Json.write(object("id", "frank-" + bob.id(), "roles", List.of("agent")))),
        403);
    assertProblem(
        api.admin()
            .post(
                "/v1/agents",
                Json.write(object("id", "erin-" + bob.id(), "roles", List.of("agent")))),
        409);
    assertProblem(
        api.admin()
            .post("/v1/agents", Json.write(object("id", alice.id(), "roles", List.of("agent")))),
        409);
  }

  @Test
  void aNewAgentsTokenWorksAtOnceAndEachTokenIsDistinct() {
    Agent dave = api.newAgent("dave");

    assertThat(dave.token()).isNotEqualTo(alice.token()).isNotEqualTo(MailroomApi.ADMIN_TOKEN);
    assertThat(api.as(dave).unreadCount()).isZero();
  }

  @Test
  void markingReadAndUnreadChangesTheUnreadCountOfThatReaderOnly() {
    String first = text(api.as(alice).sendOk(plain(bob.id(), "one")), "id");
    api.as(alice).sendOk(plain(bob.id(), "two"));
    api.as(carol).sendOk(plain(bob.id(), "three"));
    api.as(bob).sendOk(plain(alice.id(), "reply"));
    assertThat(api.as(bob).unreadCount()).isEqualTo(3);
    assertThat(api.as(alice).unreadCount()).isEqualTo(1);

    assertThat(api.as(bob).post("/v1/messages/" + first + "/read", null).status()).isEqualTo(204);
    assertThat(api.as(bob).unreadCount()).isEqualTo(2);
    assertThat(api.as(bob).post("/v1/messages/" + first + "/read", null).status()).isEqualTo(204);
    assertThat(api.as(bob).unreadCount()).isEqualTo(2);
    assertThat(api.as(alice).unreadCount()).isEqualTo(1);

    assertThat(api.as(bob).delete("/v1/messages/" + first + "/read").status()).isEqualTo(204);
    assertThat(api.as(bob).unreadCount()).isEqualTo(3);
  }

  @Test
  void readStateInASharedMailboxIsKeptPerReader() {
    String box = "desk-" + alice.id();
    String id = text(api.as(alice).sendOk(plain(box, "who takes this?")), "id");
    String path = "/v1/mailboxes/" + box + "/messages";

    Instant before = Instant.now().minusSeconds(5);
    assertThat(api.as(bob).post("/v1/messages/" + id + "/read", null).status()).isEqualTo(204);

    assertThat(readAt(bob, path, id)).hasValueSatisfying(t -> assertThat(t).isAfter(before));
    assertThat(readAt(carol, path, id)).isEmpty();
    assertThat(readAt(alice, path, id)).isEmpty();
    assertThat(api.as(carol).listIds(path, Query.of("unread", "true"), 50)).containsExactly(id);
    assertThat(api.as(bob).listIds(path, Query.of("unread", "true"), 50)).isEmpty();
    assertThat(api.as(bob).listIds(path, Query.of("unread", "false"), 50)).containsExactly(id);
    assertThat(readers(carol, id)).containsExactly(bob.id());

    assertThat(api.as(carol).post("/v1/messages/" + id + "/read", null).status()).isEqualTo(204);
    assertThat(readers(alice, id)).containsExactlyInAnyOrder(bob.id(), carol.id());
    assertThat(readAt(bob, path, id)).isPresent();
  }

  @Test
  void theReadersOfAMessageSayWhoReadItAndWhen() {
    String id = text(api.as(alice).sendOk(plain(bob.id(), "read me")), "id");
    assertThat(readers(alice, id)).isEmpty();

    Instant before = Instant.now().minusSeconds(5);
    api.as(bob).post("/v1/messages/" + id + "/read", null);

    Response r = api.as(alice).get("/v1/messages/" + id + "/readers");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    List<JsonNode> readers = Json.array(r.json(), "readers");
    assertThat(readers).hasSize(1);
    assertThat(text(readers.get(0), "agent_id")).isEqualTo(bob.id());
    Instant readAt = Times.parse(text(readers.get(0), "read_at"));
    assertThat(readAt).isAfter(before).isBefore(Instant.now().plusSeconds(5));
    assertThat(readAt(bob, "/v1/inbox", id)).contains(readAt);
  }

  @Test
  void anUnreadMessageIsListedWithoutReadAt() {
    String id = text(api.as(alice).sendOk(plain(bob.id(), "new")), "id");

    JsonNode item = api.as(bob).listAll("/v1/inbox", Query.NONE, 50).getFirst();
    assertThat(text(item, "id")).isEqualTo(id);
    assertThat(text(item, "read_at")).isNull();
  }

  private static Optional<Instant> readAt(Agent reader, String path, String id) {
    JsonNode item =
        api.as(reader).listAll(path, Query.NONE, 1000).stream()
            .filter(m -> id.equals(text(m, "id")))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError(id + " not listed in " + path + " for " + reader));
    return Optional.ofNullable(text(item, "read_at")).map(Times::parse);
  }

  private static List<String> readers(Agent caller, String id) {
    Response r = api.as(caller).get("/v1/messages/" + id + "/readers");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return Json.array(r.json(), "readers").stream().map(n -> text(n, "agent_id")).toList();
  }
}
