package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.server.TopicPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Topics over HTTP: configuration and its inheritance down the name hierarchy, the tree listing,
 * join and leave, statistics, the subscriber cap, who may reconfigure and delete, creation on
 * publish switched off, and the removal of idle topics.
 *
 * <p>Every test in the default server uses its own root segment, so that their topics never inherit
 * from one another and the tree test sees only its own {@code ai} branch.
 */
class TopicsIT {
  /** The server defaults: topics are created on publish, idle topics live a week. */
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  /** Topics must be created before anyone publishes to them. */
  @RegisterExtension
  static final MailroomApi closed =
      new MailroomApi(
          b ->
              b.topics(new TopicPolicy(false, Duration.ofMinutes(1), Duration.ofDays(7), 100_000)));

  /** Idle topics go after one second, looked for five times a second. */
  @RegisterExtension
  static final MailroomApi janitor =
      new MailroomApi(
          b ->
              b.topics(
                  new TopicPolicy(true, Duration.ofMillis(200), Duration.ofSeconds(1), 100_000)));

  private static final long DEFAULT_RETENTION_SECONDS = Duration.ofDays(7).toSeconds();
  private static final long DEFAULT_CLEANUP_SECONDS = Duration.ofDays(7).toSeconds();
  private static final int DEFAULT_MAX_SUBSCRIBERS = 100_000;

