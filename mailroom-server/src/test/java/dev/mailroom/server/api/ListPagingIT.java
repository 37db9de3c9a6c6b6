package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.server.HttpLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/subscriptions} and {@code GET /v1/topics} are paged like every other listing
 * ({@code limit}, {@code cursor}, {@code next_cursor}), and every listing refuses a page larger
 * than {@code mailroom.limits.max-page-size} (here 40) and serves pages of at most that size.
 */
class ListPagingIT {
  private static final int MAX_PAGE = 40;

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(b -> b.http(HttpLimits.DEFAULTS.withMaxPageSize(MAX_PAGE)));

  private static final String BASE = "paged" + System.nanoTime();
  private static final int TOPICS = 45;

  private static Agent agent;
  private static List<String> subscriptionIds;
  private static List<String> topicNames;

  @BeforeAll
  static void data() {
    agent = api.newAgent("pager");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      Response r =
          api.as(agent)
              .post(
                  "/v1/subscriptions",
                  Json.write(Json.object("pattern", BASE + ".sub" + i + ".*")));
      assertThat(r.status()).as("%s", r).isEqualTo(201);
      ids.add(Json.text(r.json(), "id"));
    }
    subscriptionIds = ids.stream().sorted().toList();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < TOPICS; i++) {
      String name = BASE + "." + (char) ('a' + i % 5) + ".t" + i;
      Response r = api.as(agent).post("/v1/topics", Json.write(Json.object("name", name)));
      assertThat(r.status()).as("%s", r).isEqualTo(201);
      names.add(name);
    }
    topicNames = names.stream().sorted().toList();
  }

  private static List<String> topicsOf(JsonNode nodes) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : nodes) {
      if (n.has("topic")) {
        out.add(Json.text(n.get("topic"), "name"));
      }
      out.addAll(topicsOf(n.get("children")));
    }
    return out;
  }

  @Test
  void subscriptionsArePagedByIdWithoutGapsOrRepeats() {
    List<String> seen =
        api.as(agent).listAll("/v1/subscriptions", Query.NONE, 7, "subscriptions").stream()
            .map(s -> Json.text(s, "id"))
            .toList();

    assertThat(seen).isEqualTo(subscriptionIds);
  }

  @Test
  void aListingWithoutLimitServesTheDefaultPageAndSaysThereIsMore() {
    // The default page (50) is larger than this server's largest (40): it serves the largest.
    JsonNode page = api.as(agent).get("/v1/subscriptions").json();

    assertThat(Json.array(page, "subscriptions")).hasSize(40);
    assertThat(Json.text(page, "next_cursor")).isNotBlank();
    JsonNode last = api.as(agent).get("/v1/subscriptions", Query.of("limit", 40)).json();
    JsonNode rest =
        api.as(agent)
            .get("/v1/subscriptions", Query.of("cursor", Json.text(last, "next_cursor")))
            .json();
    assertThat(Json.array(rest, "subscriptions")).hasSize(5);
    assertThat(rest.has("next_cursor")).isTrue();
    assertThat(Json.text(rest, "next_cursor")).isNull();
  }

  @Test
  void topicsArePagedByNameAsATreeOfEachPage() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Query q = Query.of("prefix", BASE + ".").and("limit", 10);
      JsonNode page =
          api.as(agent).get("/v1/topics", cursor == null ? q : q.and("cursor", cursor)).json();
      List<String> names = topicsOf(page.get("topics"));
      assertThat(names.size()).isLessThanOrEqualTo(10);
      seen.addAll(names);
      cursor = Json.text(page, "next_cursor");
      pages++;
    } while (cursor != null);

    assertThat(seen).isEqualTo(topicNames);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void aPrefixListsOnlyTheTopicsUnderIt() {
    JsonNode page =
        api.as(agent).get("/v1/topics", Query.of("prefix", BASE + ".b.").and("limit", 40)).json();

    assertThat(topicsOf(page.get("topics")))
        .isEqualTo(topicNames.stream().filter(n -> n.startsWith(BASE + ".b.")).toList())
        .hasSize(9);
    assertThat(Json.text(page, "next_cursor")).isNull();
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(
      strings = {
        "/v1/subscriptions",
        "/v1/topics",
        "/v1/inbox",
        "/v1/mailboxes/" + "somewhere" + "/messages",
        "/v1/dlq",
        "/v1/audit"
      })
  void everyListingRefusesAPageLargerThanTheMaximum(String path) {
    ApiClient caller = path.equals("/v1/audit") ? api.admin() : api.as(agent);

    assertThat(caller.get(path, Query.of("limit", MAX_PAGE)).status()).isIn(200, 404);
    JsonNode problem = assertInvalid(caller.get(path, Query.of("limit", MAX_PAGE + 1)), "limit");
    assertThat(Json.text(problem, "detail")).contains("between 1 and " + MAX_PAGE);
  }

  @Test
  void aCursorOfAnotherListingIsRefused() {
    String subscriptionsCursor =
        Json.text(
            api.as(agent).get("/v1/subscriptions", Query.of("limit", 1)).json(), "next_cursor");
    String topicsCursor =
        Json.text(
            api.as(agent).get("/v1/topics", Query.of("prefix", BASE).and("limit", 1)).json(),
            "next_cursor");

    assertInvalid(
        api.as(agent).get("/v1/topics", Query.of("cursor", subscriptionsCursor)), "cursor");
    assertInvalid(
        api.as(agent).get("/v1/subscriptions", Query.of("cursor", topicsCursor)), "cursor");
    assertInvalid(api.as(agent).get("/v1/inbox", Query.of("cursor", topicsCursor)), "cursor");
    assertInvalid(api.as(agent).get("/v1/topics", Query.of("cursor", "not-a-cursor")), "cursor");
  }

  @ParameterizedTest(name = "?{0}")
  @ValueSource(strings = {"limit=0", "limit=x", "prefix=a%20b", "prefix=", "order=desc", "x=1"})
  void aBadParameterOfTheTopicListIsA400NamingIt(String parameter) {
    String name = parameter.substring(0, parameter.indexOf('='));

    assertInvalid(api.as(agent).get("/v1/topics?" + parameter), name);
    if (!name.equals("prefix")) {
      assertInvalid(api.as(agent).get("/v1/subscriptions?" + parameter), name);
    }
  }
}
