package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.AgentQuotas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The per-agent caps ({@code mailroom.limits.max-subscriptions-per-agent}, {@code
 * max-topics-per-agent}): one more is refused with 409 naming the limit and the agent's count,
 * nothing is created, and removing one makes room. Admins are not capped.
 */
class AgentCapsIT {
  private static final int MAX_SUBSCRIPTIONS = 3;
  private static final int MAX_TOPICS = 2;

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(b -> b.quotas(new AgentQuotas(MAX_SUBSCRIPTIONS, MAX_TOPICS)));

  private static Response subscribe(Agent agent, String pattern) {
    return api.as(agent).post("/v1/subscriptions", Json.write(Json.object("pattern", pattern)));
  }

  private static String subscribed(Agent agent, String pattern) {
    Response r = subscribe(agent, pattern);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.text(r.json(), "id");
  }

  private static List<JsonNode> subscriptions(Agent agent) {
    return api.as(agent).listAll("/v1/subscriptions", Query.NONE, 100, "subscriptions");
  }

  private static Response createTopic(Agent agent, String name) {
    return api.as(agent).post("/v1/topics", Json.write(Json.object("name", name)));
  }

  private static Map<String, Object> publish(String topic) {
    return Json.object(
        "mode", "topic", "target", topic, "content_type", "text/plain", "payload", "hello");
  }

  /** Asserts the quota problem: 409, its own type, naming the limit and the count. */
  private static void assertQuota(Response r, String what, int count, int limit) {
    JsonNode p = assertProblem(r, 409);
    assertThat(Json.text(p, "type")).isEqualTo("/problems/quota-exceeded");
    assertThat(Json.text(p, "detail"))
        .as("%s", r)
        .contains(what + " per agent is " + limit)
        .contains(Integer.toString(count));
  }

  @Test
  void anAgentAtItsMaximumOfSubscriptionsIsRefusedOneMoreUntilItDeletesOne() {
    Agent agent = api.newAgent("subscriber");
    String first = subscribed(agent, "caps.a");
    subscribed(agent, "caps.b.*");
    subscribed(agent, "caps.c.**");

    assertQuota(subscribe(agent, "caps.d"), "subscriptions", 3, MAX_SUBSCRIPTIONS);
    assertQuota(
        api.as(agent).post("/v1/topics/caps.e/join", null), "subscriptions", 3, MAX_SUBSCRIPTIONS);
    assertThat(subscriptions(agent)).hasSize(3);
    assertThat(api.as(agent).get("/v1/topics/caps.e").status())
        .as("a refused join creates no topic")
        .isEqualTo(404);

    assertThat(api.as(agent).delete("/v1/subscriptions/" + first).status()).isEqualTo(204);
    assertThat(subscribe(agent, "caps.d").status()).isEqualTo(201);
    assertThat(subscriptions(agent)).hasSize(3);
  }

  @Test
  void theCapIsPerAgent() {
    Agent full = api.newAgent("full");
    Agent other = api.newAgent("other");
    for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
      subscribed(full, "per-agent." + i);
    }

    assertThat(subscribe(other, "per-agent.x").status()).isEqualTo(201);
  }

  @Test
  void anAgentAtItsMaximumOfTopicsCreatesNoMoreByAnyRoute() {
    Agent creator = api.newAgent("creator");
    assertThat(createTopic(creator, "made.one").status()).isEqualTo(201);
    assertThat(
            api.as(creator)
                .request("PUT", "/v1/topics/made.two", Json.write(Json.object("description", "x")))
                .status())
        .isEqualTo(201);

    assertQuota(createTopic(creator, "made.three"), "topics", 2, MAX_TOPICS);
    assertQuota(
        api.as(creator).request("PUT", "/v1/topics/made.three", "{}"), "topics", 2, MAX_TOPICS);
    assertQuota(api.as(creator).send(publish("made.three")), "topics", 2, MAX_TOPICS);
    assertQuota(api.as(creator).post("/v1/topics/made.three/join", null), "topics", 2, MAX_TOPICS);

    assertThat(api.admin().get("/v1/topics/made.three").status()).isEqualTo(404);
    assertThat(subscriptions(creator)).as("a refused join subscribes nobody").isEmpty();
    // Sending to, and joining, topics that exist creates nothing.
    assertThat(api.as(creator).send(publish("made.one")).status()).isEqualTo(201);
    assertThat(api.as(creator).post("/v1/topics/made.two/join", null).status()).isEqualTo(201);
  }

  @Test
  void aTopicCreatedBySendingOrJoiningCountsAndADeletedOneMakesRoom() {
    Agent creator = api.newAgent("sender");
    assertThat(api.as(creator).send(publish("sent.one")).status()).isEqualTo(201);
    assertThat(api.as(creator).post("/v1/topics/sent.two/join", null).status()).isEqualTo(201);
    assertQuota(createTopic(creator, "sent.three"), "topics", 2, MAX_TOPICS);

    assertThat(api.admin().delete("/v1/topics/sent.one").status()).isEqualTo(204);

    assertThat(api.as(creator).send(publish("sent.three")).status()).isEqualTo(201);
    assertThat(api.admin().get("/v1/topics/sent.three").status()).isEqualTo(200);
  }

  @Test
  void topicsOthersCreatedDoNotCount() {
    Agent creator = api.newAgent("late");
    createTopic(api.newAgent("early"), "others.one");
    createTopic(api.admin(), "others.two");

    assertThat(api.as(creator).send(publish("others.one")).status()).isEqualTo(201);
    assertThat(createTopic(creator, "others.mine.1").status()).isEqualTo(201);
    assertThat(createTopic(creator, "others.mine.2").status()).isEqualTo(201);
  }

  @Test
  void adminsAreNotCapped() {
    for (int i = 0; i < MAX_TOPICS + 1; i++) {
      assertThat(createTopic(api.admin(), "admin.made." + i).status()).isEqualTo(201);
    }
    for (int i = 0; i < MAX_SUBSCRIPTIONS + 1; i++) {
      Response r =
          api.admin()
              .post("/v1/subscriptions", Json.write(Json.object("pattern", "admin.sub." + i)));
      assertThat(r.status()).as("%s", r).isEqualTo(201);
    }
  }

  private static Response createTopic(ApiClient client, String name) {
    return client.post("/v1/topics", Json.write(Json.object("name", name)));
  }
}
