package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every {@code /v1} route refuses a missing, wrong or malformed token with 401 problem+json. */
class AuthenticationIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static Agent alice;
  private static Agent victim;
  private static String messageId;

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
    victim = api.newAgent("victim");
    messageId = text(api.as(victim).sendOk(plain(alice.id(), "for alice")), "id");
  }

  @AfterEach
  void nothingWasStored() {
    assertThat(api.as(victim).listIds("/v1/inbox", Query.NONE, 50)).isEmpty();
    assertThat(api.as(alice).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(messageId);
    assertThat(api.as(alice).unreadCount()).isOne();
  }

  static Stream<Arguments> badAuthorizations() {
    return Stream.of(
        Arguments.of("missing", null),
        Arguments.of("wrong token", "Bearer mr_0000000000000000000000000000000000000000"),
        Arguments.of("agent token with a character changed", "Bearer " + flipLast(alice.token())),
        Arguments.of(
            "admin token with a character changed", "Bearer " + flipLast(MailroomApi.ADMIN_TOKEN)),
        Arguments.of("empty bearer", "Bearer"),
        Arguments.of("blank bearer", "Bearer    "),
        Arguments.of("basic scheme", "Basic YWxpY2U6c2VjcmV0"),
        Arguments.of("token without a scheme", alice.token()),
        Arguments.of("two tokens", "Bearer " + alice.token() + " " + alice.token()),
        Arguments.of("unknown scheme", "Token " + alice.token()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAuthorizations")
  void everyV1RouteRefusesABadToken(String label, String authorization) {
    ApiClient caller = api.anonymous().withAuthorization(authorization);
    String send = Json.write(plain(victim.id(), "sneaky"));
    List<Response> answers =
        List.of(
            caller.post("/v1/messages", send),
            caller.post("/v1/messages", "{not json"),
            caller.get("/v1/messages/" + messageId),
            caller.get("/v1/inbox"),
            caller.get("/v1/inbox/unread_count"),
            caller.get("/v1/mailboxes/" + alice.id() + "/messages"),
            caller.post("/v1/messages/" + messageId + "/read", null),
            caller.delete("/v1/messages/" + messageId + "/read"),
            caller.get("/v1/messages/" + messageId + "/readers"),
            caller.post("/v1/agents", "{\"id\":\"intruder\",\"roles\":[\"agent\"]}"));

    assertThat(answers).allSatisfy(r -> assertProblem(r, 401));
  }

  @Test
  void aRejectedTokenNeverCreatesAnAgent() {
    api.anonymous().post("/v1/agents", "{\"id\":\"intruder\",\"roles\":[\"agent\"]}");

    Response r = api.admin().post("/v1/agents", "{\"id\":\"intruder\",\"roles\":[\"agent\"]}");
    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  @Test
  void healthNeedsNoToken() {
    assertThat(api.anonymous().get("/health").status()).isEqualTo(200);
  }

  @Test
  void aTokenWithALettersCaseChangedIsRefusedOnAConnectionThatSawTheRealOne() throws Exception {
    int i = firstLetter(alice.token());
    char c = alice.token().charAt(i);
    String changed =
        alice.token().substring(0, i)
            + (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
            + alice.token().substring(i + 1);
    try (java.net.Socket socket =
            new java.net.Socket(api.baseUri().getHost(), api.baseUri().getPort());
        var in =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
        var out = socket.getOutputStream()) {
      List<Integer> statuses = new java.util.ArrayList<>();
      for (String token : List.of(alice.token(), alice.token(), changed)) {
        out.write(
            ("GET /v1/inbox/unread_count HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + token
                    + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        statuses.add(Integer.parseInt(in.readLine().split(" ")[1]));
        int length = 0;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        in.skip(length);
      }
      assertThat(statuses).containsExactly(200, 200, 401);
    }
  }

  private static int firstLetter(String token) {
    for (int i = "mr_".length(); i < token.length(); i++) {
      if (Character.isLetter(token.charAt(i))) {
        return i;
      }
    }
    throw new IllegalStateException("a token without letters");
  }

  private static String flipLast(String token) {
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
  }
}
