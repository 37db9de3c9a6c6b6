package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Permission rules, roles and the token lifecycle through the admin API, and their effect on
 * requests and on open streams.
 */
class AccessControlIT {
  private static final MutableClock CLOCK = MutableClock.of(Instant.now());

  @RegisterExtension static final MailroomApi api = new MailroomApi(b -> b.clock(CLOCK));

  private static Response grant(String grantee, String effect, String resource, String... actions) {
    return api.grant(grantee, effect, resource, actions);
  }

  private static String granted(String grantee, String effect, String resource, String... actions) {
    return api.granted(grantee, effect, resource, actions);
  }

  private static Map<String, Object> publish(String topic, String text) {
    return Json.object(
        "mode", "topic", "target", topic, "content_type", "text/plain", "payload", text);
  }

  @Test
  void aPrivateTopicIsReadAndWrittenOnlyByItsMembers() {
    Agent member = api.newAgent("member");
    Agent outsider = api.newAgent("outsider");
    String topic = "private" + System.nanoTime() + ".plans";
    String base = topic.substring(0, topic.indexOf('.'));
    granted("*", "deny", base, "read", "write", "subscribe");
    granted("agent:" + member.id(), "allow", base, "read", "write", "subscribe");

    String id = Json.text(api.as(member).sendOk(publish(topic, "secret")), "id");

    assertProblem(api.as(outsider).send(publish(topic, "let me in")), 403);
    assertProblem(api.as(outsider).get("/v1/messages/" + id), 403);
    assertProblem(api.as(outsider).get("/v1/mailboxes/" + topic + "/messages"), 403);
    Response sub =
        api.as(outsider)
            .post("/v1/subscriptions", Json.write(Json.object("pattern", base + ".**")));
    assertProblem(sub, 403);
    assertThat(api.as(member).get("/v1/mailboxes/" + topic + "/messages").status()).isEqualTo(200);
    assertThat(api.as(member).get("/v1/messages/" + id).status()).isEqualTo(200);
  }

  @Test
  void explainNamesTheDecidingRule() {
    Agent alice = api.newAgent("alice");
    String topic = "explained" + System.nanoTime();
    String rule = granted("agent:" + alice.id(), "deny", topic, "write");

    JsonNode e =
        api.admin()
            .get(
                "/v1/acl/explain",
                Query.of("agent", alice.id())
                    .and("action", "write")
                    .and("resource", topic + ".sub"))
            .json();

    assertThat(e.get("allowed").asBoolean()).isFalse();
    assertThat(e.get("rule").get("id").asString()).isEqualTo(rule);
    assertThat(e.get("reason").asString()).contains(rule);
    JsonNode byDefault =
        api.admin()
            .get(
                "/v1/acl/explain",
                Query.of("agent", alice.id()).and("action", "read").and("resource", topic))
            .json();
    assertThat(byDefault.get("allowed").asBoolean()).isTrue();
    assertThat(byDefault.has("rule")).isFalse();
    assertThat(byDefault.get("reason").asString()).contains("by default");
  }

  @Test
  void revokingARuleTakesEffectAtOnce() {
    Agent alice = api.newAgent("alice");
    String topic = "revoked" + System.nanoTime();
    String rule = granted("agent:" + alice.id(), "deny", topic, "write");
    assertProblem(api.as(alice).send(publish(topic, "no")), 403);

    assertThat(api.admin().delete("/v1/acl/" + rule).status()).isEqualTo(204);

    assertThat(api.as(alice).send(publish(topic, "yes")).status()).isEqualTo(201);
    assertProblem(api.admin().delete("/v1/acl/" + rule), 404);
  }

