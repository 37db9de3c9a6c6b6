package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.server.HttpLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/agents}, {@code GET /v1/roles} and {@code GET /v1/messages/{id}/readers} are paged
 * like the other listings ({@code limit} up to {@code mailroom.limits.max-page-size}, here 40;
 * {@code cursor}; {@code next_cursor}), and a role names at most 100 of its members.
 */
class AdminAndReaderPagingIT {
  private static final int MAX_PAGE = 40;

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(b -> b.http(HttpLimits.DEFAULTS.withMaxPageSize(MAX_PAGE)));

  private static final int READERS = 23;

  private static Agent sender;
  private static final List<String> created = new ArrayList<>();
  private static String message = "";
  private static final List<String> readers = new ArrayList<>();

  @BeforeAll
  static void data() {
    sender = api.newAgent("sender");
    created.add(sender.id());
    message = text(api.as(sender).sendOk(plain("desk-" + sender.id(), "who reads this?")), "id");
    for (int i = 0; i < READERS; i++) {
      Agent reader = api.newAgent("reader");
      created.add(reader.id());
      Response r = api.as(reader).post("/v1/messages/" + message + "/read", null);
      assertThat(r.status()).as("%s", r).isEqualTo(204);
      readers.add(reader.id());
    }
    for (int i = 0; i < 22; i++) {
      created.add(api.newAgent("more").id());
    }
  }

  private static List<String> readersPath() {
    return List.of("/v1/messages/" + message + "/readers");
  }

  @Test
  void agentsArePagedByIdWithoutGapsOrRepeats() {
    List<String> seen =
        api.admin().listAll("/v1/agents", Query.NONE, 7, "agents").stream()
            .map(a -> text(a, "id"))
            .toList();

    assertThat(seen).isSorted().doesNotHaveDuplicates().containsAll(created);
    assertThat(seen.size()).isGreaterThan(MAX_PAGE);
    JsonNode first = api.admin().get("/v1/agents").json();
    assertThat(Json.array(first, "agents")).hasSize(MAX_PAGE);
    assertThat(text(first, "next_cursor")).isNotBlank();
  }

  @Test
  void readersArePagedByReadTimeThenReaderWithoutGapsOrRepeats() {
    List<JsonNode> seen =
        api.as(sender).listAll(readersPath().getFirst(), Query.NONE, 4, "readers");

    assertThat(seen.stream().map(r -> text(r, "agent_id")))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(readers);
    assertThat(seen)
        .isSortedAccordingTo(
            Comparator.comparing((JsonNode r) -> Instant.parse(text(r, "read_at")))
                .thenComparing(r -> text(r, "agent_id")));
  }

  @Test
  void rolesArePagedBuiltInOnesFirstThenByName() {
    List<String> custom = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String name = "team-" + (char) ('z' - i);
      Response r = api.admin().post("/v1/roles", Json.write(Map.of("name", name)));
      assertThat(r.status()).as("%s", r).isEqualTo(201);
      custom.add(name);
    }

    List<String> seen =
        api.admin().listAll("/v1/roles", Query.NONE, 2, "roles").stream()
            .map(r -> text(r, "name"))
            .toList();

    assertThat(seen).doesNotHaveDuplicates().startsWith("admin", "agent", "observer");
    assertThat(seen.subList(3, seen.size())).isSorted().containsAll(custom);
  }

  @Test
  void aRoleNamesItsFirstHundredMembersAndCountsThemAll() {
    String role = "crowd";
    assertThat(api.admin().post("/v1/roles", Json.write(Map.of("name", role))).status())
        .isEqualTo(201);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      members.add(api.newAgent("crowd", "roles", List.of(role)).id());
    }

    JsonNode crowd =
        api.admin().listAll("/v1/roles", Query.NONE, MAX_PAGE, "roles").stream()
            .filter(r -> text(r, "name").equals(role))
            .findFirst()
            .orElseThrow();

    assertThat(crowd.path("member_count").asInt()).isEqualTo(105);
    assertThat(Json.array(crowd, "members").stream().map(JsonNode::asString))
        .isEqualTo(members.stream().sorted().limit(100).toList());
    JsonNode refused = assertProblem(api.admin().delete("/v1/roles/" + role), 409);
    assertThat(text(refused, "detail")).endsWith(" and 95 more").hasSizeLessThan(1000);
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(strings = {"/v1/agents", "/v1/roles", "readers"})
  void aPageLargerThanTheMaximumIsRefused(String path) {
    ApiClient caller = path.equals("readers") ? api.as(sender) : api.admin();
    String p = path.equals("readers") ? readersPath().getFirst() : path;

    assertThat(caller.get(p, Query.of("limit", MAX_PAGE)).status()).isEqualTo(200);
    JsonNode problem = assertInvalid(caller.get(p, Query.of("limit", MAX_PAGE + 1)), "limit");
    assertThat(text(problem, "detail")).contains("between 1 and " + MAX_PAGE);
    assertInvalid(caller.get(p, Query.of("limit", 0)), "limit");
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(strings = {"/v1/agents", "/v1/roles", "readers"})
  void aCursorThatIsNotOneOfTheListingIsRefused(String path) {
    ApiClient caller = path.equals("readers") ? api.as(sender) : api.admin();
    String p = path.equals("readers") ? readersPath().getFirst() : path;
    String subscriptions =
        text(
            api.as(sender)
                .post("/v1/subscriptions", Json.write(Map.of("pattern", "elsewhere.*")))
                .json(),
            "id");
    assertThat(subscriptions).isNotBlank();
    api.as(sender).post("/v1/subscriptions", Json.write(Map.of("pattern", "elsewhere.**")));
    String otherListing =
        text(api.as(sender).get("/v1/subscriptions", Query.of("limit", 1)).json(), "next_cursor");

    assertInvalid(caller.get(p, Query.of("cursor", "not-a-cursor")), "cursor");
    assertInvalid(caller.get(p, Query.of("cursor", otherListing)), "cursor");
    assertInvalid(caller.get(p, Query.of("x", 1)), "x");
  }
}
