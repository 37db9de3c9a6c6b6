package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import dev.mailroom.server.SessionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What {@code /mcp} answers to requests it cannot serve: a problem naming what is wrong (for a
 * posted message, also a JSON-RPC error), or a JSON-RPC error to a request's id; never a 5xx, an
 * empty answer or the SDK's serialized exception. These are the answers an outside fuzz of the
 * endpoint found wrong.
 */
class McpTransportRefusalsIT {
  private static final String JSON = "application/json";
  private static final String BOTH = "application/json, text/event-stream";

  /** Sessions beyond this, per agent, end the least recently used. */
  private static final int SESSIONS_PER_AGENT = 2;

  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b ->
              b.sessions(new SessionLimits(SESSIONS_PER_AGENT, 1000))
                  .endpoint(MailroomMcp.endpoint()));

  private static AgentCreated bob;
  private static String session;

  @BeforeAll
  static void openASession() {
    bob = server.newAgent("bob");
    session = RawMcp.initialize(server.baseUri(), bob.token());
  }

  private static HttpResponse<String> send(String method, String body, String... headers) {
    return RawMcp.send(server.baseUri(), bob.token(), method, body, headers);
  }

  private static HttpResponse<String> post(String body) {
    return send("POST", body, "Content-Type", JSON, "Accept", BOTH, "Mcp-Session-Id", session);
  }

  /** A problem answer naming {@code field}, with a request id and nothing of Java in it. */
  private static JsonNode problem(HttpResponse<String> r, int status, String field) {
    JsonNode p = problem(r, status);
    assertThat(p.path("errors").findValuesAsString("field")).as(r.body()).contains(field);
    return p;
  }

  private static JsonNode problem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    assertNothingOfJava(r);
    JsonNode p = Json.mapper().readTree(r.body());
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("request_id").asString())
        .isNotBlank()
        .isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(p.path("detail").asString()).isNotBlank();
    return p;
  }

  private static void assertNothingOfJava(HttpResponse<String> r) {
    assertThat(r.body())
        .doesNotContain("stackTrace", "Exception", "java.", "io.modelcontextprotocol", "jakarta.");
  }

  @Test
  void aStreamWithoutASessionIsRefusedNamingTheHeader() {
    problem(send("GET", "", "Accept", "text/event-stream"), 400, "Mcp-Session-Id");
  }

  @Test
  void aStreamThatDoesNotAcceptEventsIsRefused() {
    problem(send("GET", "", "Accept", JSON, "Mcp-Session-Id", session), 406, "Accept");
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedNamingTheContentType() {
    problem(
        send(
            "POST",
            RawMcp.PING,
            "Content-Type",
            "text/plain",
            "Accept",
            BOTH,
            "Mcp-Session-Id",
            session),
        415,
        "Content-Type");
  }

  @Test
  void aPostThatDoesNotAcceptEventsIsRefused() {
    problem(
        send("POST", RawMcp.PING, "Content-Type", JSON, "Accept", JSON, "Mcp-Session-Id", session),
        406,
        "Accept");
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(
      strings = {
        "hello",
        "",
        "[]",
        "null",
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
        "{\"jsonrpc\":\"2.0\",\"id\":1}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"method\":\"tools/list\"}",
        "1234567{\"jsonrpc\":\"2.0\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}{}"
      })
  void aBodyThatIsNotOneJsonRpcMessageIsAProblemAndAJsonRpcError(String body) {
    JsonNode p = problem(post(body), 400);

    // In the words of every JSON refusal, never the parser's own (which names its classes).
    assertThat(p.path("detail").asString()).doesNotContain("jackson", "JsonToken", "`");
    assertThat(p.path("errors").isArray()).isTrue();
    assertThat(p.path("jsonrpc").asString()).isEqualTo("2.0");
    assertThat(p.has("id") && p.get("id").isNull()).isTrue();
    assertThat(p.path("error").path("code").asInt()).isIn(-32700, -32600);
  }

  @ParameterizedTest(name = "id {0}")
  @ValueSource(strings = {"{\"a\":1}", "1e400", "1.5", "null", "true"})
  void anIdThatIsNeitherAStringNorAWholeNumberIsRefused(String id) {
    problem(post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}"), 400, "id");
  }

  @Test
  void anIdOfNineHundredDigitsIsRefused() {
    problem(
        post("{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(900) + ",\"method\":\"ping\"}"),
        400,
        "id");
  }

  @Test
  void aResponseIsRefusedSinceTheServerAsksClientsNothing() {
    problem(post("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"), 400, "method");
  }

  @Test
  void aToolCallWithArgumentsThatAreNotAnObjectGetsAJsonRpcErrorToItsId() {
    HttpResponse<String> r =
        post(
            "{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"whoami\",\"arguments\":\"x\"}}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertNothingOfJava(r);
    JsonNode answer = Json.mapper().readTree(r.body());
    assertThat(answer.path("id").asInt()).isEqualTo(41);
    assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32602);
    assertThat(answer.path("error").path("message").asString()).contains("params");
  }

  @Test
  void aToolCallWithoutANameGetsAJsonRpcErrorNamingIt() {
    HttpResponse<String> r =
        post("{\"jsonrpc\":\"2.0\",\"id\":\"n\",\"method\":\"tools/call\",\"params\":{}}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode answer = Json.mapper().readTree(r.body());
    assertThat(answer.path("id").asString()).isEqualTo("n");
    assertThat(answer.path("error").path("message").asString()).contains("params.name");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "notifications/roots/list_changed",
        "notifications/cancelled",
        "notifications/progress",
        "notifications/whatever"
      })
  void aNotificationMailroomDoesNotActOnIsAcceptedAndDropped(String method) {
    HttpResponse<String> r =
        post("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":{\"requestId\":{}}}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(post(RawMcp.PING).statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PUT", "PATCH", "PROPFIND", "HEAD", "OPTIONS", "TRACE", "FOO"})
  void aMethodMcpDoesNotUseIsRefusedWithTheOnesItDoes(String method) {
    HttpResponse<String> r = send(method, "", "Mcp-Session-Id", session);

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET, POST, DELETE");
    assertThat(r.body()).doesNotContain(bob.token());
    if (!method.equals("HEAD")) {
      problem(r, 405);
    }
  }

  @Test
  void deletingAnUnknownSessionIsANotFoundProblem() {
    problem(send("DELETE", "", "Mcp-Session-Id", "no-such-session"), 404);
  }

  @Test
  void anAgentOpeningTooManySessionsLosesItsLeastRecentlyUsedOnesAndTheirStreams()
      throws Exception {
    AgentCreated carol = server.newAgent("carol");
    String first = RawMcp.initialize(server.baseUri(), carol.token());
    try (HttpClient http = HttpClient.newHttpClient();
        Listener listener = new Listener(http, carol, first)) {
      String idle = RawMcp.initialize(server.baseUri(), carol.token());
      String second = RawMcp.initialize(server.baseUri(), carol.token());

      // the session whose client listens counts as in use: the idle one goes first
      problem(ping(carol, idle), 404);
      assertThat(ping(carol, first).statusCode()).isEqualTo(200);
      try (Listener other = new Listener(http, carol, second)) {
        RawMcp.initialize(server.baseUri(), carol.token());

        // now both listen: the least recently used goes, and the SDK ends its stream
        problem(ping(carol, first), 404);
        assertThat(listener.ended.get(10, TimeUnit.SECONDS)).isNotNegative();
        assertThat(other.ended).isNotDone();
      }
    }
  }

  /** A client listening on its session's stream of server messages. */
  private static final class Listener implements AutoCloseable {
    final CompletableFuture<Long> ended;
    private final InputStream body;

    Listener(HttpClient http, AgentCreated agent, String session) throws Exception {
      HttpResponse<InputStream> r =
          http.send(
              HttpRequest.newBuilder(server.baseUri().resolve(MailroomMcp.PATH))
                  .header("Authorization", "Bearer " + agent.token())
                  .header("Accept", "text/event-stream")
                  .header("Mcp-Session-Id", session)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      body = r.body();
      ended = CompletableFuture.supplyAsync(() -> drained(body));
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  private static HttpResponse<String> ping(AgentCreated agent, String session) {
    return RawMcp.post(
        server.baseUri(), Optional.of(agent.token()), Optional.of(session), RawMcp.PING);
  }

  private static long drained(InputStream in) {
    try (in) {
      return in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      return 0; // closed under us: ended all the same
    }
  }
}
