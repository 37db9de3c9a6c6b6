package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The directory: every agent lists and looks up its peers (roles only for admins and itself), edits
 * its own profile, and sees who is online; admins retire agents (their token fails, their mail
 * stays), delete them (gone with their mailbox; what they sent stays) and issue enrollments that
 * register exactly their number of agents.
 */
class DirectoryIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static List<String> ids(ApiClient client, Query query) {
    return client.listAll("/v1/agents", query, 50, "agents").stream()
        .map(a -> a.get("id").asString())
        .toList();
  }

  private static Response putProfile(ApiClient client, Agent agent, Object... fields) {
    return client.put("/v1/agents/" + agent.id() + "/profile", Json.write(Json.object(fields)));
  }

  private static JsonNode lookUp(ApiClient client, Agent agent) {
    Response r = client.get("/v1/agents/" + agent.id());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  @Test
  void aPlainAgentListsAndLooksUpItsPeers() {
    Agent alice = api.newAgent("dir-alice");
    Agent bob =
        api.newAgent(
            "dir-bob",
            "roles",
            List.of("agent"),
            "display_name",
            "Bob the builder",
            "description",
            "Builds things.\nFixes them too.",
            "program",
            "claude-code",
            "model",
            "claude-sonnet",
            "tags",
            List.of("team-build", "ci"));

    List<String> ids = ids(api.as(alice), Query.NONE);
    assertThat(ids).contains(alice.id(), bob.id(), "admin");

    JsonNode seen = lookUp(api.as(alice), bob);
    assertThat(seen.get("display_name").asString()).isEqualTo("Bob the builder");
    assertThat(seen.get("description").asString()).isEqualTo("Builds things.\nFixes them too.");
    assertThat(seen.get("program").asString()).isEqualTo("claude-code");
    assertThat(seen.get("model").asString()).isEqualTo("claude-sonnet");
    assertThat(Json.array(seen, "tags"))
        .extracting(JsonNode::asString)
        .containsExactly("ci", "team-build");
    assertThat(seen.get("online").asBoolean()).isFalse();
    assertThat(seen.has("created_at")).isTrue();
    // Roles are for admins and the agent itself.
    assertThat(seen.has("roles")).isFalse();
    assertThat(lookUp(api.as(bob), bob).has("roles")).isTrue();
    assertThat(lookUp(api.admin(), bob).get("roles").get(0).asString()).isEqualTo("agent");
    // The agent was seen when it authenticated (written by the next presence refresh).
    await().atMost(Duration.ofSeconds(20)).until(() -> lookUp(api.as(bob), alice).has("last_seen"));
  }

  @Test
  void theListingFiltersByTagPrefixAndRetirement() {
    Agent alice = api.newAgent("dir-filter");
    Agent tagged = api.newAgent("dir-tagged", "roles", List.of("agent"), "tags", List.of("rare"));
    Agent named =
        api.newAgent("dir-named", "roles", List.of("agent"), "display_name", "Zebra Unique");

    assertThat(ids(api.as(alice), Query.of("tag", "rare"))).containsExactly(tagged.id());
    assertThat(ids(api.as(alice), Query.of("q", "zebra u"))).containsExactly(named.id());
    assertThat(ids(api.as(alice), Query.of("q", "dir-name"))).containsExactly(named.id());
    assertThat(ids(api.as(alice), Query.of("retired", "false"))).contains(alice.id());

    assertInvalid(api.as(alice).get("/v1/agents", Query.of("online", "maybe")), "online");
    assertInvalid(api.as(alice).get("/v1/agents", Query.of("tag", "not a tag")), "tag");
    assertInvalid(api.as(alice).get("/v1/agents", Query.of("colour", "red")), "colour");
  }

  @Test
  void anAgentReplacesItsOwnProfileAndNobodyElses() {
    Agent alice = api.newAgent("dir-edit");
    Agent bob = api.newAgent("dir-other");

    Response edited =
        putProfile(api.as(alice), alice, "display_name", "Alice", "tags", List.of("reviewer"));
    assertThat(edited.status()).as("%s", edited).isEqualTo(200);
    assertThat(edited.json().get("display_name").asString()).isEqualTo("Alice");

    Response replaced = putProfile(api.as(alice), alice, "model", "gpt");
    assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
    JsonNode now = lookUp(api.as(bob), alice);
    assertThat(now.has("display_name")).isFalse();
    assertThat(now.get("model").asString()).isEqualTo("gpt");
    assertThat(Json.array(now, "tags")).isEmpty();

    assertProblem(putProfile(api.as(bob), alice, "model", "mine"), 403);
    assertThat(lookUp(api.as(bob), alice).get("model").asString()).isEqualTo("gpt");
    Response byAdmin = putProfile(api.admin(), alice, "model", "set by admin");
    assertThat(byAdmin.status()).as("%s", byAdmin).isEqualTo(200);
  }

  @Test
  void aBadProfileIsRefusedNamingTheFieldAndChangesNothing() {
    Agent alice = api.newAgent("dir-bad");
    ApiClient as = api.as(alice);

    assertInvalid(putProfile(as, alice, "display_name", "a\u0007b"), "display_name");
    assertInvalid(putProfile(as, alice, "description", "x".repeat(1001)), "description");
    assertInvalid(putProfile(as, alice, "tags", List.of("ok", "no way")), "tags[1]");
    assertInvalid(putProfile(as, alice, "model", 5), "model");
    assertInvalid(putProfile(as, alice, "roles", List.of("admin")), "roles");
    assertInvalid(putProfile(as, alice, "program", "  "), "program");

    JsonNode unchanged = lookUp(api.as(alice), alice);
    assertThat(unchanged.has("display_name")).isFalse();
    assertThat(Json.array(unchanged, "tags")).isEmpty();
    assertThat(unchanged.get("roles").get(0).asString()).isEqualTo("agent");
  }

  @Test
  void anAgentIsOnlineWhileItsStreamIsOpen() {
    Agent alice = api.newAgent("dir-online");
    Agent watcher = api.newAgent("dir-watcher");

    try (var stream = Streams.connect(api, alice, "")) {
      await()
          .atMost(Duration.ofSeconds(1))
          .until(() -> lookUp(api.as(watcher), alice).get("online").asBoolean());
      assertThat(ids(api.as(watcher), Query.of("online", "true"))).contains(alice.id());
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !lookUp(api.as(watcher), alice).get("online").asBoolean());
  }

  @Test
  void aRetiredAgentsTokenFailsAndItsMailRemains() {
    Agent alice = api.newAgent("dir-sender");
    Agent bob = api.newAgent("dir-retiring");
    String sent = Streams.direct(api.as(alice), bob, "kept for the record");

    Response retired = api.admin().post("/v1/agents/" + bob.id() + "/retire", null);
    assertThat(retired.status()).as("%s", retired).isEqualTo(200);
    assertThat(retired.json().has("retired_at")).isTrue();

    assertProblem(api.as(bob).get("/v1/inbox"), 401);
    Response mail = api.admin().get("/v1/mailboxes/" + bob.id() + "/messages");
    assertThat(mail.status()).as("%s", mail).isEqualTo(200);
    assertThat(Json.array(mail.json(), "messages"))
        .extracting(m -> m.get("id").asString())
        .contains(sent);
    assertThat(lookUp(api.as(alice), bob).has("retired_at")).isTrue();
    assertThat(ids(api.as(alice), Query.of("retired", "true"))).contains(bob.id());
    // A retired agent gets no new token.
    assertProblem(api.admin().post("/v1/agents/" + bob.id() + "/token", null), 409);
    assertProblem(api.as(alice).post("/v1/agents/" + alice.id() + "/retire", null), 403);
    assertProblem(api.admin().post("/v1/agents/nobody-here/retire", null), 404);
  }

  @Test
  void aDeletedAgentIsGoneWithItsMailboxWhileWhatItSentStays() {
    Agent alice = api.newAgent("dir-keeper");
    Agent bob = api.newAgent("dir-deleted");
    String fromBob = Streams.direct(api.as(bob), alice, "sent before the deletion");
    Streams.direct(api.as(alice), bob, "for bob only");
    // Its token was just used, so this node has it cached.
    assertThat(api.as(bob).get("/v1/inbox").status()).isEqualTo(200);

    Response deleted = api.admin().delete("/v1/agents/" + bob.id());
    assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);

    assertProblem(api.as(bob).get("/v1/inbox"), 401);
    assertProblem(api.admin().get("/v1/mailboxes/" + bob.id() + "/messages"), 404);
    Response inbox = api.as(alice).get("/v1/inbox");
    assertThat(Json.array(inbox.json(), "messages"))
        .filteredOn(m -> m.get("id").asString().equals(fromBob))
        .singleElement()
        .satisfies(m -> assertThat(m.get("sender").asString()).isEqualTo(bob.id()));
    assertThat(ids(api.as(alice), Query.NONE)).doesNotContain(bob.id());
    assertProblem(api.as(alice).get("/v1/agents/" + bob.id()), 404);
    assertProblem(api.admin().delete("/v1/agents/" + bob.id()), 404);

    // Its id may be registered again: a new agent, with an empty mailbox.
    Response again =
        api.admin()
            .post("/v1/agents", Json.write(Json.object("id", bob.id(), "roles", List.of("agent"))));
    assertThat(again.status()).as("%s", again).isEqualTo(201);
    Agent newBob = new Agent(bob.id(), Json.text(again.json(), "token"));
    assertThat(Json.array(api.as(newBob).get("/v1/inbox").json(), "messages")).isEmpty();
  }

  @Test
  void onlyAnAdminDeletesAnAgentAndNeverItself() {
    Agent alice = api.newAgent("dir-plain");
    Agent carol = api.newAgent("dir-kept");
    Agent second = api.newAgent("dir-second-admin", "roles", List.of("admin"));

    assertProblem(api.as(alice).delete("/v1/agents/" + carol.id()), 403);
    assertProblem(api.admin().delete("/v1/agents/admin"), 409);
    assertProblem(api.as(second).delete("/v1/agents/" + second.id()), 409);
    assertProblem(api.admin().delete("/v1/agents/no%20such%20id"), 400);

    assertThat(lookUp(api.as(alice), carol).get("id").asString()).isEqualTo(carol.id());
    assertThat(api.as(second).get("/v1/inbox").status()).isEqualTo(200);
  }

  @Test
  void anEnrollmentRegistersExactlyItsNumberOfUses() throws Exception {
    Response issued =
        api.admin()
            .post(
                "/v1/enrollments",
                Json.write(Json.object("uses", 3, "ttl_seconds", 600, "id_prefix", "worker-")));
    assertThat(issued.status()).as("%s", issued).isEqualTo(201);
    String secret = Json.text(issued.json(), "token");
    String enrollment = issued.json().at("/enrollment/id").asString();
    ApiClient enroller = api.anonymous().withAuthorization("Bearer " + secret);

    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Response> answers = new ArrayList<>();
    try {
      List<Callable<Response>> tries = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "worker-" + System.nanoTime() + "-" + i;
        tries.add(
            () ->
                enroller.post(
                    "/v1/agents/enroll",
                    Json.write(Json.object("id", id, "display_name", "Worker " + id))));
      }
      for (Future<Response> f : pool.invokeAll(tries)) {
        answers.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    List<Response> created = answers.stream().filter(r -> r.status() == 201).toList();
    assertThat(created).hasSize(3);
    assertThat(answers).filteredOn(r -> r.status() != 201).allSatisfy(r -> assertProblem(r, 401));

    // Each registered agent works with its own token.
    JsonNode first = created.getFirst().json();
    Agent worker = new Agent(Json.text(first, "id"), Json.text(first, "token"));
    assertThat(api.as(worker).get("/v1/whoami").status()).isEqualTo(200);
    assertThat(lookUp(api.as(worker), worker).get("roles").get(0).asString()).isEqualTo("agent");

    JsonNode listed =
        Json.array(api.admin().get("/v1/enrollments").json(), "enrollments").stream()
            .filter(e -> e.get("id").asString().equals(enrollment))
            .findFirst()
            .orElseThrow();
    assertThat(listed.get("remaining").asInt()).isZero();
    assertThat(listed.has("token")).isFalse();
  }

  @Test
  void anEnrollmentIsCheckedAndRevocable() {
    Response issued =
        api.admin()
            .post(
                "/v1/enrollments",
                Json.write(Json.object("uses", 5, "ttl_seconds", 600, "id_prefix", "sub-")));
    String secret = Json.text(issued.json(), "token");
    String id = issued.json().at("/enrollment/id").asString();
    ApiClient enroller = api.anonymous().withAuthorization("Bearer " + secret);

    assertInvalid(
        enroller.post("/v1/agents/enroll", Json.write(Json.object("id", "other-1"))), "id");
    assertInvalid(
        enroller.post(
            "/v1/agents/enroll", Json.write(Json.object("id", "sub-1", "roles", List.of("admin")))),
        "roles");
    assertProblem(
        api.anonymous()
            .withAuthorization("Bearer mre_not-a-real-secret")
            .post("/v1/agents/enroll", Json.write(Json.object("id", "sub-2"))),
        401);
    // An agent's own token is no enrollment secret.
    Agent plain = api.newAgent("dir-plain");
    assertProblem(
        api.as(plain).post("/v1/agents/enroll", Json.write(Json.object("id", "sub-3"))), 401);
    // Only admins issue, list and revoke.
    assertProblem(
        api.as(plain)
            .post("/v1/enrollments", Json.write(Json.object("uses", 1, "ttl_seconds", 60))),
        403);
    assertProblem(api.as(plain).get("/v1/enrollments"), 403);
    assertInvalid(
        api.admin().post("/v1/enrollments", Json.write(Json.object("uses", 0, "ttl_seconds", 60))),
        "uses");
    assertInvalid(
        api.admin().post("/v1/enrollments", Json.write(Json.object("uses", 1))), "ttl_seconds");

    assertThat(api.admin().delete("/v1/enrollments/" + id).status()).isEqualTo(204);
    assertProblem(api.admin().delete("/v1/enrollments/" + id), 404);
    assertProblem(enroller.post("/v1/agents/enroll", Json.write(Json.object("id", "sub-4"))), 401);
  }
}
