package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.server.MailroomServer;
import dev.mailroom.testkit.MutableClock;
import dev.mailroom.testkit.redis.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Every route against every kind of caller, with the exact status each must get. A cell builds its
 * own request (and any fresh resource it needs), so no cell depends on another's outcome. Then the
 * audit log must hold a record of every one of those requests, refusals included, with its status;
 * its chain must verify, and stop verifying once one stored record is edited.
 */
class AuthorizationMatrixIT {
  private static final MutableClock CLOCK = MutableClock.of(Instant.now());

  @RegisterExtension static final MailroomApi api = new MailroomApi(b -> b.clock(CLOCK));

  /** The callers, in the order of each row's statuses. */
  enum Who {
    ADMIN,
    OWNER,
    OTHER,
    OBSERVER,
    NO_TOKEN,
    MALFORMED,
    REVOKED,
    EXPIRED
  }

  private record Request(String method, String path, @Nullable String body, String... headers) {}

  /**
   * One route: how each caller's request is made, and the statuses of admin, owner, other,
   * observer.
   */
  private record Row(String route, Function<Who, Request> request, int... statuses) {}

  private static final AtomicInteger FRESH = new AtomicInteger();
  private static final String PART = "ten bytes!";
  private static String toOwner;
  private static String ownerToOther;
  private static final String TOPICS = "mtx" + System.nanoTime() % 1_000_000;
  private static final String TOPIC = TOPICS + ".main";

  /** A logger no code logs under, whose level the log-level rows set and clear. */
  private static final String MATRIX_LOGGER = "dev.mailroom.test.matrix";

  private static Agent owner;
  private static Agent other;
  private static Agent observer;
  private static Agent revoked;
  private static Agent expired;
  private static String message;
  private static String ownerSubscription;

  @BeforeAll
  static void fixtures() {
    owner = api.newAgent("owner");
    other = api.newAgent("other");
    observer = api.newAgent("observer", "roles", List.of("observer"));
    revoked = api.newAgent("revoked");
    assertThat(api.admin().delete("/v1/agents/" + revoked.id() + "/token").status()).isEqualTo(204);
    expired = api.newAgent("expired", "token_ttl_seconds", 60);
    CLOCK.advance(Duration.ofSeconds(61));
    message = Json.text(api.admin().sendOk(direct(owner.id(), "for the owner")), "id");
    ownerSubscription = subscription(owner);
    toOwner = withAttachment(api.admin(), owner.id());
    ownerToOther = withAttachment(api.as(owner), other.id());
    assertThat(api.admin().post("/v1/topics", Json.write(Json.object("name", TOPIC))).status())
        .isEqualTo(201);
    Response grant =
        api.admin()
            .post(
                "/v1/acl",
                Json.write(
                    Json.object(
                        "grantee",
                        "agent:" + owner.id(),
                        "resource",
                        TOPICS,
                        "actions",
                        List.of("admin"))));
    assertThat(grant.status()).as("%s", grant).isEqualTo(201);
  }

  private static Map<String, Object> direct(String to, String text) {
    return Json.object(
        "mode", "direct", "target", to, "content_type", "text/plain", "payload", text);
  }

  /** A message from {@code sender} to {@code to} carrying a blob of the sender's. */
  private static String withAttachment(ApiClient sender, String to) {
    String blob = upload(sender, true);
    Map<String, Object> send = direct(to, "a file");
    send.put("attachments", List.of(Json.object("blob_id", blob)));
    return Json.text(sender.sendOk(send), "id");
  }

  /** A fresh one-part upload of the caller's: open with no part, or complete. */
  private static String upload(ApiClient uploader, boolean complete) {
    Response r =
        uploader.post(
            "/v1/uploads", Json.write(Json.object("size", PART.length(), "name", "f.txt")));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    String id = Json.text(r.json(), "id");
    if (complete) {
      assertThat(putPart(uploader, id).status()).isEqualTo(200);
      assertThat(uploader.post("/v1/uploads/" + id + "/complete", null).status()).isEqualTo(200);
    }
    return id;
  }