  @Test
  void customRolesGrantToTheirHolders() {
    String role = "reviewers" + (System.nanoTime() % 100_000);
    Response created =
        api.admin().post("/v1/roles", Json.write(Json.object("name", role, "description", "PRs")));
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    Agent reviewer = api.newAgent("rev", "roles", List.of("observer", role));
    String area = "review" + System.nanoTime();
    granted("role:" + role, "allow", area, "write");

    assertThat(api.as(reviewer).send(publish(area + ".pr42", "LGTM")).status()).isEqualTo(201);
    assertProblem(api.as(reviewer).send(publish("elsewhere.x", "no")), 403);
    assertProblem(api.admin().delete("/v1/roles/" + role), 409); // still held
    assertProblem(grant("role:nosuchrole", "allow", "x", "read"), 400);
    Response roles = api.admin().get("/v1/roles");
    assertThat(roles.json().toString()).contains(role).contains(reviewer.id());

    Response demoted =
        api.admin()
            .request(
                "PUT",
                "/v1/agents/" + reviewer.id() + "/roles",
                Json.write(Json.object("roles", List.of("observer"))));
    assertThat(demoted.status()).as("%s", demoted).isEqualTo(200);
    assertProblem(api.as(reviewer).send(publish(area + ".pr43", "no longer")), 403);
    assertThat(api.admin().delete("/v1/roles/" + role).status()).isEqualTo(204);
    assertProblem(api.admin().delete("/v1/roles/agent"), 409);
  }

  @Test
  void revokingReadStopsWhatAStreamDelivers() {
    Agent writer = api.newAgent("writer");
    Agent reader = api.newAgent("reader");
    String base = "watched" + System.nanoTime();
    Streams.subscribe(api.as(reader), base + ".**", true);
    try (StreamClient.Ws ws = Streams.connect(api, reader, "")) {
      String first = Streams.publish(api.as(writer), base + ".a", "before");
      assertThat(ws.messageIds(1)).containsExactly(first);

      granted("agent:" + reader.id(), "deny", base, "read");
      Streams.publish(api.as(writer), base + ".b", "after");

      ws.assertQuiet(Duration.ofSeconds(1));
      // What it could read before is out of its inbox too, while it may not read there.
      assertThat(api.as(reader).listIds("/v1/inbox", Query.NONE, 50)).isEmpty();
      assertProblem(api.as(reader).get("/v1/messages/" + first), 403);
    }
  }

  @Test
  void revokingATokenEndsItsOpenStreamAndItsRequests() {
    Agent agent = api.newAgent("revoked");
    try (StreamClient.Ws ws = Streams.connect(api, agent, "")) {
      assertThat(api.as(agent).delete("/v1/agents/" + agent.id() + "/token").status())
          .isEqualTo(204);

      await().atMost(Duration.ofSeconds(1)).until(() -> ws.closeCode() != null);
    }
    assertProblem(api.as(agent).get("/v1/inbox"), 401);
  }

  @Test
  void aRotatedTokenReplacesTheOldOneAtOnce() {
    Agent agent = api.newAgent("rotating");
    Response rotated = api.as(agent).post("/v1/agents/" + agent.id() + "/token", null);
    assertThat(rotated.status()).as("%s", rotated).isEqualTo(201);
    String fresh = Json.text(rotated.json(), "token");

    assertProblem(api.as(agent).get("/v1/inbox"), 401);
    assertThat(api.as(new Agent(agent.id(), fresh)).get("/v1/inbox").status()).isEqualTo(200);
    Agent other = api.newAgent("other");
    assertProblem(api.as(other).post("/v1/agents/" + agent.id() + "/token", null), 403);
  }

  @Test
  void anExpiredTokenIsRefusedAndEndsItsStream() {
    Agent agent = api.newAgent("shortlived", "token_ttl_seconds", 60);
    assertThat(Json.text(api.admin().get("/v1/agents/" + agent.id()).json(), "token_expires_at"))
        .isNotBlank();
    assertThat(api.as(agent).get("/v1/inbox").status()).isEqualTo(200);

    try (StreamClient.Ws ws = Streams.connect(api, agent, "")) {
      CLOCK.advance(Duration.ofSeconds(61));

      Response expired = api.as(agent).get("/v1/inbox");
      assertProblem(expired, 401);
      assertThat(expired.json().get("detail").asString()).contains("expired");
      await().atMost(Duration.ofSeconds(2)).until(() -> ws.closeCode() != null);
    }
  }

  @Test
  void onlyAdminsManagePermissions() {
    Agent alice = api.newAgent("alice");
    assertProblem(api.as(alice).get("/v1/acl"), 403);
    assertProblem(api.as(alice).get("/v1/roles"), 403);
    assertProblem(api.as(alice).get("/v1/enrollments"), 403);
    assertProblem(grant("*", "maybe", "x", "read"), 400);
    assertProblem(grant("*", "allow", "x", "fly"), 400);
    assertProblem(grant("someone", "allow", "x", "read"), 400);
    assertProblem(grant("*", "allow", "bad*pattern", "read"), 400);
  }
}