  @Test
  void aTopicCreatedWithConfigurationIsReadBack() {
    Agent alice = api.newAgent("alice");
    Map<String, Object> body =
        object(
            "name", "weather.alerts",
            "description", "severe weather, by region",
            "retention_seconds", 3600,
            "max_subscribers", 25,
            "cleanup_after_seconds", 86_400);

    Response created = api.as(alice).post("/v1/topics", Json.write(body));

    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.header("Location")).contains("/v1/topics/weather.alerts");
    Response r = api.as(alice).get("/v1/topics/weather.alerts");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    for (JsonNode topic : List.of(created.json(), r.json())) {
      assertThat(text(topic, "name")).isEqualTo("weather.alerts");
      JsonNode config = topic.path("config");
      assertThat(text(config, "description")).isEqualTo("severe weather, by region");
      assertThat(config.path("retention_seconds").asLong()).isEqualTo(3600);
      assertThat(config.path("max_subscribers").asInt()).isEqualTo(25);
      assertThat(config.path("cleanup_after_seconds").asLong()).isEqualTo(86_400);
      assertSettings(topic, 3600, 25, 86_400);
      JsonNode stats = topic.path("stats");
      assertThat(stats.path("messages").asLong(-1)).isZero();
      assertThat(stats.path("subscribers").asInt(-1)).isZero();
      assertThat(stats.path("peak_subscribers").asInt(-1)).isZero();
      assertThat(stats.has("last_message_at")).as("%s", topic).isFalse();
      assertThat(Times.parse(text(stats, "created_at")))
          .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    }
  }

  @Test
  void aTopicWithoutConfigurationShowsTheServerDefaults() {
    Agent alice = api.newAgent("alice");

    assertThat(createTopic(alice, object("name", "plain.topic")).status()).isEqualTo(201);

    JsonNode topic = getTopic(alice, "plain.topic");
    assertThat(topic.path("config").properties()).as("%s", topic).isEmpty();
    assertSettings(
        topic, DEFAULT_RETENTION_SECONDS, DEFAULT_MAX_SUBSCRIBERS, DEFAULT_CLEANUP_SECONDS);
  }

  @Test
  void aChildInheritsFromItsNearestConfiguredAncestorPartByPart() {
    Agent alice = api.newAgent("alice");
    created(
        alice,
        object(
            "name", "org",
            "retention_seconds", 3600,
            "max_subscribers", 50,
            "cleanup_after_seconds", 7200));
    created(alice, object("name", "org.team", "max_subscribers", 7));
    created(alice, object("name", "org.team.project"));
    created(alice, object("name", "org.unconfigured.deep.leaf"));

    JsonNode team = getTopic(alice, "org.team");
    assertThat(team.path("config").path("max_subscribers").asInt()).isEqualTo(7);
    assertThat(team.path("config").has("retention_seconds")).isFalse();
    assertSettings(team, 3600, 7, 7200);

    JsonNode project = getTopic(alice, "org.team.project");
    assertThat(project.path("config").properties()).as("%s", project).isEmpty();
    assertSettings(project, 3600, 7, 7200);

    // No topic named org.unconfigured or org.unconfigured.deep: the nearest configured is org.
    assertProblem(api.as(alice).get("/v1/topics/org.unconfigured"), 404);
    assertSettings(getTopic(alice, "org.unconfigured.deep.leaf"), 3600, 50, 7200);
  }

  @Test
  void aChildsOwnConfigurationOverridesItsAncestors() {
    Agent alice = api.newAgent("alice");
    created(
        alice,
        object(
            "name", "fleet",
            "retention_seconds", 3600,
            "max_subscribers", 50,
            "cleanup_after_seconds", 7200));
    created(
        alice,
        object(
            "name", "fleet.trucks",
            "retention_seconds", 60,
            "max_subscribers", 2,
            "cleanup_after_seconds", 30));
    created(alice, object("name", "fleet.trucks.north", "retention_seconds", 120));

    assertSettings(getTopic(alice, "fleet"), 3600, 50, 7200);
    assertSettings(getTopic(alice, "fleet.trucks"), 60, 2, 30);
    assertSettings(getTopic(alice, "fleet.trucks.north"), 120, 2, 30);
  }

  @Test
  void reconfiguringAnAncestorChangesWhatItsChildrenInherit() {
    Agent alice = api.newAgent("alice");
    created(alice, object("name", "depot", "retention_seconds", 3600));
    created(alice, object("name", "depot.bay"));
    assertSettings(
        getTopic(alice, "depot.bay"), 3600, DEFAULT_MAX_SUBSCRIBERS, DEFAULT_CLEANUP_SECONDS);

    Response r = put(api.admin(), "depot", object("retention_seconds", 90, "max_subscribers", 4));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertSettings(getTopic(alice, "depot.bay"), 90, 4, DEFAULT_CLEANUP_SECONDS);
  }

  @Test
  void theTreeNestsTopicsUnderTheirNamesPrefixes() {
    Agent alice = api.newAgent("alice");
    created(alice, object("name", "ai.models.gpt4", "description", "the gpt4 model"));
    created(alice, object("name", "ai.models.claude"));

    JsonNode ai = rootNode("ai");
    assertThat(text(ai, "segment")).isEqualTo("ai");
    assertThat(ai.has("topic")).as("ai is no topic: %s", ai).isFalse();
    JsonNode models = onlyChild(ai, "ai.models");
    assertThat(text(models, "segment")).isEqualTo("models");
    assertThat(models.has("topic")).as("ai.models is no topic yet: %s", models).isFalse();
    List<JsonNode> leaves = Json.array(models, "children");
    assertThat(leaves)
        .extracting(n -> text(n, "name"))
        .containsExactlyInAnyOrder("ai.models.gpt4", "ai.models.claude");
    JsonNode gpt4 = child(models, "ai.models.gpt4");
    assertThat(text(gpt4, "segment")).isEqualTo("gpt4");
    assertThat(text(gpt4.path("topic"), "name")).isEqualTo("ai.models.gpt4");
    assertThat(text(gpt4.path("topic").path("config"), "description")).isEqualTo("the gpt4 model");
    assertThat(gpt4.path("topic").has("settings")).isTrue();
    assertThat(gpt4.path("topic").has("stats")).isTrue();
    assertThat(Json.array(gpt4, "children")).isEmpty();
    assertThat(text(child(models, "ai.models.claude").path("topic"), "name"))
        .isEqualTo("ai.models.claude");
    assertThat(Json.array(tree(), "topics"))
        .extracting(n -> text(n, "name"))
        .doesNotContain("ai.models", "ai.models.gpt4", "ai.models.claude");

    created(alice, object("name", "ai.models", "description", "all models"));

    JsonNode again = onlyChild(rootNode("ai"), "ai.models");
    assertThat(text(again.path("topic"), "name")).isEqualTo("ai.models");
    assertThat(text(again.path("topic").path("config"), "description")).isEqualTo("all models");
    assertThat(Json.array(again, "children")).hasSize(2);
    assertThat(rootNode("ai").has("topic")).isFalse();
  }

  @Test
  void joiningTwiceAnswersTheSameSubscriptionAndLeavingEndsIt() {
    Agent alice = api.newAgent("alice");
    created(alice, object("name", "club.chess"));

    Response first = api.as(alice).post("/v1/topics/club.chess/join", null);
    Response second = api.as(alice).post("/v1/topics/club.chess/join", null);

    assertThat(first.status()).as("%s", first).isEqualTo(201);
    String id = text(first.json(), "id");
    assertThat(id).isNotBlank();
    assertThat(text(first.json(), "pattern")).isEqualTo("club.chess");
    assertThat(text(first.json(), "agent_id")).isEqualTo(alice.id());
    assertThat(first.header("Location")).contains("/v1/subscriptions/" + id);
    assertThat(second.status()).as("%s", second).isEqualTo(200);
    assertThat(text(second.json(), "id")).isEqualTo(id);
    assertThat(subscriptionIds(alice)).containsExactly(id);
    assertThat(getTopic(alice, "club.chess").path("stats").path("subscribers").asInt())
        .isEqualTo(1);

    Response left = api.as(alice).post("/v1/topics/club.chess/leave", null);

    assertThat(left.status()).as("%s", left).isEqualTo(204);
    assertThat(subscriptionIds(alice)).isEmpty();
    assertProblem(api.as(alice).get("/v1/subscriptions/" + id), 404);
    assertProblem(api.as(alice).post("/v1/topics/club.chess/leave", null), 404);
    assertThat(getTopic(alice, "club.chess").path("stats").path("subscribers").asInt()).isZero();
  }

  @Test
  void aJoinerReceivesWhatIsPublishedToTheTopic() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    assertThat(api.as(bob).post("/v1/topics/radio.news/join", null).status()).isEqualTo(201);

    String id = text(api.as(alice).sendOk(topicMessage("radio.news", "on air")), "id");

    assertThat(api.as(bob).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(id);
  }

  @Test
  void statsCountMessagesAndSubscribers() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    created(alice, object("name", "stats.room"));

    assertThat(api.as(bob).post("/v1/topics/stats.room/join", null).status()).isEqualTo(201);
    assertThat(api.as(carol).post("/v1/topics/stats.room/join", null).status()).isEqualTo(201);
    JsonNode joined = getTopic(alice, "stats.room").path("stats");
    assertThat(joined.path("subscribers").asInt()).isEqualTo(2);
    assertThat(joined.path("peak_subscribers").asInt()).isEqualTo(2);

    assertThat(api.as(carol).post("/v1/topics/stats.room/leave", null).status()).isEqualTo(204);
    JsonNode afterLeave = getTopic(alice, "stats.room").path("stats");
    assertThat(afterLeave.path("subscribers").asInt()).isEqualTo(1);
    assertThat(afterLeave.path("peak_subscribers").asInt()).isEqualTo(2);
    assertThat(afterLeave.path("messages").asLong()).isZero();
    assertThat(afterLeave.has("last_message_at")).isFalse();

    api.as(alice).sendOk(topicMessage("stats.room", "one"));
    api.as(bob).sendOk(topicMessage("stats.room", "two"));
    JsonNode last = api.as(alice).sendOk(topicMessage("stats.room", "three"));

    JsonNode stats = getTopic(alice, "stats.room").path("stats");
    assertThat(stats.path("messages").asLong()).isEqualTo(3);
    assertThat(Times.parse(text(stats, "last_message_at")))
        .isEqualTo(Times.parse(text(last, "timestamp")));
    assertThat(stats.path("subscribers").asInt()).isEqualTo(1);
    assertThat(stats.path("peak_subscribers").asInt()).isEqualTo(2);
  }

  @Test
  void theSubscriberCapRefusesTheExtraJoin() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    Agent carol = api.newAgent("carol");
    created(alice, object("name", "tiny.room", "max_subscribers", 2));
    assertThat(api.as(alice).post("/v1/topics/tiny.room/join", null).status()).isEqualTo(201);
    assertThat(api.as(bob).post("/v1/topics/tiny.room/join", null).status()).isEqualTo(201);

    assertProblem(api.as(carol).post("/v1/topics/tiny.room/join", null), 409);

    assertThat(subscriptionIds(carol)).isEmpty();
    assertThat(getTopic(alice, "tiny.room").path("stats").path("subscribers").asInt()).isEqualTo(2);
    // A member joining again is no extra subscriber; a freed place can be taken.
    assertThat(api.as(bob).post("/v1/topics/tiny.room/join", null).status()).isEqualTo(200);
    assertThat(api.as(bob).post("/v1/topics/tiny.room/leave", null).status()).isEqualTo(204);
    assertThat(api.as(carol).post("/v1/topics/tiny.room/join", null).status()).isEqualTo(201);
  }

  @Test
  void onlyAnAdminReconfiguresAnExistingTopic() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    created(alice, object("name", "guarded.topic", "retention_seconds", 3600));
    Map<String, Object> change = object("retention_seconds", 60, "description", "changed");

    assertProblem(put(api.as(bob), "guarded.topic", change), 403);
    assertProblem(put(api.as(alice), "guarded.topic", change), 403);
    Map<String, Object> recreate = object("name", "guarded.topic", "retention_seconds", 60);
    assertProblem(createTopic(alice, recreate), 403);
    JsonNode unchanged = getTopic(bob, "guarded.topic");
    assertThat(unchanged.path("config").path("retention_seconds").asLong()).isEqualTo(3600);
    assertThat(unchanged.path("config").has("description")).isFalse();

    Response r = put(api.admin(), "guarded.topic", change);

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    JsonNode changed = getTopic(bob, "guarded.topic");
    assertThat(changed.path("config").path("retention_seconds").asLong()).isEqualTo(60);
    assertThat(text(changed.path("config"), "description")).isEqualTo("changed");
    assertThat(changed.path("settings").path("retention_seconds").asLong()).isEqualTo(60);
  }

  @Test
  void onlyAnAdminDeletesATopic() {
    Agent alice = api.newAgent("alice");
    created(alice, object("name", "doomed.topic"));
    api.as(alice).sendOk(topicMessage("doomed.topic", "last words"));

    assertProblem(api.as(alice).delete("/v1/topics/doomed.topic"), 403);
    assertThat(api.as(alice).get("/v1/topics/doomed.topic").status()).isEqualTo(200);

    Response r = api.admin().delete("/v1/topics/doomed.topic");

    assertThat(r.status()).as("%s", r).isEqualTo(204);
    assertProblem(api.as(alice).get("/v1/topics/doomed.topic"), 404);
    assertProblem(api.admin().delete("/v1/topics/doomed.topic"), 404);
  }

  @Test
  void aPublishWithoutTtlLivesForTheTopicsRetention() {
    Agent alice = api.newAgent("alice");
    created(alice, object("name", "shortlived", "retention_seconds", 90));
    created(alice, object("name", "shortlived.child"));

    for (String topic : List.of("shortlived", "shortlived.child")) {
      JsonNode sent = api.as(alice).sendOk(topicMessage(topic, "brief"));

      JsonNode message = api.as(alice).message(text(sent, "id"));
      Instant timestamp = Times.parse(text(message, "timestamp"));
      assertThat(timestamp).isEqualTo(Times.parse(text(sent, "timestamp")));
      assertThat(Times.parse(text(message, "expires_at")))
          .as("%s", message)
          .isEqualTo(timestamp.plusSeconds(90));
    }
    // A ttl given with the send wins over the topic's retention.
    Map<String, Object> withTtl = topicMessage("shortlived", "own ttl");
    withTtl.put("ttl_seconds", 30);
    JsonNode message = api.as(alice).message(text(api.as(alice).sendOk(withTtl), "id"));
    assertThat(Times.parse(text(message, "expires_at")))
        .isEqualTo(Times.parse(text(message, "timestamp")).plusSeconds(30));
  }

  @Test
  void withoutCreationOnPublishAnUnknownTopicIsNotFoundAndNothingIsStored() {
    Agent alice = closed.newAgent("alice");
    Agent watcher = closed.newAgent("watcher");
    Response subscribed =
        closed.as(watcher).post("/v1/subscriptions", Json.write(object("pattern", "**")));
    assertThat(subscribed.status()).as("%s", subscribed).isEqualTo(201);

    assertProblem(closed.as(alice).send(topicMessage("nowhere.topic", "lost")), 404);

    assertProblem(closed.as(alice).get("/v1/topics/nowhere.topic"), 404);
    assertThat(closed.as(watcher).listIds("/v1/inbox", Query.NONE, 50)).isEmpty();
    Response tree = closed.as(alice).get("/v1/topics");
    assertThat(tree.status()).as("%s", tree).isEqualTo(200);
    assertThat(Json.array(tree.json(), "topics"))
        .extracting(n -> text(n, "name"))
        .doesNotContain("nowhere");
    assertProblem(closed.as(alice).post("/v1/topics/nowhere.topic/join", null), 404);

    // Once created, the same topic takes the publish.
    Response create =
        closed.as(alice).post("/v1/topics", Json.write(object("name", "nowhere.topic")));
    assertThat(create.status()).as("%s", create).isEqualTo(201);
    String id = text(closed.as(alice).sendOk(topicMessage("nowhere.topic", "found")), "id");
    assertThat(closed.as(watcher).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(id);
  }

  @Test
  void anIdleTopicIsRemovedAndOneWithASubscriberStays() {
    Agent alice = janitor.newAgent("alice");
    Agent bob = janitor.newAgent("bob");
    assertThat(janitor.as(bob).post("/v1/topics/kept.topic/join", null).status()).isEqualTo(201);
    Response idle = janitor.as(alice).post("/v1/topics", Json.write(object("name", "idle.topic")));
    assertThat(idle.status()).as("%s", idle).isEqualTo(201);
    janitor.as(alice).sendOk(topicMessage("idle.published", "once"));
    assertThat(janitor.as(alice).get("/v1/topics/idle.published").status()).isEqualTo(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              assertThat(janitor.as(alice).get("/v1/topics/idle.topic").status()).isEqualTo(404);
              assertThat(janitor.as(alice).get("/v1/topics/idle.published").status())
                  .isEqualTo(404);
            });

    // kept.topic was created first, so it has been idle longer than the topics just removed.
    Response kept = janitor.as(alice).get("/v1/topics/kept.topic");
    assertThat(kept.status()).as("%s", kept).isEqualTo(200);
    assertThat(kept.json().path("stats").path("subscribers").asInt()).isEqualTo(1);

    assertThat(janitor.as(bob).post("/v1/topics/kept.topic/leave", null).status()).isEqualTo(204);

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> janitor.as(alice).get("/v1/topics/kept.topic").status() == 404);
  }

  static Map<String, Object> topicMessage(String topic, String text) {
    return object("mode", "topic", "target", topic, "content_type", "text/plain", "payload", text);
  }

  private static Response createTopic(Agent agent, Map<String, Object> body) {
    return api.as(agent).post("/v1/topics", Json.write(body));
  }

  /** Creates a topic and insists on 201. */
  private static void created(Agent agent, Map<String, Object> body) {
    Response r = createTopic(agent, body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  private static Response put(ApiClient client, String topic, Map<String, Object> body) {
    return client.request("PUT", "/v1/topics/" + topic, Json.write(body));
  }

  private static JsonNode getTopic(Agent agent, String name) {
    Response r = api.as(agent).get("/v1/topics/" + name);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static void assertSettings(
      JsonNode topic, long retentionSeconds, int maxSubscribers, long cleanupAfterSeconds) {
    JsonNode settings = topic.path("settings");
    assertThat(settings.path("retention_seconds").asLong(-1))
        .as("retention of %s", topic)
        .isEqualTo(retentionSeconds);
    assertThat(settings.path("max_subscribers").asInt(-1))
        .as("max subscribers of %s", topic)
        .isEqualTo(maxSubscribers);
    assertThat(settings.path("cleanup_after_seconds").asLong(-1))
        .as("cleanup of %s", topic)
        .isEqualTo(cleanupAfterSeconds);
  }

  private static List<String> subscriptionIds(Agent agent) {
    Response r = api.as(agent).get("/v1/subscriptions");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return Json.array(r.json(), "subscriptions").stream().map(s -> text(s, "id")).toList();
  }

  private static JsonNode tree() {
    Response r = api.admin().get("/v1/topics");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static JsonNode rootNode(String name) {
    Optional<JsonNode> node =
        Json.array(tree(), "topics").stream().filter(n -> name.equals(text(n, "name"))).findFirst();
    assertThat(node).as("top-level node %s", name).isPresent();
    return node.orElseThrow();
  }

  private static JsonNode child(JsonNode parent, String name) {
    Optional<JsonNode> node =
        Json.array(parent, "children").stream()
            .filter(n -> name.equals(text(n, "name")))
            .findFirst();
    assertThat(node).as("child %s of %s", name, parent).isPresent();
    return node.orElseThrow();
  }

  private static JsonNode onlyChild(JsonNode parent, String name) {
    assertThat(Json.array(parent, "children"))
        .as("children of %s", parent)
        .extracting(n -> text(n, "name"))
        .containsExactly(name);
    return child(parent, name);
  }

  @Test
  void joiningAMailboxNameIsRefusedAndSubscribesNothing() {
    Agent sender = api.newAgent("sender");
    Agent joiner = api.newAgent("joiner");
    api.as(sender)
        .sendOk(
            Json.object(
                "mode",
                "direct",
                "target",
                "shared.desk",
                "content_type",
                "text/plain",
                "payload",
                "hello desk"));
    Response join = api.as(joiner).post("/v1/topics/shared.desk/join", null);
    assertThat(join.status()).as("%s", join).isEqualTo(409);
    Response mine = api.as(joiner).get("/v1/subscriptions");
    assertThat(Json.array(mine.json(), "subscriptions")).isEmpty();
  }
}