  private static Response putPart(ApiClient uploader, String upload) {
    Request put = partRequest(upload);
    return uploader.request(put.method(), put.path(), put.body(), put.headers());
  }

  private static Request partRequest(String upload) {
    return new Request(
        "PUT",
        "/v1/uploads/" + upload + "/parts/0",
        PART,
        "Content-Type",
        "application/octet-stream",
        "Content-Digest",
        Uploads.contentDigest(PART.getBytes(StandardCharsets.UTF_8)));
  }

  /** A fresh upload of the owner's with its one part stored. */
  private static String partedUpload() {
    String id = upload(api.as(owner), false);
    assertThat(putPart(api.as(owner), id).status()).isEqualTo(200);
    return id;
  }

  private static String subscription(Agent agent) {
    Response r =
        api.as(agent).post("/v1/subscriptions", Json.write(Json.object("pattern", TOPIC + ".x")));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.text(r.json(), "id");
  }

  private static String fresh(String prefix) {
    return prefix + FRESH.incrementAndGet();
  }

  private static @Nullable String authorization(Who who) {
    return switch (who) {
      case ADMIN -> "Bearer " + MailroomApi.ADMIN_TOKEN;
      case OWNER -> "Bearer " + owner.token();
      case OTHER -> "Bearer " + other.token();
      case OBSERVER -> "Bearer " + observer.token();
      case NO_TOKEN -> null;
      case MALFORMED -> "Bearer not a token";
      case REVOKED -> "Bearer " + revoked.token();
      case EXPIRED -> "Bearer " + expired.token();
    };
  }

  private static Request get(String path) {
    return new Request("GET", path, null);
  }

  private static Request post(String path, @Nullable Object body) {
    return new Request("POST", path, body == null ? null : Json.write(body));
  }

  private static Request delete(String path) {
    return new Request("DELETE", path, null);
  }

  private static Request put(String path, Object body) {
    return new Request("PUT", path, Json.write(body));
  }

  /** A fresh agent for token routes: the owner column is that agent acting on itself. */
  private static String tokenTarget(Who who, Map<Who, Agent> callers) {
    Agent target = api.newAgent("target");
    if (who == Who.OWNER) {
      callers.put(Who.OWNER, target);
    }
    return target.id();
  }

