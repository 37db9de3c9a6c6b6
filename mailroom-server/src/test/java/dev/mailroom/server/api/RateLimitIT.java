package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.server.SecuritySettings;
import dev.mailroom.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rate limits over HTTP: 429 with {@code Retry-After} for a client address with too many failed
 * authentications, and for an agent over its request rate. The servers' clock stands still, so a
 * bucket refills only when a test moves it; every test starts with full buckets.
 */
class RateLimitIT {
  private static final MutableClock CLOCK = MutableClock.of(Instant.parse("2026-06-01T00:00:00Z"));
  private static final int WRONG_REQUESTS = 1_000;
  private static final int FAILURE_BURST = SecuritySettings.DEFAULT_AUTH_FAILURE_BURST;
  private static final int AGENT_BURST = 5;

  /** The shipped limits: 60 failed authentications a minute per address, 20 at once. */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(b -> b.security(SecuritySettings.DEFAULTS).clock(CLOCK));

  /** One request a second per agent, {@value #AGENT_BURST} at once. */
  @RegisterExtension
  static final MailroomApi limited =
      new MailroomApi(
          b -> b.security(MailroomApi.TEST_SECURITY.withAgentRate(1, AGENT_BURST)).clock(CLOCK));

  @BeforeEach
  void refillEveryBucket() {
    CLOCK.advance(Duration.ofMinutes(5));
  }

  @Test
  void aThousandRequestsWithWrongTokensAreLimitedWhileOtherAgentsAreServed() throws Exception {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    List<Response> wrong = new ArrayList<>();
    List<Response> served = new ArrayList<>();
    try (ExecutorService intruder = Executors.newFixedThreadPool(4);
        ExecutorService agents = Executors.newSingleThreadExecutor()) {
      // One client, on the same address as the agents, over four connections at once.
      List<Future<Response>> attempts = new ArrayList<>();
      for (int i = 0; i < WRONG_REQUESTS; i++) {
        String token = "Bearer mr_%043d".formatted(i);
        attempts.add(
            intruder.submit(() -> api.anonymous().withAuthorization(token).get("/v1/inbox")));
      }
      Future<List<Response>> work =
          agents.submit(
              () -> {
                List<Response> answers = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                  answers.add(api.as(alice).send(plain(bob.id(), "note " + i)));
                  answers.add(api.as(bob).get("/v1/inbox/unread_count"));
                }
                return answers;
              });
      for (Future<Response> f : attempts) {
        wrong.add(f.get());
      }
      served.addAll(work.get());
    }

    assertThat(wrong.stream().filter(r -> r.status() == 401)).hasSize(FAILURE_BURST);
    List<Response> refused = wrong.stream().filter(r -> r.status() != 401).toList();
    assertThat(refused).hasSize(WRONG_REQUESTS - FAILURE_BURST);
    assertThat(refused).allSatisfy(RateLimitIT::assertRateLimited);
    assertThat(served)
        .allSatisfy(r -> assertThat(r.status()).as("%s", r).isIn(200, 201))
        .hasSize(200);
    assertThat(api.as(bob).unreadCount()).isEqualTo(100);
    assertThat(api.anonymous().get("/metrics").body())
        .containsPattern(
            "mailroom_rate_limited_total\\{kind=\"address\",?} "
                + (WRONG_REQUESTS - FAILURE_BURST)
                + "\\.0");
  }

  @Test
  void anAgentOverItsRateGets429WhileAnotherAgentIsServed() {
    Agent alice = limited.newAgent("alice");
    Agent bob = limited.newAgent("bob");
    for (int i = 0; i < AGENT_BURST; i++) {
      assertThat(limited.as(alice).get("/v1/inbox").status()).isEqualTo(200);
    }

    assertRateLimited(limited.as(alice).get("/v1/inbox"));
    assertRateLimited(limited.as(alice).send(plain(bob.id(), "over the limit")));
    for (int i = 0; i < AGENT_BURST; i++) {
      assertThat(limited.as(bob).unreadCount()).as("nothing came through").isZero();
    }
  }

  @Test
  void anAgentIsServedAgainOnceItsBucketRefills() {
    Agent alice = limited.newAgent("alice");
    for (int i = 0; i < AGENT_BURST; i++) {
      limited.as(alice).get("/v1/inbox");
    }
    assertRateLimited(limited.as(alice).get("/v1/inbox"));

    CLOCK.advance(Duration.ofSeconds(1));

    assertThat(limited.as(alice).get("/v1/inbox").status()).isEqualTo(200);
    assertRateLimited(limited.as(alice).get("/v1/inbox"));
  }

  @Test
  void aStreamOpenedOverTheRateIsRefusedWith429BeforeTheUpgrade() {
    Agent alice = limited.newAgent("alice");
    for (int i = 0; i < AGENT_BURST; i++) {
      limited.as(alice).get("/v1/inbox");
    }
    URI stream = URI.create("ws://" + limited.baseUri().getAuthority() + "/v1/stream");

    try (HttpClient http = ApiClient.newHttpClient()) {
      assertThatThrownBy(
              () ->
                  http.newWebSocketBuilder()
                      .header("Authorization", "Bearer " + alice.token())
                      .buildAsync(stream, new WebSocket.Listener() {})
                      .join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              WebSocketHandshakeException.class,
              e -> {
                assertThat(e.getResponse().statusCode()).isEqualTo(429);
                assertThat(e.getResponse().headers().firstValue("Retry-After")).contains("1");
              });
    }
  }

  private static void assertRateLimited(Response r) {
    assertThat(assertProblem(r, 429).path("type").asString()).isEqualTo("/problems/rate-limited");
    assertThat(r.header("Retry-After"))
        .as("%s", r)
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
  }
}
