package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.mailroom.server.MailroomServer;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The audit log over HTTP: one record per request of every kind, with its request id and outcome;
 * filters and paging; verification, and a stored record edited behind the server's back.
 */
class AuditIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final Duration WRITTEN = Duration.ofSeconds(10);

  @Test
  void everyKindOfRequestLeavesOneRecordWithItsRequestIdAndOutcome() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    ApiClient caller = api.as(alice);

    Response sent = caller.send(plain(bob.id(), "hi"));
    Response broadcast =
        caller.send(
            Json.object("mode", "broadcast", "content_type", "text/plain", "payload", "all"));
    Response unknownMessage = caller.get("/v1/messages/0000000000000");
    Response badLimit = caller.get("/v1/inbox", Query.of("limit", "0"));
    Response notAdmin = caller.get("/v1/audit");
    Response unknownRoute = caller.get("/v1/nowhere/" + alice.id());
    Response noToken = api.anonymous().get("/v1/inbox/unread_count");

    assertThat(sent.status()).isEqualTo(201);
    assertThat(recordOf(sent, alice.id()))
        .containsEntry("action", "POST /v1/messages")
        .containsEntry("resource", bob.id())
        .containsEntry("status", "201")
        .containsEntry("outcome", "ok")
        .containsEntry("detail", null);
    assertThat(recordOf(broadcast, alice.id()))
        .containsEntry("resource", "*")
        .containsEntry("outcome", "ok");
    assertProblem(unknownMessage, 404);
    assertThat(recordOf(unknownMessage, alice.id()))
        .containsEntry("action", "GET /v1/messages/{id}")
        .containsEntry("resource", "0000000000000")
        .containsEntry("status", "404")
        .containsEntry("outcome", "invalid")
        .containsEntry("detail", text(unknownMessage.json(), "detail"));
    assertInvalid(badLimit, "limit");
    assertThat(recordOf(badLimit, alice.id()))
        .containsEntry("action", "GET /v1/inbox")
        .containsEntry("resource", "-")
        .containsEntry("status", "400")
        .containsEntry("outcome", "invalid")
        .containsEntry("detail", text(badLimit.json(), "detail"));
    assertProblem(notAdmin, 403);
    assertThat(recordOf(notAdmin, alice.id()))
        .containsEntry("action", "GET /v1/audit")
        .containsEntry("status", "403")
        .containsEntry("outcome", "denied")
        .containsEntry("detail", "only an admin may read the audit log");
    assertProblem(unknownRoute, 404);
    assertThat(recordOf(unknownRoute, "-"))
        .containsEntry("action", "GET unmatched")
        .containsEntry("resource", "/v1/nowhere/" + alice.id())
        .containsEntry("outcome", "invalid");
    assertProblem(noToken, 401);
    assertThat(recordOf(noToken, "-"))
        .containsEntry("action", "GET /v1/inbox/unread_count")
        .containsEntry("status", "401")
        .containsEntry("outcome", "denied")
        .containsEntry("detail", text(noToken.json(), "detail"));
  }

  @Test
  void creatingAnAgentNamesItAndNeverRecordsItsToken() {
    Agent carol = api.newAgent("carol");

    List<Map<String, String>> created =
        await()
            .atMost(WRITTEN)
            .until(
                () -> records(Query.of("actor", "admin").and("resource", carol.id())),
                l -> !l.isEmpty());

    assertThat(created)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r)
                    .containsEntry("action", "POST /v1/agents")
                    .containsEntry("status", "201"));
    assertThat(rawRecords(Query.of("resource", carol.id()))).doesNotContain(carol.token());
  }

  @Test
  void streamsAreRecordedWhenTheyOpenAndRefusedUpgradesToo() {
    Agent streamer = api.newAgent("streamer");

    try (StreamClient sse =
        StreamClient.sse(api.as(streamer), api.baseUri(), streamer.token(), "", null)) {
      assertThat(sse.next().json().path("type").asString()).isEqualTo("connected");
      assertThat(awaitRecords(Query.of("actor", streamer.id()).and("action", "GET /v1/stream"), 1))
          .singleElement()
          .satisfies(r -> assertThat(r).containsEntry("status", "200"));
    }
    try (StreamClient ws = StreamClient.webSocket(api.baseUri(), streamer.token(), "")) {
      assertThat(ws.next().json().path("type").asString()).isEqualTo("connected");
      assertThat(awaitRecords(Query.of("actor", streamer.id()).and("action", "GET /v1/stream"), 2))
          .extracting(r -> r.get("status"))
          .containsExactly("200", "101");
    }
    String refused = refusedUpgradeRequestId();
    assertThat(recordOf(refused, "-"))
        .containsEntry("action", "GET /v1/stream")
        .containsEntry("status", "401")
        .containsEntry("outcome", "denied");
  }

  @Test
  void filtersAndPagesNarrowTheRecords() {
    Agent pager = api.newAgent("pager");
    for (int i = 0; i < 5; i++) {
      assertThat(api.as(pager).get("/v1/inbox/unread_count").status()).isEqualTo(200);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(api.as(pager).get("/v1/inbox", Query.of("order", "sideways")).status())
          .isEqualTo(400);
    }
    Query mine = Query.of("actor", pager.id());
    List<Map<String, String>> all = awaitRecords(mine, 7);

    assertThat(pages(mine.and("limit", 3))).containsExactly(3, 3, 1);
    assertThat(records(mine.and("limit", 3))).isEqualTo(all);
    assertThat(records(mine.and("order", "desc").and("limit", 2))).isEqualTo(all.reversed());
    assertThat(records(mine.and("outcome", "invalid")))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r).containsEntry("action", "GET /v1/inbox"));
    assertThat(records(mine.and("action", "GET /v1/inbox/unread_count"))).hasSize(5);
    String at = all.get(5).get("at");
    assertThat(records(mine.and("since", at)))
        .isEqualTo(all.stream().filter(r -> !instant(r).isBefore(Instant.parse(at))).toList());
    assertThat(records(mine.and("until", at)))
        .isEqualTo(all.stream().filter(r -> instant(r).isBefore(Instant.parse(at))).toList());
    assertThat(records(Query.of("actor", "nobody-at-all"))).isEmpty();
  }

  @Test
  void badParametersAreRefusedNamingEachOne() {
    ApiClient admin = api.admin();
    String ascCursor = text(admin.get("/v1/audit", Query.of("limit", 1)).json(), "next_cursor");

    assertInvalid(
        admin.get(
            "/v1/audit",
            Query.of("outcome", "maybe")
                .and("since", "yesterday")
                .and("limit", 1001)
                .and("order", "up")
                .and("colour", "red")),
        "outcome",
        "since",
        "limit",
        "order",
        "colour");
    assertInvalid(admin.get("/v1/audit", Query.of("cursor", "garbage")), "cursor");
    assertInvalid(
        admin.get("/v1/audit", Query.of("cursor", ascCursor).and("order", "desc")), "cursor");
    assertInvalid(admin.get("/v1/audit", Query.of("actor", "")), "actor");
    assertInvalid(admin.get("/v1/audit", Query.of("cursor", messageCursor())), "cursor");
  }

  @Test
  void onlyAdminsReadOrVerify() {
    Agent agent = api.newAgent("curious");

    assertProblem(api.as(agent).get("/v1/audit/verify"), 403);
    assertProblem(api.anonymous().get("/v1/audit/verify"), 401);
    assertProblem(api.anonymous().withAuthorization("Bearer mr_nope").get("/v1/audit"), 401);
  }

  @Test
  void theChainsVerify() {
    Response r = api.admin().get("/v1/audit/verify");

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode v = r.json();
    assertThat(v.path("ok").asBoolean()).as("%s", r).isTrue();
    assertThat(Json.array(v, "chains"))
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c.path("ok").asBoolean()).isTrue();
              assertThat(c.path("problem").isNull()).isTrue();
              assertThat(c.path("records").asLong()).isPositive();
              assertThat(c.path("first_index").asLong()).isZero();
            });
  }

  @Test
  void editingAStoredRecordBehindTheServersBackBreaksItsChain() throws SQLException {
    assumeFalse(MailroomApi.onRedis(), "edits the SQLite file; the Redis case is tested elsewhere");
    Agent victim = api.newAgent("victim");
    Map<String, String> record =
        recordOf(api.as(victim).get("/v1/inbox/unread_count"), victim.id());
    String chain = record.get("chain");
    long index = Long.parseLong(record.get("index"));

    try (Connection db =
        DriverManager.getConnection(
            "jdbc:sqlite:" + api.dataDir().resolve(MailroomServer.SQLITE_FILE))) {
      db.createStatement().execute("PRAGMA busy_timeout = 10000");
      try {
        assertThat(setActor(db, chain, index, "mallory")).isOne();

        JsonNode v = api.admin().get("/v1/audit/verify").json();

        assertThat(v.path("ok").asBoolean()).isFalse();
        assertThat(Json.array(v, "chains"))
            .filteredOn(c -> chain.equals(text(c, "chain")))
            .singleElement()
            .satisfies(
                c -> {
                  assertThat(c.path("ok").asBoolean()).isFalse();
                  assertThat(c.path("problem").path("index").asLong()).isEqualTo(index);
                  assertThat(text(c.path("problem"), "reason"))
                      .isEqualTo("the hash does not match the record's fields");
                });
      } finally {
        setActor(db, chain, index, victim.id());
      }
    }
    assertThat(api.admin().get("/v1/audit/verify").json().path("ok").asBoolean()).isTrue();
  }

  private static int setActor(Connection db, String chain, long index, String actor)
      throws SQLException {
    try (PreparedStatement update =
        db.prepareStatement("UPDATE audit SET actor = ? WHERE chain = ? AND idx = ?")) {
      update.setString(1, actor);
      update.setString(2, chain);
      update.setLong(3, index);
      return update.executeUpdate();
    }
  }

  // ----- helpers -----

  private static Instant instant(Map<String, String> record) {
    return Instant.parse(record.get("at"));
  }

  /** The one record of the request answered with {@code r}, once it is written. */
  private static Map<String, String> recordOf(Response r, String actor) {
    return recordOf(r.header("X-Request-Id").orElseThrow(), actor);
  }

  private static Map<String, String> recordOf(String requestId, String actor) {
    List<Map<String, String>> found =
        await()
            .atMost(WRITTEN)
            .until(
                () ->
                    records(Query.of("actor", actor)).stream()
                        .filter(x -> requestId.equals(x.get("request_id")))
                        .toList(),
                l -> !l.isEmpty());
    assertThat(found).as("records of request %s", requestId).hasSize(1);
    return found.getFirst();
  }

  /** The records matching {@code q}, once there are {@code n}; insists there are not more. */
  private static List<Map<String, String>> awaitRecords(Query q, int n) {
    List<Map<String, String>> found =
        await().atMost(WRITTEN).until(() -> records(q), l -> l.size() >= n);
    assertThat(found).hasSize(n);
    return found;
  }

  /** Every record matching {@code q}, following next_cursor, each as field → text. */
  private static List<Map<String, String>> records(Query q) {
    List<Map<String, String>> all = new ArrayList<>();
    for (JsonNode page : pagesOf(q)) {
      for (JsonNode r : Json.array(page, "records")) {
        Map<String, String> fields = new LinkedHashMap<>();
        r.propertyNames().forEach(name -> fields.put(name, text(r, name)));
        all.add(fields);
      }
    }
    return all;
  }

  private static List<Integer> pages(Query q) {
    return pagesOf(q).stream().map(p -> Json.array(p, "records").size()).toList();
  }

  private static String rawRecords(Query q) {
    return pagesOf(q).toString();
  }

  private static List<JsonNode> pagesOf(Query q) {
    List<JsonNode> pages = new ArrayList<>();
    String cursor = null;
    do {
      Response r = api.admin().get("/v1/audit", cursor == null ? q : q.and("cursor", cursor));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      JsonNode page = r.json();
      assertThat(page.has("next_cursor")).as("%s", r).isTrue();
      cursor = text(page, "next_cursor");
      pages.add(page);
      assertThat(pages).as("paging must end").hasSizeLessThan(10_000);
    } while (cursor != null);
    return pages;
  }

  /** A listing cursor of messages, which the audit route must not take for its own. */
  private static String messageCursor() {
    Agent reader = api.newAgent("reader");
    ApiClient writer = api.as(api.newAgent("writer"));
    writer.sendOk(plain(reader.id(), "1"));
    writer.sendOk(plain(reader.id(), "2"));
    return text(api.as(reader).get("/v1/inbox", Query.of("limit", 1)).json(), "next_cursor");
  }

  /** Opens a WebSocket with a wrong token and returns the refusal's request id. */
  private static String refusedUpgradeRequestId() {
    try (var http = ApiClient.newHttpClient()) {
      http.newWebSocketBuilder()
          .header("Authorization", "Bearer mr_wrong")
          .buildAsync(
              URI.create("ws://" + api.baseUri().getAuthority() + "/v1/stream"),
              new WebSocket.Listener() {})
          .join();
      throw new AssertionError("a WebSocket with a wrong token was accepted");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      var response = ((WebSocketHandshakeException) e.getCause()).getResponse();
      assertThat(response.statusCode()).isEqualTo(401);
      return response.headers().firstValue("X-Request-Id").orElseThrow();
    }
  }
}