  private static String enrollmentToDelete() {
    Response r =
        api.admin().post("/v1/enrollments", Json.write(Json.object("uses", 1, "ttl_seconds", 60)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().at("/enrollment/id").asString();
  }

  private static String ruleToDelete() {
    Response r =
        api.admin()
            .post(
                "/v1/acl",
                Json.write(
                    Json.object(
                        "grantee", "*", "resource", fresh("gone"), "actions", List.of("read"))));
    return Json.text(r.json(), "id");
  }

  private static String roleToDelete() {
    String name = fresh("tmp-role-");
    api.admin().post("/v1/roles", Json.write(Json.object("name", name)));
    return name;
  }

  /** A topic of its own for one cell, below the names the owner administers. */
  /** A fresh reservation of the owner's, in a project of its own. */
  private static String ownersReservation() {
    Response r =
        api.as(owner)
            .post(
                "/v1/reservations",
                Json.write(Json.object("project", fresh("p"), "paths", List.of("src/**"))));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.text(r.json(), "id");
  }

  private static String freshTopic() {
    String name = TOPICS + "." + fresh("t");
    api.admin().post("/v1/topics", Json.write(Json.object("name", name)));
    return name;
  }

  /** A fresh topic the caller has joined (the join fails harmlessly for a bad credential). */
  private static String joinedTopic(Who who) {
    String name = freshTopic();
    api.anonymous()
        .withAuthorization(authorization(who))
        .post("/v1/topics/" + name + "/join", null);
    return name;
  }

  private static List<Row> rows(Map<Who, Agent> callers) {
    return List.of(
        new Row(
            "POST /v1/agents",
            w -> post("/v1/agents", Json.object("id", fresh("new-"))),
            201,
            403,
            403,
            403),
        new Row("GET /v1/agents", w -> get("/v1/agents"), 200, 200, 200, 200),
        new Row("GET /v1/agents/{id}", w -> get("/v1/agents/" + owner.id()), 200, 200, 200, 200),
        new Row(
            "PUT /v1/agents/{id}/profile",
            w -> put("/v1/agents/" + owner.id() + "/profile", Json.object("model", "m")),
            200,
            200,
            403,
            403),
        new Row(
            "POST /v1/agents/{id}/retire",
            w -> post("/v1/agents/" + api.newAgent("retiree").id() + "/retire", null),
            200,
            403,
            403,
            403),
        new Row(
            "DELETE /v1/agents/{id}",
            w -> delete("/v1/agents/" + api.newAgent("deletee").id()),
            204,
            403,
            403,
            403),
        new Row(
            "POST /v1/enrollments",
            w -> post("/v1/enrollments", Json.object("uses", 1, "ttl_seconds", 60)),
            201,
            403,
            403,
            403),
        new Row("GET /v1/enrollments", w -> get("/v1/enrollments"), 200, 403, 403, 403),
        new Row(
            "DELETE /v1/enrollments/{id}",
            w -> delete("/v1/enrollments/" + enrollmentToDelete()),
            204,
            403,
            403,
            403),
        // Only an enrollment secret registers: every agent's token is refused as a wrong one.
        new Row(
            "POST /v1/agents/enroll",
            w -> post("/v1/agents/enroll", Json.object("id", fresh("enrolled-"))),
            401,
            401,
            401,
            401),
        new Row(
            "GET /v1/agents/{id}/stats",
            w -> get("/v1/agents/" + owner.id() + "/stats"),
            200,
            200,
            403,
            403),
        new Row("GET /v1/whoami", w -> get("/v1/whoami"), 200, 200, 200, 200),
        new Row(
            "PUT /v1/agents/{id}/roles",
            w -> put("/v1/agents/" + owner.id() + "/roles", Json.object("roles", List.of("agent"))),
            200,
            403,
            403,
            403),
        new Row(
            "POST /v1/agents/{id}/token",
            w -> post("/v1/agents/" + tokenTarget(w, callers) + "/token", null),
            201,
            201,
            403,
            403),
        new Row(
            "DELETE /v1/agents/{id}/token",
            w -> delete("/v1/agents/" + tokenTarget(w, callers) + "/token"),
            204,
            204,
            403,
            403),
        new Row(
            "POST /v1/messages",
            w -> post("/v1/messages", direct(owner.id(), "hi")),
            201,
            201,
            201,
            403),
        new Row(
            "POST /v1/messages/batch",
            w -> post("/v1/messages/batch", Map.of("messages", List.of(direct(owner.id(), "hi")))),
            201,
            201,
            201,
            403),
        new Row("GET /v1/messages/{id}", w -> get("/v1/messages/" + message), 200, 200, 403, 403),
        new Row(
            "POST /v1/messages/{id}/read",
            w -> post("/v1/messages/" + message + "/read", null),
            204,
            204,
            403,
            403),
        new Row(
            "DELETE /v1/messages/{id}/read",
            w -> delete("/v1/messages/" + message + "/read"),
            204,
            204,
            403,
            403),
        new Row(
            "GET /v1/messages/{id}/readers",
            w -> get("/v1/messages/" + message + "/readers"),
            200,
            200,
            403,
            403),
        new Row(
            "POST /v1/messages/{id}/ack",
            w -> post("/v1/messages/" + message + "/ack", null),
            200,
            200,
            403,
            403),
        new Row("GET /v1/inbox", w -> get("/v1/inbox"), 200, 200, 200, 200),
        new Row(
            "GET /v1/inbox/unread_count", w -> get("/v1/inbox/unread_count"), 200, 200, 200, 200),
        new Row("GET /v1/inbox/summary", w -> get("/v1/inbox/summary"), 200, 200, 200, 200),
        new Row(
            "GET /v1/mailboxes/{agent}/messages",
            w -> get("/v1/mailboxes/" + owner.id() + "/messages"),
            200,
            200,
            403,
            403),
        new Row(
            "GET /v1/mailboxes/{agent}/stats",
            w -> get("/v1/mailboxes/" + owner.id() + "/stats"),
            200,
            200,
            403,
            403),
        new Row(
            "GET /v1/mailboxes/{topic}/stats",
            w -> get("/v1/mailboxes/" + TOPIC + "/stats"),
            200,
            200,
            200,
            200),
        new Row(
            "GET /v1/mailboxes/{topic}/messages",
            w -> get("/v1/mailboxes/" + TOPIC + "/messages"),
            200,
            200,
            200,
            200),
        new Row(
            "POST /v1/subscriptions",
            w -> post("/v1/subscriptions", Json.object("pattern", TOPIC)),
            201,
            201,
            201,
            201),
        new Row("GET /v1/subscriptions", w -> get("/v1/subscriptions"), 200, 200, 200, 200),
        new Row(
            "GET /v1/subscriptions/{id}",
            w -> get("/v1/subscriptions/" + ownerSubscription),
            200,
            200,
            404,
            404),
        new Row(
            "DELETE /v1/subscriptions/{id}",
            w -> delete("/v1/subscriptions/" + subscription(owner)),
            204,
            204,
            404,
            404),
        new Row(
            "POST /v1/topics",
            w -> post("/v1/topics", Json.object("name", TOPICS + "." + fresh("t"))),
            201,
            201,
            201,
            403),
        new Row("GET /v1/topics", w -> get("/v1/topics"), 200, 200, 200, 200),
        new Row("GET /v1/topics/{name}", w -> get("/v1/topics/" + TOPIC), 200, 200, 200, 200),
        new Row(
            "PUT /v1/topics/{name}",
            w -> put("/v1/topics/" + TOPIC, Json.object("max_subscribers", 50)),
            200,
            200,
            403,
            403),
        new Row(
            "DELETE /v1/topics/{name}",
            w -> delete("/v1/topics/" + freshTopic()),
            204,
            204,
            403,
            403),
        new Row(
            "POST /v1/topics/{name}/join",
            w -> post("/v1/topics/" + freshTopic() + "/join", null),
            201,
            201,
            201,
            201),
        new Row(
            "POST /v1/topics/{name}/leave",
            w -> post("/v1/topics/" + joinedTopic(w) + "/leave", null),
            204,
            204,
            204,
            204),
        new Row(
            "POST /v1/uploads",
            w -> post("/v1/uploads", Json.object("size", 10, "name", "a.bin")),
            201,
            201,
            201,
            403),
        new Row(
            "GET /v1/uploads/{id}",
            w -> get("/v1/uploads/" + upload(api.as(owner), false)),
            200,
            200,
            403,
            200),
        new Row(
            "PUT /v1/uploads/{id}/parts/{n}",
            w -> partRequest(upload(api.as(owner), false)),
            403,
            200,
            403,
            403),
        new Row(
            "POST /v1/uploads/{id}/complete",
            w -> post("/v1/uploads/" + partedUpload() + "/complete", null),
            403,
            200,
            403,
            403),
        new Row(
            "DELETE /v1/uploads/{id}",
            w -> delete("/v1/uploads/" + upload(api.as(owner), true)),
            204,
            204,
            403,
            403),
        new Row(
            "GET /v1/agents/{id}/usage",
            w -> get("/v1/agents/" + owner.id() + "/usage"),
            200,
            200,
            403,
            200),
        new Row(
            "GET /v1/messages/{id}/attachments/{n} (the owner its recipient)",
            w -> get("/v1/messages/" + toOwner + "/attachments/0"),
            200,
            200,
            403,
            403),
        new Row(
            "GET /v1/messages/{id}/attachments/{n} (the owner its sender, other its recipient)",
            w -> get("/v1/messages/" + ownerToOther + "/attachments/0"),
            200,
            200,
            200,
            403),
        new Row(
            "POST /v1/reservations",
            w ->
                post("/v1/reservations", Json.object("project", fresh("p"), "paths", List.of("a"))),
            201,
            201,
            201,
            403),
        new Row("GET /v1/reservations", w -> get("/v1/reservations"), 200, 200, 200, 200),
        new Row(
            "POST /v1/reservations/check",
            w -> post("/v1/reservations/check", Json.object("project", "p", "paths", List.of("a"))),
            200,
            200,
            200,
            200),
        new Row(
            "GET /v1/reservations/{id}",
            w -> get("/v1/reservations/" + ownersReservation()),
            200,
            200,
            200,
            200),
        new Row(
            "POST /v1/reservations/{id}/renew",
            w -> post("/v1/reservations/" + ownersReservation() + "/renew", null),
            200,
            200,
            403,
            403),
        new Row(
            "DELETE /v1/reservations/{id}",
            w -> delete("/v1/reservations/" + ownersReservation()),
            204,
            204,
            403,
            403),
        new Row("GET /v1/dlq", w -> get("/v1/dlq"), 200, 200, 200, 200),
        new Row("DELETE /v1/dlq", w -> delete("/v1/dlq"), 200, 200, 200, 200),
        new Row("GET /v1/dlq/{id}", w -> get("/v1/dlq/" + message), 404, 404, 404, 404),
        new Row("DELETE /v1/dlq/{id}", w -> delete("/v1/dlq/" + message), 404, 404, 404, 404),
        new Row(
            "POST /v1/dlq/{id}/replay",
            w -> post("/v1/dlq/" + message + "/replay", null),
            404,
            404,
            404,
            404),
        new Row("GET /v1/stream (no upgrade, no SSE)", w -> get("/v1/stream"), 400, 400, 400, 400),
        new Row("GET /v1/acl", w -> get("/v1/acl"), 200, 403, 403, 403),
        new Row(
            "POST /v1/acl",
            w ->
                post(
                    "/v1/acl",
                    Json.object(
                        "grantee", "*", "resource", fresh("r"), "actions", List.of("read"))),
            201,
            403,
            403,
            403),
        new Row(
            "DELETE /v1/acl/{id}", w -> delete("/v1/acl/" + ruleToDelete()), 204, 403, 403, 403),
        new Row(
            "GET /v1/acl/explain",
            w -> get("/v1/acl/explain?agent=" + owner.id() + "&action=read&resource=" + TOPIC),
            200,
            403,
            403,
            403),
        new Row("GET /v1/roles", w -> get("/v1/roles"), 200, 403, 403, 403),
        new Row(
            "POST /v1/roles",
            w -> post("/v1/roles", Json.object("name", fresh("role-"))),
            201,
            403,
            403,
            403),
        new Row(
            "DELETE /v1/roles/{name}",
            w -> delete("/v1/roles/" + roleToDelete()),
            204,
            403,
            403,
            403),
        new Row("GET /v1/stats", w -> get("/v1/stats"), 200, 403, 403, 403),
        new Row("GET /v1/admin/alerts", w -> get("/v1/admin/alerts"), 200, 403, 403, 403),
        new Row(
            "PUT /v1/admin/alerts/rules/{name}",
            w ->
                put(
                    "/v1/admin/alerts/rules/matrix",
                    Json.object("signal", "dead_letters", "fire_at", 10, "resolve_at", 5)),
            201,
            403,
            403,
            403),
        new Row(
            "DELETE /v1/admin/alerts/rules/{name}",
            w -> delete("/v1/admin/alerts/rules/matrix"),
            204,
            403,
            403,
            403),
        new Row("GET /v1/admin/log-levels", w -> get("/v1/admin/log-levels"), 200, 403, 403, 403),
        new Row(
            "GET /v1/admin/log-levels/{logger}",
            w -> get("/v1/admin/log-levels/" + MATRIX_LOGGER),
            200,
            403,
            403,
            403),
        new Row(
            "PUT /v1/admin/log-levels/{logger}",
            w -> put("/v1/admin/log-levels/" + MATRIX_LOGGER, Json.object("level", "INFO")),
            200,
            403,
            403,
            403),
        new Row(
            "DELETE /v1/admin/log-levels/{logger}",
            w -> delete("/v1/admin/log-levels/" + MATRIX_LOGGER),
            200,
            403,
            403,
            403));
  }

  @Test
  void everyRouteAnswersEveryCallerWithItsExactStatusAndIsAudited() throws Exception {
    Map<String, String> requests = new LinkedHashMap<>(); // request id -> what was asked
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Who who : Who.values()) {
      Map<Who, Agent> callers = new LinkedHashMap<>();
      for (Row row : rows(callers)) {
        callers.clear();
        Request request = row.request().apply(who);
        String authorization =
            callers.containsKey(who) ? "Bearer " + callers.get(who).token() : authorization(who);
        int expected = who.ordinal() < 4 ? row.statuses()[who.ordinal()] : 401;
        Response r =
            api.anonymous()
                .withAuthorization(authorization)
                .request(request.method(), request.path(), request.body(), request.headers());
        cells++;
        requests.put(
            r.header("X-Request-Id").orElseThrow(),
            row.route() + " as " + who + " -> " + r.status());
        if (r.status() != expected) {
          wrong.add(row.route() + " as " + who + ": expected " + expected + ", got " + r);
        }
        if (expected >= 400) {
          assertThat(r.mediaType())
              .as("%s as %s", row.route(), who)
              .isEqualTo("application/problem+json");
        }
      }
    }
    assertThat(wrong).as("cells with the wrong status (of %d)", cells).isEmpty();

    Map<String, JsonNode> audited =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                AuthorizationMatrixIT::auditedByRequestId,
                a -> a.keySet().containsAll(requests.keySet()));
    for (Map.Entry<String, String> request : requests.entrySet()) {
      JsonNode record = audited.get(request.getKey());
      assertThat(record.get("status").asInt())
          .as("audit record of %s", request.getValue())
          .isEqualTo(
              Integer.parseInt(
                  request.getValue().substring(request.getValue().lastIndexOf(' ') + 1)));
    }
    assertThat(verified()).as("the audit chain verifies").isTrue();

    JsonNode denied =
        audited.values().stream()
            .filter(a -> a.get("outcome").asString().equals("denied"))
            .findFirst()
            .orElseThrow();
    String chain = denied.get("chain").asString();
    long index = denied.get("index").asLong();
    String actor = denied.get("actor").asString();
    editActor(chain, index, "someone-else");
    try {
      assertThat(verified()).as("the audit chain verifies after one record was edited").isFalse();
    } finally {
      editActor(chain, index, actor);
    }
    assertThat(verified()).isTrue();
  }

