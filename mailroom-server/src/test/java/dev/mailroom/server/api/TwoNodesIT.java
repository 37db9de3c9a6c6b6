package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.delivery.AgentQuotas;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two Mailroom nodes on one Redis namespace form one system: what is sent through one reaches
 * streams on the other, and subscriptions made through one route sends made through the other.
 */
class TwoNodesIT {
  private static final String NAMESPACE = "two-nodes-" + UUID.randomUUID();

  private static final int MAX_PER_AGENT = 20;

  @RegisterExtension static final MailroomApi a = new MailroomApi(TwoNodesIT::node);
  @RegisterExtension static final MailroomApi b = new MailroomApi(TwoNodesIT::node);

  private static ServerConfig.Builder node(ServerConfig.Builder builder) {
    return builder.redis(redis()).quotas(new AgentQuotas(MAX_PER_AGENT, MAX_PER_AGENT));
  }

  private static RedisOptions redis() {
    return RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(NAMESPACE);
  }

  @Test
  void aSubscriberOnOneNodeReceivesWhatIsSentThroughTheOther() {
    Agent publisher = b.newAgent("b-pub");
    Agent reader = a.newAgent("a-reader");
    // Subscribed through node A: node B must learn of it to route its sends.
    subscribe(a.as(reader), "news.*", true);
    try (var stream = connect(a, reader, "")) {
      String direct = Streams.direct(b.as(publisher), reader, "hello from b");
      String topic = publish(b.as(publisher), "news.today", "on the topic");

      StreamClient.Event first = stream.nextMessage();
      assertThat(first.json().get("id").asString()).isEqualTo(direct);
      assertThat(first.json().at("/message/payload").asString()).isEqualTo("hello from b");
      assertThat(stream.nextMessage().json().get("id").asString()).isEqualTo(topic);
      stream.assertQuiet(Duration.ofMillis(300));
    }
  }

