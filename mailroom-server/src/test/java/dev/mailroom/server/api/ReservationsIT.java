package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Reservations over HTTP: granted or refused with 409 naming the holders, exactly one winner of a
 * race, expiry and release freeing the paths, renewal and release by the holder only, the
 * pre-commit check, validation and audit.
 */
class ReservationsIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static String reserve(String project, List<String> paths, Object... more) {
    List<Object> fields = new ArrayList<>(List.of("project", project, "paths", paths));
    fields.addAll(List.of(more));
    return Json.write(Json.object(fields.toArray()));
  }

  private static JsonNode granted(Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  @Test
  void aConflictingRequestIsRefusedWith409NamingTheHolderAndItsExpiry() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    JsonNode held =
        granted(
            api.as(alice)
                .post(
                    "/v1/reservations",
                    reserve("p1", List.of("src/**/*.java", "README.md"), "reason", "codec work")));
    assertThat(Json.text(held, "holder")).isEqualTo(alice.id());
    assertThat(held.get("exclusive").asBoolean()).isTrue();
    assertThat(Json.text(held, "id")).matches("res_[0-9a-f]{24}");
    Instant expires = Instant.parse(Json.text(held, "expires_at"));
    assertThat(Duration.between(Instant.parse(Json.text(held, "created_at")), expires))
        .isEqualTo(Duration.ofHours(1));

    Response refused =
        api.as(bob)
            .post(
                "/v1/reservations",
                reserve("p1", List.of("src/main/java/A.java"), "exclusive", false));
    JsonNode problem = assertProblem(refused, 409);
    assertThat(Json.text(problem, "detail")).contains(alice.id(), Json.text(held, "id"));
    JsonNode conflict = Json.array(problem, "conflicts").getFirst();
    assertThat(Json.text(conflict, "holder")).isEqualTo(alice.id());
    assertThat(Json.text(conflict, "id")).isEqualTo(Json.text(held, "id"));
    assertThat(Json.text(conflict, "expires_at")).isEqualTo(expires.toString());
    assertThat(Json.text(conflict, "reason")).isEqualTo("codec work");
    assertThat(Json.array(conflict, "paths").stream().map(JsonNode::asString))
        .containsExactly("src/**/*.java", "README.md");

    granted(api.as(bob).post("/v1/reservations", reserve("p1", List.of("docs/**"))));
    granted(api.as(bob).post("/v1/reservations", reserve("p2", List.of("src/A.java"))));
    granted(api.as(alice).post("/v1/reservations", reserve("p1", List.of("src/B.java"))));
  }

  @Test
  void ofTwoAgentsRacingForTheSameGlobExactlyOneHoldsItEachTime() throws Exception {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 100; i++) {
        String body = reserve("race", List.of("shared/" + i + "/**"), "ttl_seconds", 60);
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Response> a =
            CompletableFuture.supplyAsync(
                () -> {
                  arrive(start);
                  return api.as(alice).post("/v1/reservations", body);
                },
                pool);
        CompletableFuture<Response> b =
            CompletableFuture.supplyAsync(
                () -> {
                  arrive(start);
                  return api.as(bob).post("/v1/reservations", body);
                },
                pool);
        Response ra = a.get();
        Response rb = b.get();
        assertThat(List.of(ra.status(), rb.status()))
            .as("try %d: %s / %s", i, ra, rb)
            .containsExactlyInAnyOrder(201, 409);
        Response won = ra.status() == 201 ? ra : rb;
        Response lost = ra.status() == 201 ? rb : ra;
        JsonNode conflict = Json.array(assertProblem(lost, 409), "conflicts").getFirst();
        assertThat(Json.text(conflict, "holder")).isEqualTo(Json.text(won.json(), "holder"));
        assertThat(Json.text(conflict, "id")).isEqualTo(Json.text(won.json(), "id"));
      }
    } finally {
      pool.shutdownNow();
    }
    List<JsonNode> held =
        api.as(bob).listAll("/v1/reservations", Query.of("project", "race"), 1000, "reservations");
    assertThat(held).hasSize(100);
  }

  private static void arrive(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void expiryFreesThePaths() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    JsonNode held =
        granted(
            api.as(alice)
                .post("/v1/reservations", reserve("p3", List.of("lib/*"), "ttl_seconds", 1)));
    String body = reserve("p3", List.of("lib/x.c"));
    assertProblem(api.as(bob).post("/v1/reservations", body), 409);

    Response retaken =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.as(bob).post("/v1/reservations", body), r -> r.status() == 201);
    assertThat(Json.text(retaken.json(), "holder")).isEqualTo(bob.id());
    assertProblem(api.as(alice).get("/v1/reservations/" + Json.text(held, "id")), 404);
  }

  @Test
  void theHolderOrAnAdminRenewsAndReleases() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    String id =
        Json.text(
            granted(api.as(alice).post("/v1/reservations", reserve("p4", List.of("a")))), "id");

    assertProblem(api.as(bob).post("/v1/reservations/" + id + "/renew", Json.write(Map.of())), 403);
    assertProblem(api.as(bob).delete("/v1/reservations/" + id), 403);
    Response renewed =
        api.as(alice)
            .post("/v1/reservations/" + id + "/renew", Json.write(Map.of("ttl_seconds", 7200)));
    assertThat(renewed.status()).as("%s", renewed).isEqualTo(200);
    assertThat(
            Duration.between(
                Instant.parse(Json.text(renewed.json(), "created_at")),
                Instant.parse(Json.text(renewed.json(), "expires_at"))))
        .isGreaterThanOrEqualTo(Duration.ofHours(2));

    assertThat(api.as(alice).delete("/v1/reservations/" + id).status()).isEqualTo(204);
    assertProblem(api.as(alice).delete("/v1/reservations/" + id), 404);
    granted(api.as(bob).post("/v1/reservations", reserve("p4", List.of("a"))));

    String bobs =
        Json.text(granted(api.as(bob).post("/v1/reservations", reserve("p4", List.of("b")))), "id");
    Response byAdmin =
        api.admin()
            .post("/v1/reservations/" + bobs + "/renew", Json.write(Map.of("ttl_seconds", 60)));
    assertThat(byAdmin.status()).as("%s", byAdmin).isEqualTo(200);
    assertThat(Json.text(byAdmin.json(), "holder")).isEqualTo(bob.id());
    assertThat(api.admin().delete("/v1/reservations/" + bobs).status()).isEqualTo(204);
  }

  @Test
  void theCheckNamesOnlyPathsOthersHoldExclusively() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    granted(api.as(alice).post("/v1/reservations", reserve("p5", List.of("src/**"))));
    granted(
        api.as(alice)
            .post("/v1/reservations", reserve("p5", List.of("docs/*"), "exclusive", false)));
    String check =
        Json.write(
            Map.of("project", "p5", "paths", List.of("src/a/B.java", "docs/x.md", "README.md")));

    Response r = api.as(bob).post("/v1/reservations/check", check);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    List<JsonNode> blocked = Json.array(r.json(), "blocked");
    assertThat(blocked).hasSize(1);
    assertThat(Json.text(blocked.getFirst(), "path")).isEqualTo("src/a/B.java");
    assertThat(Json.text(Json.array(blocked.getFirst(), "held_by").getFirst(), "holder"))
        .isEqualTo(alice.id());

    Response own = api.as(alice).post("/v1/reservations/check", check);
    assertThat(Json.array(own.json(), "blocked")).isEmpty();
  }

  @Test
  void listingFiltersByProjectAndAgentAndPages() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    for (int i = 0; i < 3; i++) {
      granted(api.as(alice).post("/v1/reservations", reserve("p6", List.of("a" + i))));
    }
    granted(api.as(bob).post("/v1/reservations", reserve("p6", List.of("b"))));

    assertThat(
            api.as(bob).listAll("/v1/reservations", Query.of("project", "p6"), 2, "reservations"))
        .hasSize(4);
    assertThat(
            api.as(bob)
                .listAll(
                    "/v1/reservations",
                    Query.of("project", "p6").and("agent", alice.id()),
                    1,
                    "reservations"))
        .hasSize(3)
        .allSatisfy(r -> assertThat(Json.text(r, "holder")).isEqualTo(alice.id()));
  }

  @Test
  void badRequestsNameTheFieldAndChangeNothing() {
    Agent alice = api.newAgent("alice");
    ApiClient as = api.as(alice);
    assertInvalid(
        as.post("/v1/reservations", Json.write(Map.of("paths", List.of("a")))), "project");
    assertInvalid(as.post("/v1/reservations", reserve("p7", List.of())), "paths");
    assertInvalid(as.post("/v1/reservations", reserve("p7", List.of("../etc"))), "paths[0]");
    assertInvalid(as.post("/v1/reservations", reserve("p7", List.of("/abs"))), "paths[0]");
    assertInvalid(as.post("/v1/reservations", reserve("bad name", List.of("a"))), "project");
    assertInvalid(
        as.post("/v1/reservations", reserve("p7", List.of("a"), "ttl_seconds", 0)), "ttl_seconds");
    assertInvalid(
        as.post("/v1/reservations", reserve("p7", List.of("a"), "ttl_seconds", 86_401)),
        "ttl_seconds");
    assertInvalid(
        as.post("/v1/reservations", reserve("p7", List.of("a"), "reason", "x".repeat(501))),
        "reason");
    assertInvalid(
        as.post("/v1/reservations", reserve("p7", List.of("a"), "colour", "red")), "colour");
    assertInvalid(as.get("/v1/reservations/nope"), "id");
    assertInvalid(as.get("/v1/reservations", Query.of("project", "bad name")), "project");
    assertInvalid(as.get("/v1/reservations", Query.of("cursor", "zzz")), "cursor");
    assertInvalid(as.post("/v1/reservations/check", Json.write(Map.of("project", "p7"))), "paths");
    assertProblem(as.get("/v1/reservations/res_000000000000000000000000"), 404);
    assertThat(as.listAll("/v1/reservations", Query.of("project", "p7"), 10, "reservations"))
        .isEmpty();
  }

  @Test
  void anObserverMayLookButNotReserveAndChangesAreAudited() {
    Agent observer = api.newAgent("watcher", "roles", List.of("observer"));
    assertProblem(api.as(observer).post("/v1/reservations", reserve("p8", List.of("a"))), 403);
    Response check =
        api.as(observer)
            .post(
                "/v1/reservations/check",
                Json.write(Map.of("project", "p8", "paths", List.of("a"))));
    assertThat(check.status()).as("%s", check).isEqualTo(200);

    Response r = api.admin().post("/v1/reservations", reserve("p8", List.of("a")));
    String id = Json.text(granted(r), "id");
    JsonNode audit = api.auditRecord(r);
    assertThat(Json.text(audit, "action")).isEqualTo("POST /v1/reservations");
    assertThat(Json.text(audit, "resource")).isEqualTo("reservation:" + id);
    assertThat(audit.get("status").asInt()).isEqualTo(201);
  }
}