  /** Every audit record, by request id. */
  private static Map<String, JsonNode> auditedByRequestId() {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode record : api.admin().listAll("/v1/audit", Query.NONE, 1000, "records")) {
      byId.put(record.get("request_id").asString(), record);
    }
    return byId;
  }

  private static boolean verified() {
    return api.admin().get("/v1/audit/verify").json().get("ok").asBoolean();
  }

  /** Changes one stored audit record behind the server's back, as an intruder with store access. */
  private static void editActor(String chain, long index, String actor) throws Exception {
    if (MailroomApi.onRedis()) {
      try (RedisClient client = RedisClient.create(SharedRedis.standalone().uri());
          StatefulRedisConnection<String, String> redis = client.connect()) {
        String key = "{" + api.namespace() + "}:ar:" + chain + "#" + String.format("%019d", index);
        assertThat(redis.sync().exists(key)).as("the record's key %s", key).isOne();
        redis.sync().hset(key, "actor", actor);
      }
      return;
    }
    try (Connection db =
            DriverManager.getConnection(
                "jdbc:sqlite:" + api.dataDir().resolve(MailroomServer.SQLITE_FILE));
        PreparedStatement update =
            db.prepareStatement("UPDATE audit SET actor = ? WHERE chain = ? AND idx = ?")) {
      db.createStatement().execute("PRAGMA busy_timeout = 10000");
      update.setString(1, actor);
      update.setString(2, chain);
      update.setLong(3, index);
      assertThat(update.executeUpdate()).isOne();
    }
  }
}