  @Test
  void bothNodesSweepYetEachOverdueObligationIsNoticedOnce() {
    Agent asker = a.newAgent("a-asker");
    Agent owing = b.newAgent("b-owing");
    java.time.Instant deadline = java.time.Instant.now().plusMillis(1500);
    java.util.Set<String> sent = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      var send = AskIT.direct(owing.id(), "by then " + i);
      send.put("reply_by", deadline.toString());
      sent.add(Json.text((i % 2 == 0 ? a : b).as(asker).sendOk(send), "id"));
    }

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> notices(asker).size() >= sent.size());
    // Both nodes go on sweeping every second: still one notice each.
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> notices(asker).size() == sent.size());
    assertThat(notices(asker).stream().map(n -> Json.text(n, "in_reply_to")))
        .containsExactlyInAnyOrderElementsOf(sent);
  }

  private static java.util.List<tools.jackson.databind.JsonNode> notices(Agent agent) {
    return a.as(agent).listAll("/v1/inbox", Query.of("tag", "overdue"), 100);
  }

  @Test
  void askReturnsTheReplySentThroughTheOtherNode() throws Exception {
    Agent asker = a.newAgent("a-asker");
    Agent helper = b.newAgent("b-helper");
    var replied = AskIT.answerFirst(b.as(helper), "through b");

    Response r =
        a.as(asker)
            .post(
                "/v1/messages/ask?timeout_seconds=30",
                Json.write(AskIT.direct(helper.id(), "through a?")));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(Json.text(r.json().get("reply"), "id"))
        .isEqualTo(replied.get(10, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  void anAgentShowsOnlineOnOneNodeWhileItsStreamIsOpenOnTheOther() {
    Agent alice = b.newAgent("b-present");
    Agent watcher = a.newAgent("a-watcher");

    try (var stream = connect(b, alice, "")) {
      // Marked as the stream opens, not at the next refresh.
      await().atMost(Duration.ofSeconds(1)).until(() -> online(a.as(watcher), alice));
    }
    // Cleared as it closes; at the latest, the mark lapses within the heartbeat window.
    await().atMost(Duration.ofSeconds(15)).until(() -> !online(a.as(watcher), alice));
  }

  @Test
  void anAgentRetiredThroughOneNodeIsRefusedByTheOtherAtOnce() {
    Agent carol = b.newAgent("b-retiring");
    // Node B has the token cached: it authenticated carol a moment ago.
    assertThat(b.as(carol).get("/v1/whoami").status()).isEqualTo(200);

    Response retired = a.admin().post("/v1/agents/" + carol.id() + "/retire", null);
    assertThat(retired.status()).as("%s", retired).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> b.as(carol).get("/v1/whoami").status() == 401);
    assertThat(b.as(carol).get("/v1/agents/" + carol.id()).status()).isEqualTo(401);
    assertThat(b.admin().get("/v1/agents/" + carol.id()).json().has("retired_at")).isTrue();
  }

  @Test
  void anAgentDeletedThroughOneNodeIsRefusedByTheOtherAtOnce() {
    Agent dave = b.newAgent("b-deleting");
    // Node B has the token and the agent cached: it authenticated dave a moment ago.
    assertThat(b.as(dave).get("/v1/whoami").status()).isEqualTo(200);
    assertThat(b.admin().get("/v1/agents/" + dave.id()).status()).isEqualTo(200);

    Response deleted = a.admin().delete("/v1/agents/" + dave.id());
    assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);

    await().atMost(Duration.ofSeconds(1)).until(() -> b.as(dave).get("/v1/whoami").status() == 401);
    assertThat(b.admin().get("/v1/agents/" + dave.id()).status()).isEqualTo(404);
    assertThat(b.admin().delete("/v1/agents/" + dave.id()).status()).isEqualTo(404);
  }

  private static boolean online(ApiClient client, Agent agent) {
    Response r = client.get("/v1/agents/" + agent.id());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("online").asBoolean();
  }

  @Test
  void aPermissionChangedThroughOneNodeAppliesOnTheOther() {
    Agent writer = b.newAgent("b-writer");
    String topic = "guarded" + System.nanoTime();
    Response rule =
        a.admin()
            .post(
                "/v1/acl",
                Json.write(
                    Json.object(
                        "grantee",
                        "agent:" + writer.id(),
                        "effect",
                        "deny",
                        "resource",
                        topic,
                        "actions",
                        List.of("write"))));
    assertThat(rule.status()).as("%s", rule).isEqualTo(201);

    await()
        .atMost(Duration.ofSeconds(1))
        .untilAsserted(() -> Problems.assertProblem(b.as(writer).send(topicSend(topic)), 403));

    assertThat(a.admin().delete("/v1/acl/" + Json.text(rule.json(), "id")).status()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> b.as(writer).send(topicSend(topic)).status() == 201);
  }

  @Test
  void aTokenRevokedThroughOneNodeEndsTheStreamOnTheOther() {
    Agent agent = b.newAgent("b-revoked");
    try (var stream = connect(b, agent, "")) {
      assertThat(a.admin().delete("/v1/agents/" + agent.id() + "/token").status()).isEqualTo(204);

      await().atMost(Duration.ofSeconds(1)).until(() -> stream.closeCode() != null);
    }
    Problems.assertProblem(b.as(agent).get("/v1/inbox"), 401);
  }

  private static java.util.Map<String, Object> topicSend(String topic) {
    return Json.object(
        "mode", "topic", "target", topic, "content_type", "text/plain", "payload", "x");
  }

  @Test
  void aLongPollOnOneNodeWakesForASendThroughTheOther() throws Exception {
    Agent publisher = b.newAgent("b-pub");
    Agent reader = a.newAgent("a-poller");
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Response> poll = pool.submit(() -> a.as(reader).get("/v1/inbox?wait_seconds=20"));
      Thread.sleep(300); // let the poll start waiting
      long start = System.nanoTime();
      Streams.direct(b.as(publisher), reader, "wake up");
      Response r = poll.get();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().get("messages")).hasSize(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void tenThousandMessagesThroughBothNodesReachSubscribersOnBothOnce() throws Exception {
    int perNode = 5_000;
    int senders = 4;
    Agent onA = a.newAgent("a-sub");
    Agent onB = b.newAgent("b-sub");
    subscribe(a.as(onA), "load.both", true);
    subscribe(b.as(onB), "load.both", true);
    List<Agent> publishers = List.of(a.newAgent("a-pub"), b.newAgent("b-pub"));
    ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
    try (var streamA = connect(a, onA, "");
        var streamB = connect(b, onB, "");
        ExecutorService pool = Executors.newFixedThreadPool(2 * senders)) {
      List<Future<?>> sending = new ArrayList<>();
      for (int node = 0; node < 2; node++) {
        MailroomApi api = node == 0 ? a : b;
        Agent publisher = publishers.get(node);
        for (int t = 0; t < senders; t++) {
          int thread = t;
          sending.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < perNode / senders; i++) {
                      sent.add(publish(api.as(publisher), "load.both", thread + "/" + i));
                    }
                  }));
        }
      }
      for (Future<?> f : sending) {
        f.get();
      }
      Set<String> expected = new HashSet<>(sent);
      assertThat(expected).hasSize(2 * perNode);
      for (var stream : List.of(streamA, streamB)) {
        List<String> received = stream.messageIds(2 * perNode);
        assertThat(received).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(expected);
        stream.assertQuiet(Duration.ofMillis(500));
      }
    }
  }

  @Test
  void bothNodesReportTheRedisStore() {
    for (MailroomApi node : List.of(a, b)) {
      JsonNode health = node.anonymous().get("/health").json();
      assertThat(health.at("/components/store/backend").asString()).isEqualTo("redis");
      assertThat(health.at("/components/store/status").asString()).isEqualTo("UP");
    }
  }

  @Test
  void thePerAgentCapsHoldAcrossNodesUnderConcurrentRequests() throws Exception {
    Agent agent = a.newAgent("capped");
    ApiClient viaB = b.as(agent);
    int attempts = MAX_PER_AGENT + 10;
    List<Integer> subscriptions = new ArrayList<>();
    List<Integer> topics = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Integer>> subs = new ArrayList<>();
      List<Future<Integer>> made = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        ApiClient via = i % 2 == 0 ? a.as(agent) : viaB;
        String n = Integer.toString(i);
        subs.add(
            pool.submit(
                () ->
                    via.post(
                            "/v1/subscriptions",
                            Json.write(Json.object("pattern", "capped.sub" + n)))
                        .status()));
        made.add(
            pool.submit(
                () ->
                    via.post("/v1/topics", Json.write(Json.object("name", "capped.topic" + n)))
                        .status()));
      }
      for (Future<Integer> f : subs) {
        subscriptions.add(f.get());
      }
      for (Future<Integer> f : made) {
        topics.add(f.get());
      }
    }

    assertThat(subscriptions).filteredOn(s -> s == 201).hasSize(MAX_PER_AGENT);
    assertThat(subscriptions).filteredOn(s -> s == 409).hasSize(attempts - MAX_PER_AGENT);
    assertThat(topics).filteredOn(s -> s == 201).hasSize(MAX_PER_AGENT);
    assertThat(topics).filteredOn(s -> s == 409).hasSize(attempts - MAX_PER_AGENT);
    // Each node learns of the other's subscriptions through the store's events.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(b.as(agent).listAll("/v1/subscriptions", Query.NONE, 7, "subscriptions"))
                    .hasSize(MAX_PER_AGENT));
  }
}
