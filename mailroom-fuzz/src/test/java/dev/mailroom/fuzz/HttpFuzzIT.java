package dev.mailroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.delivery.DeliverySettings;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzes every route and method of the server's served OpenAPI description ({@code GET
 * /openapi.yaml}) over HTTP: first one valid request per operation, then random operations, each
 * request valid (built from the schema, with ids and names that exist, so that it reaches the
 * handlers) or mutated by {@link RequestMutator} (bodies, bytes, path and query parameters,
 * headers, framing, methods), sent by an admin, a plain agent, an observer or nobody. Every answer
 * is checked by {@link Invariants}; a refused answer (4xx) must leave the store as it was ({@link
 * StoreWriteCounter}); after the run the server is healthy and its live heap has not grown past a
 * bound.
 *
 * <p>The run is fixed by a seed and a count: by default {@value FuzzSettings#DEFAULT_REQUESTS}
 * requests from seed {@value FuzzSettings#DEFAULT_SEED}. A longer run:
 *
 * <pre>
 * bin/build -pl mailroom-fuzz -am verify -Dspotless.check.skip=true -Dtest=none \
 *     -Dit.test=HttpFuzzIT -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dfuzz.requests=100000 -Dfuzz.seed=$RANDOM
 * </pre>
 *
 * A failure prints each class of failure once: the iteration, the seed, the exact request and the
 * answer; {@code target/fuzz/HttpFuzzIT/} holds the report and each example request's bytes. Turn
 * one into a case of {@link KnownInputsIT}.
 */
class HttpFuzzIT {
  /** One push, then the dead-letter queue: the dead-letter routes get letters to find. */
  static final DeliverySettings ONE_ATTEMPT =
      new DeliverySettings(
          Duration.ofMillis(100),
          2.0,
          Duration.ofSeconds(1),
          0.2,
          1,
          Duration.ofSeconds(15),
          1000,
          Duration.ofSeconds(30));

  /** How many direct messages to the admin go dead before the fuzzing starts. */
  private static final int ADMIN_LETTERS = 8;

  @RegisterExtension static final FuzzServer server = new FuzzServer(ONE_ATTEMPT);

  private static FuzzReport report;
  private static OpenApiModel api;
  private static Judge.Outcome outcome;

  @BeforeAll
  static void fuzz() {
    FuzzSettings settings = FuzzSettings.current();
    Fixtures fixtures = Fixtures.seed(server);
    deadLetters(fixtures);
    RawHttp http = server.http();
    RawHttp.Response served = http.send(http.complete(get("/openapi.yaml")));
    assertThat(served.status()).as("%s", served).isEqualTo(200);
    api = OpenApiModel.parse(served.text());
    ValidRequests valid = new ValidRequests(api, fixtures.samples);
    report = new FuzzReport("HttpFuzzIT", settings);
    Judge judge = new Judge(server, http, report);
    List<OpenApiModel.Operation> ops = api.operations();
    // The first round runs every operation once, valid and plain, as an admin, with the deletions
    // last and a collection's after its items', so that no operation finds removed what it needs.
    List<OpenApiModel.Operation> first =
        ops.stream().sorted(Comparator.comparingInt(HttpFuzzIT::deletionRank)).toList();
    for (int i = 0; i < settings.requests(); i++) {
      RandomGenerator r = new Random(settings.seedOf(i));
      boolean firstRound = i < ops.size();
      OpenApiModel.Operation op = firstRound ? first.get(i) : ops.get(r.nextInt(ops.size()));
      Caller caller = firstRound ? fixtures.admin : fixtures.pick(r);
      Draft d = valid.build(op, caller, r, firstRound);
      if (!firstRound && r.nextInt(10) >= 3) {
        RequestMutator.mutate(d, fixtures.callers(), r);
      }
      RawHttp.Response answer = judge.exchange(i, op.path(), d).answer();
      valid.learn(op, answer);
      fixtures.keepCallersUsable(d, answer);
    }
    outcome = judge.finish();
  }

  @Test
  void everyAnswerKeepsTheApisPromises() {
    assertThat(report.clean()).as(report.summary()).isTrue();
  }

  @Test
  void validRequestsReachTheHandlersOfAlmostEveryOperation() {
    List<String> never =
        api.operations().stream()
            // Reading or ending a console session needs its cookie, which only a browser that
            // signed in holds; the fuzzer sends bearer tokens (ConsoleSessionIT covers them).
            .filter(
                op ->
                    !(op.path().equals(ValidRequests.CONSOLE_SESSION)
                        && !op.method().equals("POST")))
            .map(OpenApiModel.Operation::toString)
            .filter(route -> report.successes(route) == 0)
            .toList();
    // A run that only ever got 401s or 404s would prove nothing about the handlers.
    assertThat(never)
        .as("operations never answered 2xx")
        .hasSizeLessThanOrEqualTo(api.operations().size() / 10);
  }

  @Test
  void theServerStaysHealthyAndItsHeapBounded() {
    outcome.assertHealthyWithBoundedHeap();
  }

  private static RawHttp.Request get(String path) {
    return new RawHttp.Request("GET", path, List.of(), new byte[0]);
  }

  /** Pushes the plain agents' pending deliveries once over a WebSocket, so they go dead. */
  /** 0 for what is no deletion, 1 for the deletion of one item, 2 for that of a collection. */
  private static int deletionRank(OpenApiModel.Operation op) {
    if (!op.method().equals("DELETE")) {
      return 0;
    }
    return op.path().contains("{") ? 1 : 2;
  }

  private static void deadLetters(Fixtures f) {
    // The admins' own letters: the dead-letter routes find them without naming an agent.
    for (int i = 0; i < ADMIN_LETTERS; i++) {
      f.send(Fixtures.token(f.alice), Map.of("mode", "direct", "target", "admin"));
    }
    for (Caller c : List.of(f.admin, f.alice, f.bob)) {
      String agent = c.agent().orElseThrow();
      // Every one of the admin's, since they are the samples of the requests that follow: a
      // snapshot taken while some are still in flight would make the run depend on timing.
      int letters = c == f.admin ? ADMIN_LETTERS : 1;
      try (StreamClient stream = StreamClient.open(server.baseUri(), Fixtures.token(c))) {
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters(agent).size() >= letters);
      }
    }
    deadLetters("")
        .forEach(
            d -> {
              f.samples.add("MessageId", d.path("id").asString());
              f.samples.add(ValidRequests.DEAD_LETTER, d.path("id").asString());
            });
  }

  private static JsonNode deadLetters(String agent) {
    String query = agent.isEmpty() ? "" : "?agent=" + agent;
    return server.call("GET", "/v1/dlq" + query, server.adminToken(), null).path("dead_letters");
  }
}
