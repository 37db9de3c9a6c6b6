package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An agent sees a topic, in {@code GET /v1/topics} and by name, only if it may read it or subscribe
 * to it; a topic it may not see answers as one that does not exist. Admins see all.
 */
class TopicVisibilityIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final String BASE = "vis" + System.nanoTime();
  private static final String SECRET = BASE + ".secret.plans";
  private static final String OPEN = BASE + ".open";
  private static final String LISTEN_ONLY = BASE + ".listen";

  private static Agent member;
  private static Agent outsider;
  private static Agent listener;

  private static void grant(String grantee, String effect, String resource, String... actions) {
    api.granted(grantee, effect, resource, actions);
  }

  @BeforeAll
  static void topics() {
    member = api.newAgent("member");
    outsider = api.newAgent("outsider");
    listener = api.newAgent("listener");
    grant("*", "deny", BASE + ".secret", "read", "subscribe");
    grant("agent:" + member.id(), "allow", BASE + ".secret", "read", "subscribe");
    grant("*", "deny", LISTEN_ONLY, "read");
    grant("agent:" + listener.id(), "deny", LISTEN_ONLY, "subscribe");
    grant("*", "allow", LISTEN_ONLY, "subscribe");
    for (String name : List.of(SECRET, OPEN, LISTEN_ONLY)) {
      Response r = api.admin().post("/v1/topics", Json.write(Json.object("name", name)));
      assertThat(r.status()).as("%s", r).isEqualTo(201);
    }
    api.as(member)
        .sendOk(
            Json.object(
                "mode",
                "topic",
                "target",
                SECRET,
                "content_type",
                "text/plain",
                "payload",
                "the plan"));
  }

  /** The names of every topic the caller sees, walking every page. */
  private static List<String> visible(ApiClient caller) {
    List<String> names = new ArrayList<>();
    for (JsonNode page : pages(caller)) {
      collect(page.get("topics"), names);
    }
    return names;
  }

  private static List<JsonNode> pages(ApiClient caller) {
    List<JsonNode> pages = new ArrayList<>();
    String cursor = null;
    do {
      Query q = Query.of("prefix", BASE).and("limit", 1);
      Response r = caller.get("/v1/topics", cursor == null ? q : q.and("cursor", cursor));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      pages.add(r.json());
      cursor = Json.text(r.json(), "next_cursor");
    } while (cursor != null);
    return pages;
  }

  private static void collect(JsonNode nodes, List<String> into) {
    for (JsonNode n : nodes) {
      if (n.has("topic")) {
        into.add(Json.text(n.get("topic"), "name"));
      }
      collect(n.get("children"), into);
    }
  }

  @Test
  void anAgentDeniedReadAndSubscribeNeitherListsNorFindsTheTopic() {
    assertThat(visible(api.as(outsider))).containsExactly(LISTEN_ONLY, OPEN);
    for (JsonNode page : pages(api.as(outsider))) {
      assertThat(page.toString()).doesNotContain("secret");
    }

    JsonNode hidden = assertProblem(api.as(outsider).get("/v1/topics/" + SECRET), 404);
    JsonNode missing = assertProblem(api.as(outsider).get("/v1/topics/" + BASE + ".nothing"), 404);
    assertThat(Json.text(hidden, "detail"))
        .isEqualTo(Json.text(missing, "detail").replace(BASE + ".nothing", SECRET));
  }

  @Test
  void anAgentThatMayReadOrSubscribeSeesTheTopic() {
    assertThat(visible(api.as(member))).containsExactly(LISTEN_ONLY, OPEN, SECRET);
    JsonNode topic = api.as(member).get("/v1/topics/" + SECRET).json();
    assertThat(topic.at("/stats/messages").asLong()).isEqualTo(1);
    // May subscribe to it though not read it: sees it.
    assertThat(api.as(outsider).get("/v1/topics/" + LISTEN_ONLY).status()).isEqualTo(200);
  }

  @Test
  void anAgentThatMayNeitherReadNorSubscribeDoesNotSeeIt() {
    assertThat(visible(api.as(listener))).containsExactly(OPEN);
    assertProblem(api.as(listener).get("/v1/topics/" + LISTEN_ONLY), 404);
  }

  @Test
  void adminsSeeEveryTopic() {
    assertThat(visible(api.admin())).containsExactly(LISTEN_ONLY, OPEN, SECRET);
    assertThat(api.admin().get("/v1/topics/" + SECRET).status()).isEqualTo(200);
  }
}
