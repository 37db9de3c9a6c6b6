package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numeric field of every request body, and every numeric query parameter, given a number
 * beyond what a {@code double} or a {@code long} holds: each is a 400 naming the field, never a
 * 500, and nothing is created.
 */
class OutOfRangeNumbersIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final String DIGITS_400 = "9".repeat(400);

  /** Numbers JSON allows that no Java primitive holds. */
  private static final List<String> HUGE =
      List.of("1e999", "-1e999", DIGITS_400, "-" + DIGITS_400, DIGITS_400 + ".5");

  private static Agent agent;

  @BeforeAll
  static void agents() {
    agent = api.newAgent("numbers");
  }

  /** (method, path, field, body with the placeholder {@code N} for the number). */
  static Stream<Arguments> bodyFields() {
    List<Arguments> cases = new ArrayList<>();
    for (String field : List.of("max_queue_size", "batch_size", "batch_window_seconds")) {
      cases.add(
          Arguments.of(
              "POST", "/v1/subscriptions", field, "{\"pattern\":\"num.sub\",\"" + field + "\":N}"));
      cases.add(Arguments.of("POST", "/v1/topics/num.join/join", field, "{\"" + field + "\":N}"));
    }
    for (String field : List.of("retention_seconds", "max_subscribers", "cleanup_after_seconds")) {
      cases.add(
          Arguments.of(
              "POST", "/v1/topics", field, "{\"name\":\"num.topic\",\"" + field + "\":N}"));
      cases.add(Arguments.of("PUT", "/v1/topics/num.put", field, "{\"" + field + "\":N}"));
    }
    cases.add(
        Arguments.of(
            "POST",
            "/v1/messages",
            "ttl_seconds",
            "{\"mode\":\"topic\",\"target\":\"num.send\",\"payload\":\"x\",\"ttl_seconds\":N}"));
    cases.add(
        Arguments.of(
            "POST",
            "/v1/agents",
            "token_ttl_seconds",
            "{\"id\":\"num-new\",\"token_ttl_seconds\":N}"));
    return cases.stream()
        .flatMap(
            c ->
                HUGE.stream()
                    .map(
                        n -> {
                          Object[] a = c.get();
                          return Arguments.of(a[0], a[1], a[2], ((String) a[3]).replace("N", n));
                        }));
  }

  @ParameterizedTest(name = "{0} {1} {3}")
  @MethodSource("bodyFields")
  void aNumberBeyondAnyRangeInABodyIsA400NamingTheField(
      String method, String path, String field, String body) {
    ApiClient caller = path.equals("/v1/agents") ? api.admin() : api.as(agent);

    assertInvalid(caller.request(method, path, body), field);

    assertThat(api.as(agent).get("/v1/topics/num.topic").status()).isEqualTo(404);
    assertThat(api.as(agent).get("/v1/topics/num.join").status()).isEqualTo(404);
    assertThat(api.as(agent).get("/v1/topics/num.put").status()).isEqualTo(404);
    assertThat(api.admin().get("/v1/agents/num-new").status()).isEqualTo(404);
    assertThat(Json.array(api.as(agent).get("/v1/subscriptions").json(), "subscriptions"))
        .isEmpty();
  }

  @ParameterizedTest(name = "rotating a token with ttl_seconds {0}")
  @MethodSource("huge")
  void aNumberBeyondAnyRangeInATokenRotationIsA400(String n) {
    Response r =
        api.as(agent).post("/v1/agents/" + agent.id() + "/token", "{\"ttl_seconds\":" + n + "}");

    assertInvalid(r, "ttl_seconds");
    assertThat(api.as(agent).get("/v1/whoami").status()).as("the token still works").isEqualTo(200);
  }

  static Stream<String> huge() {
    return HUGE.stream();
  }

  static Stream<Arguments> queryParameters() {
    List<Arguments> cases = new ArrayList<>();
    for (String path :
        List.of("/v1/inbox", "/v1/mailboxes/num.history/messages", "/v1/dlq", "/v1/audit")) {
      cases.add(Arguments.of(path, "limit"));
    }
    cases.add(Arguments.of("/v1/inbox", "max_age_seconds"));
    cases.add(Arguments.of("/v1/inbox", "wait_seconds"));
    cases.add(Arguments.of("/v1/subscriptions", "limit"));
    cases.add(Arguments.of("/v1/topics", "limit"));
    return cases.stream()
        .flatMap(c -> HUGE.stream().map(n -> Arguments.of(c.get()[0], c.get()[1], n)));
  }

  @ParameterizedTest(name = "GET {0}?{1}={2}")
  @MethodSource("queryParameters")
  void aNumberBeyondAnyRangeInAQueryIsA400NamingTheParameter(
      String path, String parameter, String n) {
    ApiClient caller = path.equals("/v1/audit") ? api.admin() : api.as(agent);

    assertInvalid(caller.get(path, Query.of(parameter, n)), parameter);
  }
}
