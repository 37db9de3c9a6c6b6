package dev.mailroom.fuzz;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs the fuzzers found failing, kept as regression cases: each request as it was sent (tokens
 * and the MCP session filled in), checked by the same {@link Invariants}, with the store unchanged
 * when the answer refuses, and where the fault was a wrong outcome rather than a malformed answer,
 * the status the request must get. The finding each case comes from is in its name (findings of
 * issue 13 by number; "new" for what the fuzz suite found besides).
 */
class KnownInputsIT {
  @RegisterExtension static final FuzzServer server = new FuzzServer(DeliverySettings.DEFAULTS);

  private static final String SEND_TEXT =
      "{\"mode\":\"direct\",\"target\":\"fuzz-bob\",\"content_type\":\"text/plain\",\"payload\":";

  private static final Duration HALF = Duration.ofMillis(500);

  private static Fixtures fixtures;
  private static String session;

  /**
   * One known input.
   *
   * @param target the request target
   * @param headers header lines; {@code {admin}}, {@code {alice}}, {@code {olive}} stand for those
   *     callers' tokens, {@code {session}} for an MCP session of alice, {@code {host}} for the
   *     server's host and port
   * @param status the status it must get, or 0 for any that keeps the promises
   */
  record Case(
      String name, String method, String target, List<String> headers, String body, int status) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void seed() {
    fixtures = Fixtures.seed(server);
    session = McpFuzzIT.initialize(server.http(), Fixtures.token(fixtures.alice));
  }

