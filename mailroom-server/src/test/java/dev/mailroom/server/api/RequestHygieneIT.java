package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What an outside fuzz of the HTTP API found at the edges of a request: its headers, its path, its
 * declared content, its upgrade to a WebSocket, and what the server says about itself to anyone.
 * Every refusal is a problem with a request id; nothing the API does keeps servlet sessions.
 */
class RequestHygieneIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  /** The request line and the headers of a WebSocket upgrade, without credentials. */
  private static String upgrade(String method, String path) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  }

  private static final String UPGRADE = upgrade("GET", "/v1/stream");

  /** A problem answer with a request id in its body and header. */
  private static JsonNode problem(RawHttp.Answer a, int status) {
    assertThat(a.status()).as("%s", a).isEqualTo(status);
    assertThat(a.header("Content-Type"))
        .as("%s", a)
        .get()
        .asString()
        .startsWith("application/problem+json");
    JsonNode p = Json.parse(a.body());
    assertThat(p.path("request_id").asString())
        .as("%s", a)
        .isNotBlank()
        .isEqualTo(a.header("X-Request-Id").orElse(""));
    assertThat(p.path("detail").asString()).isNotBlank();
    return p;
  }

  @Test
  void twoAuthorizationHeadersAreRefusedNamingTheHeader() {
    Agent alice = api.newAgent("alice");

    Response r =
        api.anonymous()
            .request(
                "GET",
                "/v1/whoami",
                null,
                "Authorization",
                "Bearer " + alice.token(),
                "Authorization",
                "Bearer mr_someone_else");

    assertInvalid(r, "Authorization");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "application/xml",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=utf-16",
        "multipart/form-data; boundary=x"
      })
  void aBodyDeclaredAsAnythingButJsonIsRefusedUnread(String type) {
    Agent alice = api.newAgent("alice");
    String body =
        "{\"mode\":\"direct\",\"target\":\""
            + alice.id()
            + "\",\"content_type\":\"text/plain\",\"payload\":\"hi\"}";

    Response r = api.as(alice).request("POST", "/v1/messages", body, "Content-Type", type);

    assertThat(r.status()).as("%s", r).isEqualTo(415);
    assertThat(r.mediaType()).isEqualTo("application/problem+json");
    assertThat(Problems.fields(r.json())).containsExactly("Content-Type");
    assertThat(api.as(alice).unreadCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/json; charset=UTF-8", "application/merge-patch+json"})
  void jsonInUtf8IsAccepted(String type) {
    Agent alice = api.newAgent("alice");
    String body =
        "{\"mode\":\"direct\",\"target\":\""
            + alice.id()
            + "\",\"content_type\":\"text/plain\",\"payload\":\"hi\"}";

    Response r = api.as(alice).request("POST", "/v1/messages", body, "Content-Type", type);

    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  @Test
  void healthShowsTheStoresDetailsToAnAdminOnly() {
    Agent alice = api.newAgent("alice");
    JsonNode anyone = api.anonymous().get("/health").json().path("components").path("store");
    JsonNode agent = api.as(alice).get("/health").json().path("components").path("store");
    JsonNode admin = api.admin().get("/health").json().path("components").path("store");

    assertThat(anyone.propertyNames()).containsExactlyInAnyOrder("status", "backend");
    assertThat(agent.propertyNames()).containsExactlyInAnyOrder("status", "backend");
    assertThat(admin.propertyNames()).contains("status", "backend").hasSizeGreaterThan(2);
    assertThat(api.anonymous().get("/health").body()).doesNotContain("mailroom.db", "/tmp");
  }

  @Test
  void healthWithAWrongTokenIsRefused() {
    Response r = api.anonymous().withAuthorization("Bearer mr_wrong").get("/health");

    assertThat(r.status()).isEqualTo(401);
  }

  @Test
  void aRefusedWebSocketUpgradeHasAProblemBodyAndNoCookie() {
    RawHttp.Answer a = RawHttp.send(api.baseUri(), UPGRADE + "Authorization: Bearer mr_wrong\r\n");

    assertThat(problem(a, 401).path("status").asInt()).isEqualTo(401);
    assertThat(a.header("Set-Cookie")).isEmpty();
  }

  @Test
  void anAcceptedWebSocketUpgradeSetsNoCookie() {
    Agent alice = api.newAgent("alice");
    RawHttp.Answer a =
        RawHttp.send(api.baseUri(), UPGRADE + "Authorization: Bearer " + alice.token() + "\r\n");

    assertThat(a.status()).as("%s", a).isEqualTo(101);
    assertThat(a.header("Set-Cookie")).isEmpty();
  }

  @Test
  void aWebSocketOfferOfCompressionIsAnsweredWithoutIt() {
    Agent alice = api.newAgent("alice");
    RawHttp.Answer a =
        RawHttp.send(
            api.baseUri(),
            UPGRADE
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "Authorization: Bearer "
                + alice.token()
                + "\r\n");

    assertThat(a.status()).as("%s", a).isEqualTo(101);
    assertThat(a.header("Sec-WebSocket-Extensions")).as("%s", a).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"PUT /v1/topics/%C0%AE%C0%AE", "DELETE /v1/topics/%C0%AE", "GET /v1/topics/a%00b"})
  void aPathThatDoesNotDecodeIsAProblem(String line) {
    Agent alice = api.newAgent("alice");

    problem(
        RawHttp.send(
            api.baseUri(),
            line + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice.token() + "\r\n"),
        400);
  }

  @Test
  void aControlCharacterInAHeaderIsAProblem() {
    problem(
        RawHttp.send(
            api.baseUri(),
            "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\u0001\r\n"
                + "Content-Length: 2\r\n",
            "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
        400);
  }

  @Test
  void aUriTooLongIsAProblem() {
    problem(
        RawHttp.send(
            api.baseUri(), "GET /v1/inbox?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n"),
        414);
  }

  @Test
  void headersTooLargeAreAProblem() {
    problem(
        RawHttp.send(
            api.baseUri(),
            "GET /v1/inbox HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n"),
        431);
  }

  @Test
  void traceIsNotAllowedAndEchoesNothing() {
    Agent alice = api.newAgent("alice");

    RawHttp.Answer a =
        RawHttp.send(
            api.baseUri(),
            "TRACE /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + alice.token()
                + "\r\n");

    problem(a, 405);
    assertThat(a.body()).doesNotContain(alice.token());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TRACE", "PROPFIND", "MKCOL", "PATCH", "FOO"})
  void aMethodNoRouteServesIsRefusedEvenWithUpgradeHeaders(String method) {
    Agent alice = api.newAgent("alice");

    RawHttp.Answer a =
        RawHttp.send(
            api.baseUri(),
            upgrade(method, "/v1/stream") + "Authorization: Bearer " + alice.token() + "\r\n");

    problem(a, 405);
    assertThat(a.body()).doesNotContain(alice.token());
  }

  @Test
  void upgradeHeadersOnAPostAreIgnored() {
    Agent alice = api.newAgent("alice");
    byte[] body =
        ("{\"mode\":\"direct\",\"target\":\""
                + alice.id()
                + "\",\"content_type\":\"text/plain\",\"payload\":\"hi\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    RawHttp.Answer a =
        RawHttp.send(
            api.baseUri(),
            upgrade("POST", "/v1/messages")
                + "Content-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\nAuthorization: Bearer "
                + alice.token()
                + "\r\n",
            body);

    assertThat(a.status()).as("%s", a).isEqualTo(201);
  }
}
