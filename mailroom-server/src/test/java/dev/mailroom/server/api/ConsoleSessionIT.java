package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The console's sign-in and what a session cookie may do: the same as its token, with a CSRF token
 * on every change; sign-out and a token's rotation end it; the console's pages carry their security
 * headers; and the mailbox tail it shows.
 */
class ConsoleSessionIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  /** A signed-in console: its cookie header and CSRF token. */
  record Session(String cookie, String csrf, JsonNode answer) {}

  @Test
  void signingInSetsAStrictHttpOnlyCookieAndAnswersWhoAndTheCsrfToken() {
    Agent alice = api.newAgent("alice");
    Response r =
        api.anonymous().post("/console/session", Json.write(Map.of("token", alice.token())));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    String setCookie = r.header("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("mailroom_session=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200")
        .doesNotContain(alice.token());
    assertThat(Json.text(r.json(), "agent_id")).isEqualTo(alice.id());
    assertThat(r.json().get("roles").toString()).isEqualTo("[\"agent\"]");
    assertThat(Json.text(r.json(), "csrf_token")).hasSize(43);
    assertThat(r.header("Cache-Control")).contains("no-store");

    String requestId = r.header("X-Request-Id").orElseThrow();
    JsonNode audit =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    api
                        .admin()
                        .listAll("/v1/audit", Query.of("actor", alice.id()), 100, "records")
                        .stream()
                        .filter(x -> requestId.equals(Json.text(x, "request_id")))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(Json.text(audit, "actor")).isEqualTo(alice.id());
    assertThat(Json.text(audit, "action")).isEqualTo("POST /console/session");
    assertThat(audit.get("status").asInt()).isEqualTo(200);
  }

  @Test
  void aSessionCallsTheApiAsItsAgentAndEveryChangeNeedsTheCsrfToken() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    Session s = signIn(alice);

    Response whoami = withCookie(s, "GET", "/v1/whoami", null);
    assertThat(whoami.status()).as("%s", whoami).isEqualTo(200);
    assertThat(Json.text(whoami.json(), "id")).isEqualTo(alice.id());

    String send = Json.write(message(bob.id(), "hello from the console"));
    assertProblem(withCookie(s, "POST", "/v1/messages", send), 403);
    assertProblem(
        withCookie(s, "POST", "/v1/messages", send, "X-CSRF-Token", "x" + s.csrf().substring(1)),
        403);
    assertThat(api.as(bob).unreadCount()).isZero();

    Response sent = withCookie(s, "POST", "/v1/messages", send, "X-CSRF-Token", s.csrf());
    assertThat(sent.status()).as("%s", sent).isEqualTo(201);
    assertThat(api.as(bob).unreadCount()).isEqualTo(1);
    assertThat(Json.text(api.as(bob).message(Json.text(sent.json(), "id")), "sender"))
        .isEqualTo(alice.id());

    // The session has exactly the token's rights: another agent's mailbox stays forbidden.
    assertProblem(withCookie(s, "GET", "/v1/mailboxes/" + bob.id() + "/messages", null), 403);
  }

  @Test
  void aCrossSiteFormCannotSignInOrSend() {
    Agent alice = api.newAgent("alice");
    Response form =
        api.anonymous()
            .request(
                "POST",
                "/console/session",
                "token=" + alice.token(),
                "Content-Type",
                "application/x-www-form-urlencoded");
    assertInvalid(form, "Content-Type");
    assertThat(form.header("Set-Cookie")).isEmpty();

    Session s = signIn(alice);
    Response forged =
        withCookie(
            s,
            "POST",
            "/v1/messages",
            "mode=broadcast",
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Origin",
            "https://evil.example");
    assertProblem(forged, 403);
  }

  @Test
  void aWrongTokenOrAForgedCookieIsRefused() {
    Response wrong =
        api.anonymous().post("/console/session", Json.write(Map.of("token", "mr_not_a_token")));
    assertProblem(wrong, 401);
    assertThat(wrong.header("Set-Cookie")).isEmpty();
    assertInvalid(api.anonymous().post("/console/session", "{}"), "token");
    assertInvalid(api.anonymous().post("/console/session", "{\"token\":"), "body");

    Response forged =
        cookieRequest("mailroom_session=" + "A".repeat(43), "GET", "/v1/whoami", null);
    assertProblem(forged, 401);
    assertProblem(cookieRequest("mailroom_session=../etc", "GET", "/v1/whoami", null), 401);
    assertProblem(cookieRequest("mailroom_session=x", "GET", "/console/session", null), 401);
  }

  @Test
  void signingOutEndsTheSessionAndNeedsTheCsrfToken() {
    Agent alice = api.newAgent("alice");
    Session s = signIn(alice);
    assertProblem(withCookie(s, "DELETE", "/console/session", null), 403);
    assertThat(withCookie(s, "GET", "/console/session", null).status()).isEqualTo(200);

    Response out = withCookie(s, "DELETE", "/console/session", null, "X-CSRF-Token", s.csrf());
    assertThat(out.status()).as("%s", out).isEqualTo(204);
    assertThat(out.header("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertProblem(withCookie(s, "GET", "/v1/whoami", null), 401);
    assertProblem(withCookie(s, "GET", "/console/session", null), 401);
  }

  @Test
  void rotatingOrRevokingTheTokenEndsItsSessions() {
    Agent alice = api.newAgent("alice");
    Session s = signIn(alice);
    assertThat(withCookie(s, "GET", "/v1/whoami", null).status()).isEqualTo(200);
    Response rotated = api.admin().post("/v1/agents/" + alice.id() + "/token", "{}");
    assertThat(rotated.status()).as("%s", rotated).isEqualTo(201);
    assertProblem(withCookie(s, "GET", "/v1/whoami", null), 401);

    Agent bob = api.newAgent("bob");
    Session b = signIn(bob);
    assertThat(api.admin().delete("/v1/agents/" + bob.id() + "/token").status()).isEqualTo(204);
    assertProblem(withCookie(b, "GET", "/v1/whoami", null), 401);
  }

  @Test
  void anObserverSessionReadsButEveryChangeIsForbidden() {
    Agent observer = api.newAgent("watch", "roles", List.of("observer"));
    Agent bob = api.newAgent("bob");
    String topic = "console-" + bob.id() + ".news";
    api.as(bob)
        .sendOk(
            Map.of(
                "mode", "topic", "target", topic, "content_type", "text/plain", "payload", "hi"));
    Session s = signIn(observer);
    Response read = withCookie(s, "GET", "/v1/mailboxes/" + topic + "/messages", null);
    assertThat(read.status()).as("%s", read).isEqualTo(200);
    assertThat(read.json().get("messages")).hasSize(1);
    assertProblem(
        withCookie(
            s,
            "POST",
            "/v1/messages",
            Json.write(message(bob.id(), "forged")),
            "X-CSRF-Token",
            s.csrf()),
        403);
    assertProblem(
        withCookie(s, "POST", "/v1/agents", "{\"id\":\"x1\"}", "X-CSRF-Token", s.csrf()), 403);
  }

  @Test
  void theConsolePagesCarryAStrictContentSecurityPolicy() {
    for (String path : List.of("/console", "/console/", "/console/app.js")) {
      Response page = api.anonymous().get(path);
      assertThat(page.status()).as("%s", page).isEqualTo(200);
      assertThat(page.header("Content-Security-Policy").orElseThrow())
          .contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
      assertThat(page.header("X-Frame-Options")).contains("DENY");
    }
    assertThat(api.anonymous().get("/console").mediaType()).isEqualTo("text/html");
    assertProblem(api.anonymous().get("/console/nothing.js"), 404);
    assertProblem(api.anonymous().get("/console/..%2Fapplication.properties"), 404);
  }

  @Test
  void aTailSendsTheMessagesThatEnterAMailboxFromNowOn() throws Exception {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    api.as(alice).sendOk(message(bob.id(), "before the tail"));
    Session s = signIn(bob);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(api.baseUri().resolve("/v1/mailboxes/" + bob.id() + "/tail"))
            .header("Cookie", s.cookie())
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> tail =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    assertThat(tail.statusCode()).isEqualTo(200);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(tail.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("event: heartbeat");
      lines.readLine();
      lines.readLine();
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sent.add(Json.text(api.as(alice).sendOk(message(bob.id(), "live " + i)), "id"));
      }
      List<String> seen = new ArrayList<>();
      CompletableFuture<Void> read =
          CompletableFuture.runAsync(
              () -> {
                try {
                  while (seen.size() < 3) {
                    String line = lines.readLine();
                    if (line != null && line.startsWith("data: ")) {
                      for (JsonNode m : Json.parse(line.substring(6)).get("messages")) {
                        seen.add(Json.text(m, "id"));
                      }
                    }
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      read.get(10, TimeUnit.SECONDS);
      assertThat(seen).containsExactlyElementsOf(sent);
    }
    assertThat(api.as(bob).unreadCount()).as("a tail reads nothing for its agent").isEqualTo(4);

    assertProblem(
        withCookie(
            s, "GET", "/v1/mailboxes/" + alice.id() + "/tail", null, "Accept", "text/event-stream"),
        403);
    assertProblem(
        api.anonymous()
            .request(
                "GET", "/v1/mailboxes/" + bob.id() + "/tail", null, "Accept", "text/event-stream"),
        401);
    assertProblem(
        api.as(alice)
            .request(
                "GET", "/v1/mailboxes/" + bob.id() + "/tail", null, "Accept", "text/event-stream"),
        403);
    assertInvalid(withCookie(s, "GET", "/v1/mailboxes/" + bob.id() + "/tail", null), "Accept");
    assertInvalid(
        withCookie(
            s,
            "GET",
            "/v1/mailboxes/" + bob.id() + "/tail?order=desc",
            null,
            "Accept",
            "text/event-stream"),
        "order");
  }

  static Map<String, Object> message(String target, String text) {
    return Map.of(
        "mode", "direct", "target", target, "content_type", "text/plain", "payload", text);
  }

  static Session signIn(Agent agent) {
    Response r =
        api.anonymous().post("/console/session", Json.write(Map.of("token", agent.token())));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    String setCookie = r.header("Set-Cookie").orElseThrow();
    return new Session(
        setCookie.substring(0, setCookie.indexOf(';')),
        Json.text(r.json(), "csrf_token"),
        r.json());
  }

  private static Response withCookie(
      Session s, String method, String path, String body, String... headers) {
    return cookieRequest(s.cookie(), method, path, body, headers);
  }

  private static Response cookieRequest(
      String cookie, String method, String path, String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Cookie";
    all[1] = cookie;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return api.anonymous().request(method, path, body, all);
  }
}
