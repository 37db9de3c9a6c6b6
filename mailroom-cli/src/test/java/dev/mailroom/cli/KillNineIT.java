package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A send answered 201 survives {@code kill -9} of the server right after the answer: the server
 * runs as its own JVM, is killed with SIGKILL the moment a chosen answer arrives (while other sends
 * are still in flight), and is started again on the same data directory.
 */
class KillNineIT {
  private static final String ADMIN_TOKEN = "mr_test_admin_kill_nine_0123456789abcdef";

  @TempDir Path dataDir;
  @TempDir Path logs;

  private ServerProcess server;
  private String aliceToken;
  private String bobToken;

  @BeforeEach
  void startWithTwoAgents() {
    server = start();
    Http admin = new Http(server.baseUri(), ADMIN_TOKEN);
    aliceToken = createAgent(admin, "alice");
    bobToken = createAgent(admin, "bob");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyAcknowledgedSendOfAConcurrentBurstSurvivesKillNine() throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    for (int round = 1; round <= 2; round++) {
      burstUntilKilled(round, 100 * round, acknowledged);
      server = start();
      assertBobHolds(acknowledged);
    }
  }

  @Test
  void aSendKilledRightAfterItsAnswerIsThereAfterRestartAndItsKeyStillDeduplicates()
      throws Exception {
    Http alice = new Http(server.baseUri(), aliceToken);
    Http.Answer answer = alice.post("/v1/messages", keyed(body("single"), "key-1"));
    server.killNow();
    assertThat(answer.status()).as("%s", answer).isEqualTo(201);
    String id = answer.json().get("id").stringValue();
    server.kill();

    server = start();
    assertBobHolds(Map.of(id, "single"));
    Http.Answer replay =
        new Http(server.baseUri(), aliceToken).post("/v1/messages", keyed(body("single"), "key-1"));
    assertThat(replay.status()).as("%s", replay).isEqualTo(201);
    assertThat(replay.json().get("id").stringValue()).as("%s", replay).isEqualTo(id);
    assertBobHolds(Map.of(id, "single"));
  }

  /**
   * Sixteen clients send as fast as they can; the client that receives the {@code killAt}-th 201 of
   * this round kills the server at once. Every 201 received, before or after that, is recorded.
   */
  private void burstUntilKilled(int round, int killAt, Map<String, String> acknowledged)
      throws Exception {
    ServerProcess victim = server;
    Http alice = new Http(victim.baseUri(), aliceToken);
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger sequence = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int t = 0; t < 16; t++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  while (!killed.get()) {
                    String payload = "round-" + round + "-" + sequence.incrementAndGet();
                    Http.Answer answer;
                    try {
                      answer = alice.post("/v1/messages", body(payload));
                    } catch (UncheckedIOException e) {
                      assertThat(killed).as("a send failed before the kill").isTrue();
                      return null;
                    }
                    assertThat(answer.status()).as("%s", answer).isEqualTo(201);
                    acknowledged.put(answer.json().get("id").stringValue(), payload);
                    if (answered.incrementAndGet() == killAt) {
                      killed.set(true);
                      victim.killNow();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    victim.kill();
    assertThat(answered.get()).isGreaterThanOrEqualTo(killAt);
  }

  /** Bob's inbox holds every acknowledged message with its payload, each once. */
  private void assertBobHolds(Map<String, String> acknowledged) {
    Http bob = new Http(server.baseUri(), bobToken);
    Map<String, String> stored = new HashMap<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    do {
      Http.Answer page =
          bob.get("/v1/inbox?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as("%s", page).isEqualTo(200);
      JsonNode json = page.json();
      for (JsonNode m : json.get("messages")) {
        String id = m.get("id").stringValue();
        assertThat(stored.put(id, m.get("payload").stringValue()))
            .as("%s listed twice", id)
            .isNull();
        order.add(id);
      }
      JsonNode next = json.get("next_cursor");
      cursor =
          next == null || next.isNull()
              ? null
              : URLEncoder.encode(next.stringValue(), StandardCharsets.UTF_8);
    } while (cursor != null);

    assertThat(order).isSorted();
    assertThat(stored).containsAllEntriesOf(acknowledged);
    for (String id : acknowledged.keySet()) {
      Http.Answer one = bob.get("/v1/messages/" + id);
      assertThat(one.status()).as("%s", one).isEqualTo(200);
    }
  }

  private ServerProcess start() {
    return ServerProcess.start(dataDir, ADMIN_TOKEN, logs.resolve("server.log"));
  }

  private static String createAgent(Http admin, String id) {
    Http.Answer r = admin.post("/v1/agents", Map.of("id", id, "roles", List.of("agent")));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().get("token").stringValue();
  }

  private static Map<String, Object> body(String payload) {
    Map<String, Object> body = new HashMap<>();
    body.put("mode", "direct");
    body.put("target", "bob");
    body.put("content_type", "text/plain");
    body.put("payload", payload);
    return body;
  }

  private static Map<String, Object> keyed(Map<String, Object> body, String key) {
    body.put("idempotency_key", key);
    return body;
  }
}