  static Stream<Case> cases() {
    List<String> alice = List.of("Authorization: Bearer {alice}", "Content-Type: application/json");
    List<String> aliceUpgrading =
        List.of(
            "Authorization: Bearer {alice}",
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==");
    List<String> admin = List.of("Authorization: Bearer {admin}", "Content-Type: application/json");
    List<String> mcp =
        List.of(
            "Authorization: Bearer {alice}",
            "Content-Type: application/json",
            "Accept: application/json, text/event-stream",
            "Mcp-Session-Id: {session}");
    List<String> upgrade =
        List.of(
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==");
    return Stream.of(
        new Case(
            "an unknown route is a 404 problem with a request id (control)",
            "GET",
            "/v1/nowhere",
            alice,
            "",
            404),
        new Case(
            "a body that is not JSON is a 400 naming the body (control)",
            "POST",
            "/v1/messages",
            alice,
            "{",
            400),
        new Case(
            "finding 1: a text/plain POST to /mcp is a problem, not a serialized exception",
            "POST",
            "/mcp",
            List.of(
                "Authorization: Bearer {alice}",
                "Content-Type: text/plain",
                "Accept: application/json, text/event-stream"),
            "hello",
            0),
        new Case(
            "finding 1: GET /mcp without a session is a problem, not a serialized exception",
            "GET",
            "/mcp",
            List.of("Authorization: Bearer {alice}", "Accept: text/event-stream"),
            "",
            0),
        new Case(
            "finding 2: a null body on an MCP session is refused, not a 500",
            "POST",
            "/mcp",
            mcp,
            "null",
            0),
        new Case(
            "finding 2: a JSON-RPC response sent to the server is refused, not a 500",
            "POST",
            "/mcp",
            mcp,
            "{\"jsonrpc\":\"2.0\",\"id\":21,\"result\":{}}",
            0),
        new Case(
            "finding 2: tools/call with arguments of the wrong type gets its response",
            "POST",
            "/mcp",
            mcp,
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"arguments\":\"x\"}}",
            0),
        new Case(
            "finding 2: PROPFIND on /mcp is a 4xx problem, not a 501",
            "PROPFIND",
            "/mcp",
            mcp,
            "",
            0),
        new Case(
            "finding 2: TRACE on /mcp does not echo the bearer token", "TRACE", "/mcp", mcp, "", 0),
        new Case(
            "finding 4: a batch window of 1e999 seconds is a 400",
            "POST",
            "/v1/subscriptions",
            alice,
            "{\"pattern\":\"fuzz.news\",\"delivery_mode\":\"batch\",\"batch_window_seconds\":1e999}",
            400),
        new Case(
            "finding 5 and 6: a refused WebSocket upgrade is a problem with a body and no session cookie",
            "GET",
            "/v1/stream",
            upgrade,
            "",
            401),
        new Case(
            "finding 6: JSON nested 501 levels is a 400 that does not quote the parser's limits",
            "POST",
            "/v1/messages",
            alice,
            "[".repeat(501) + "]".repeat(501),
            400),
        new Case(
            "finding 6: a number of 1001 digits is a 400 that does not quote the parser's limits",
            "POST",
            "/v1/messages",
            alice,
            SEND_TEXT + "\"x\",\"ttl_seconds\":" + "9".repeat(1001) + "}",
            400),
        new Case(
            "finding 6: content after the JSON body is a 400 that does not quote the parser",
            "POST",
            "/v1/messages",
            alice,
            "{\"a\":1}{\"a\":1}",
            400),
        new Case(
            "finding 6: /health does not show where the data lives",
            "GET",
            "/health",
            List.of(),
            "",
            200),
        new Case(
            "finding 6: roles of null are refused, not stored as no roles",
            "PUT",
            "/v1/agents/fuzz-victim/roles",
            admin,
            "{\"roles\":null}",
            400),
        new Case(
            "finding 6: a lone surrogate in a text payload is refused, not stored as a question mark",
            "POST",
            "/v1/messages",
            alice,
            SEND_TEXT + "\"a\\ud800b\"}",
            400),
        new Case(
            "finding 6: invalid UTF-8 in the path of a DELETE is a problem with a request id",
            "DELETE",
            "/v1/agents/%C0%AE%C0%AE/token",
            admin,
            "",
            400),
        new Case(
            "finding 6: a control character in Content-Type is a problem with a request id",
            "PUT",
            "/v1/topics/fuzz.news",
            List.of("Authorization: Bearer {admin}", "Content-Type: application/json\u007f"),
            "{}",
            400),
        new Case(
            "finding 6: a NUL in the path is a problem with a request id",
            "GET",
            "/v1/agents/a%00b",
            admin,
            "",
            400),
        new Case(
            "finding 6: two Content-Length headers are a problem with a request id",
            "POST",
            "/v1/messages",
            List.of("Authorization: Bearer {alice}", "Content-Length: 1", "Content-Length: 2"),
            "{}",
            400),
        new Case(
            "finding 6: two Host headers are a problem with a request id",
            "GET",
            "/v1/whoami",
            List.of("Host: {host}", "Authorization: Bearer {alice}", "Host: evil.example"),
            "",
            400),
        new Case(
            "finding 6: a header section too large is a problem with a request id",
            "GET",
            "/v1/whoami",
            List.of("Authorization: Bearer {alice}", "X-Large: " + "x".repeat(70_000)),
            "",
            431),
        new Case(
            "finding 6: two Authorization headers are refused",
            "GET",
            "/v1/whoami",
            List.of("Authorization: Bearer {alice}", "Authorization: Bearer {admin}"),
            "",
            400),
        new Case(
            "finding 6: an XML body is refused as an unsupported media type",
            "POST",
            "/v1/messages",
            List.of("Authorization: Bearer {alice}", "Content-Type: application/xml"),
            SEND_TEXT + "\"x\"}",
            415),
        new Case(
            "new: a number with an exponent past the int range in a send is a 400, not a 500",
            "POST",
            "/v1/messages",
            alice,
            SEND_TEXT + "\"x\",\"ttl_seconds\":1e2147483648}",
            400),
        new Case(
            "new: such a number in any body field is a 400, not a 500",
            "POST",
            "/v1/roles",
            admin,
            "{\"name\":\"r\",\"x\":1e2147483648}",
            400),
        new Case(
            "new: joining a missing topic one may not create changes nothing",
            "POST",
            "/v1/topics/fuzz.nowhere/join",
            List.of("Authorization: Bearer {olive}"),
            "",
            403),
        new Case(
            "new: a roots/list_changed notification is accepted at once, not a 500 after 10 s",
            "POST",
            "/mcp",
            mcp,
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}",
            202),
        new Case(
            "new: an unknown charset in a POST to /mcp is a 4xx problem, not a 500 naming a class",
            "POST",
            "/mcp",
            List.of(
                "Authorization: Bearer {alice}",
                "Content-Type: application/json; charset=klingon",
                "Accept: application/json, text/event-stream",
                "Mcp-Session-Id: {session}"),
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}",
            0),
        new Case(
            "new: GET /mcp on a session says at once that its stream is open",
            "GET",
            "/mcp",
            List.of(
                "Authorization: Bearer {alice}",
                "Accept: text/event-stream",
                "Mcp-Session-Id: {session}"),
            "",
            200),
        new Case(
            "new: TRACE with WebSocket upgrade headers is a 405, not an echo of the token",
            "TRACE",
            "/v1/stream",
            aliceUpgrading,
            "",
            405),
        new Case(
            "new: PROPFIND with WebSocket upgrade headers is a 405 problem, not a 501",
            "PROPFIND",
            "/v1/stream",
            aliceUpgrading,
            "",
            405),
        new Case(
            "new: a send whose name has a lone surrogate in a field without a name names the body",
            "POST",
            "/v1/messages",
            alice,
            "{\"\":\"\\ud800x\"}",
            400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsTheApisPromises(Case c) {
    List<RawHttp.Header> headers = new ArrayList<>();
    for (String line : c.headers()) {
      String filled =
          line.replace("{admin}", server.adminToken())
              .replace("{alice}", Fixtures.token(fixtures.alice))
              .replace("{olive}", Fixtures.token(fixtures.observer))
              .replace("{session}", session)
              .replace("{host}", server.http().authority());
      int colon = filled.indexOf(':');
      headers.add(
          new RawHttp.Header(filled.substring(0, colon), filled.substring(colon + 1).strip()));
    }
    RawHttp http = new RawHttp(server.baseUri(), Duration.ofSeconds(5));
    RawHttp.Request request =
        http.complete(
            new RawHttp.Request(
                c.method(), c.target(), headers, c.body().getBytes(StandardCharsets.UTF_8)));
    long changes = server.counter().requestChanges();
    long sequence = server.counter().sequence();
    RawHttp.Response answer = http.send(request);

    boolean changed = server.counter().requestChanges() != changes;
    List<Invariants.Violation> wrong =
        Judge.judge(server, request, answer, List.of("body"), changed, sequence);
    if (c.status() != 0 && answer.status() != c.status()) {
      wrong.add(
          new Invariants.Violation(
              "the status is not " + c.status(), Integer.toString(answer.status())));
    }
    assertThat(wrong).as("%s\n\nanswer:\n%s", request, answer).isEmpty();
  }

  @Test
  void theServedDescriptionUsesOnlyKeysOpenApiDefinesInItsAnswers() {
    RawHttp.Response served =
        server
            .http()
            .send(
                server
                    .http()
                    .complete(new RawHttp.Request("GET", "/openapi.yaml", List.of(), new byte[0])));
    // finding 6: an unquoted comma in a flow mapping made half a description a key of its own
    assertThat(OpenApiModel.parse(served.text()).unknownResponseKeys()).isEmpty();
  }

  @Test
  void anAckFrameWithANumberPastTheDecimalRangeIsRefusedWithAnErrorEventAndTheStreamStaysOpen()
      throws Exception {
    try (StreamClient stream = StreamClient.open(server.baseUri(), Fixtures.token(fixtures.bob))) {
      stream.socket().sendText("{\"type\":\"ack\",\"id\":1e2147483648}", true).get(5, SECONDS);
      List<String> answers = new ArrayList<>();
      for (String s = stream.next(Duration.ofSeconds(5)); s != null; s = stream.next(HALF)) {
        answers.add(s);
        if (s.contains("\"type\":\"error\"") || s.startsWith("closed")) {
          break;
        }
      }
      assertThat(answers)
          .anyMatch(a -> a.contains("\"type\":\"error\""))
          .noneMatch(a -> a.startsWith("closed"))
          .allSatisfy(a -> assertThat(Invariants.leak("an event", a)).isEmpty());
    }
  }
}
