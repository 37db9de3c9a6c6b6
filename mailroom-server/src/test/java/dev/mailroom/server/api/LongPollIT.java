package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/inbox?wait_seconds=N}: an empty answer waits up to N seconds for the first message
 * that passes the request's filters, and ends as soon as one arrives. The time bounds here are
 * loose on purpose: they tell "returned on arrival" from "waited the whole time", nothing finer.
 */
class LongPollIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  /** How long after the poll starts the other agent sends. */
  private static final Duration SEND_DELAY = Duration.ofMillis(300);

  private static final ExecutorService senders = Executors.newCachedThreadPool();

  @AfterAll
  static void stopSenders() throws InterruptedException {
    senders.shutdownNow();
    senders.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void aWaitingPollReturnsTheMessageAsSoonAsItIsSent() throws Exception {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    CompletableFuture<String> sent = later(() -> id(api.as(alice).sendOk(plain(bob.id(), "hi"))));

    Timed poll = timed(() -> api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 10)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    String id = sent.get(10, TimeUnit.SECONDS);
    assertThat(ids(poll.response())).containsExactly(id);
    assertThat(poll.elapsed()).as("returned on arrival, not after 10 s").isLessThan(seconds(8));
  }

  @Test
  void aPollThatFindsAMessageReturnsAtOnce() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    String id = id(api.as(alice).sendOk(plain(bob.id(), "already here")));

    Timed poll = timed(() -> api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 30)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    assertThat(ids(poll.response())).containsExactly(id);
    assertThat(poll.elapsed()).isLessThan(seconds(8));
  }

  @Test
  void aPollWithNothingToReturnAnswersAnEmptyPageAfterTheWait() {
    Agent bob = api.newAgent("bob");

    Timed poll = timed(() -> api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 1)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    JsonNode page = poll.response().json();
    assertThat(Json.array(page, "messages")).isEmpty();
    assertThat(page.has("next_cursor")).isTrue();
    assertThat(text(page, "next_cursor")).isNull();
    assertThat(poll.elapsed()).as("waited about a second").isGreaterThanOrEqualTo(millis(900));
  }

  @Test
  void aWaitOfZeroDoesNotWait() {
    Agent bob = api.newAgent("bob");

    Timed poll = timed(() -> api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 0)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    assertThat(ids(poll.response())).isEmpty();
    assertThat(poll.elapsed()).isLessThan(seconds(8));
  }

  @Test
  void aMessageTheFiltersRefuseDoesNotEndTheWait() throws Exception {
    Agent expected = api.newAgent("expected");
    Agent other = api.newAgent("other");
    Agent bob = api.newAgent("bob");
    CompletableFuture<String> sent =
        later(() -> id(api.as(other).sendOk(plain(bob.id(), "not from the sender asked for"))));

    Timed poll =
        timed(
            () ->
                api.as(bob)
                    .get("/v1/inbox", Query.of("sender", expected.id()).and("wait_seconds", 2)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    assertThat(ids(poll.response())).isEmpty();
    assertThat(poll.elapsed()).as("waited the whole 2 s").isGreaterThanOrEqualTo(millis(1800));
    // The message did arrive during the wait; it simply did not match.
    String id = sent.get(10, TimeUnit.SECONDS);
    assertThat(api.as(bob).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(id);
  }

  @Test
  void aMessageTheFiltersAcceptEndsTheWait() throws Exception {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    CompletableFuture<String> sent =
        later(
            () -> {
              api.as(alice).sendOk(plain(bob.id(), "routine"));
              Map<String, Object> urgent = plain(bob.id(), "urgent");
              urgent.put("priority", "urgent");
              return id(api.as(alice).sendOk(urgent));
            });

    Timed poll =
        timed(
            () ->
                api.as(bob)
                    .get("/v1/inbox", Query.of("min_priority", "high").and("wait_seconds", 10)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    assertThat(ids(poll.response())).containsExactly(sent.get(10, TimeUnit.SECONDS));
    assertThat(poll.elapsed()).isLessThan(seconds(8));
  }

  @Test
  void aMessageMatchedByAPollingSubscriptionEndsTheWait() throws Exception {
    Agent publisher = api.newAgent("publisher");
    Agent subscriber = api.newAgent("subscriber");
    String topic = "polled." + subscriber.id();
    Response subscribed =
        api.as(subscriber)
            .post(
                "/v1/subscriptions",
                Json.write(object("pattern", "polled.*", "delivery_mode", "polling")));
    assertThat(subscribed.status()).as("%s", subscribed).isEqualTo(201);
    CompletableFuture<String> sent =
        later(
            () ->
                id(
                    api.as(publisher)
                        .sendOk(
                            object(
                                "mode", "topic",
                                "target", topic,
                                "content_type", "text/plain",
                                "payload", "for pollers"))));

    Timed poll = timed(() -> api.as(subscriber).get("/v1/inbox", Query.of("wait_seconds", 10)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    String id = sent.get(10, TimeUnit.SECONDS);
    assertThat(ids(poll.response())).containsExactly(id);
    assertThat(poll.elapsed()).as("returned on arrival, not after 10 s").isLessThan(seconds(8));
  }

  @Test
  void aMessageForSomeoneElseDoesNotEndTheWait() throws Exception {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    CompletableFuture<String> sent = later(() -> id(api.as(alice).sendOk(plain(carol.id(), "x"))));

    Timed poll = timed(() -> api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 2)));

    assertThat(poll.response().status()).as("%s", poll.response()).isEqualTo(200);
    assertThat(ids(poll.response())).isEmpty();
    assertThat(poll.elapsed()).isGreaterThanOrEqualTo(millis(1800));
    assertThat(api.as(carol).listIds("/v1/inbox", Query.NONE, 50))
        .containsExactly(sent.get(10, TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "wait_seconds={0}")
  @ValueSource(strings = {"61", "-1", "abc", "1.5", "", "3600", "99999999999999999999"})
  void anInvalidWaitIsRefusedAndNamed(String value) {
    Agent bob = api.newAgent("bob");

    Timed poll = timed(() -> api.as(bob).get("/v1/inbox", Query.of("wait_seconds", value)));

    assertInvalid(poll.response(), "wait_seconds");
    assertThat(poll.elapsed()).as("refused without waiting").isLessThan(seconds(8));
  }

  @Test
  void aWaitGivenTwiceIsRefusedAndNamed() {
    Agent bob = api.newAgent("bob");

    Response r = api.as(bob).get("/v1/inbox", Query.of("wait_seconds", 1).and("wait_seconds", 2));

    assertInvalid(r, "wait_seconds");
  }

  @Test
  void aBadFilterNextToAWaitIsRefusedWithoutWaiting() {
    Agent bob = api.newAgent("bob");

    Timed poll =
        timed(
            () ->
                api.as(bob)
                    .get("/v1/inbox", Query.of("wait_seconds", 30).and("min_priority", "extreme")));

    assertInvalid(poll.response(), "min_priority");
    assertThat(poll.elapsed()).isLessThan(seconds(8));
  }

  /** Runs {@code send} on another thread after {@link #SEND_DELAY}. */
  private static <T> CompletableFuture<T> later(Supplier<T> send) {
    return CompletableFuture.supplyAsync(
        send,
        CompletableFuture.delayedExecutor(SEND_DELAY.toMillis(), TimeUnit.MILLISECONDS, senders));
  }

  private record Timed(Response response, Duration elapsed) {}

  private static Timed timed(Supplier<Response> call) {
    long start = System.nanoTime();
    Response r = call.get();
    return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
  }

  private static String id(JsonNode sent) {
    return text(sent, "id");
  }

  private static List<String> ids(Response r) {
    return Json.array(r.json(), "messages").stream().map(m -> text(m, "id")).toList();
  }

  private static Duration seconds(long n) {
    return Duration.ofSeconds(n);
  }

  private static Duration millis(long n) {
    return Duration.ofMillis(n);
  }
}
