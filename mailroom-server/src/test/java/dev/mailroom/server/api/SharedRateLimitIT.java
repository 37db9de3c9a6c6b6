package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.server.SecuritySettings;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.MutableClock;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On Redis, an agent's rate limit holds across the nodes of one system: two nodes on one namespace
 * draw its requests from one bucket. Runs on Redis whatever the execution.
 */
class SharedRateLimitIT {
  private static final String NAMESPACE = "shared-limit-" + UUID.randomUUID();
  private static final MutableClock CLOCK = MutableClock.of(Instant.parse("2026-06-01T00:00:00Z"));
  private static final int BURST = 6;
  private static final SecuritySettings LIMITS = MailroomApi.TEST_SECURITY.withAgentRate(1, BURST);

  @RegisterExtension
  static final MailroomApi a = new MailroomApi(b -> b.redis(redis()).security(LIMITS).clock(CLOCK));

  @RegisterExtension
  static final MailroomApi b = new MailroomApi(b -> b.redis(redis()).security(LIMITS).clock(CLOCK));

  private static RedisOptions redis() {
    return RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(NAMESPACE);
  }

  @Test
  void twoNodesServeAnAgentOneBurstBetweenThem() {
    Agent alice = a.newAgent("alice");
    for (int i = 0; i < BURST; i++) {
      MailroomApi node = i % 2 == 0 ? a : b;
      assertThat(node.as(alice).get("/v1/inbox").status()).isEqualTo(200);
    }

    for (MailroomApi node : List.of(a, b)) {
      Response r = node.as(alice).get("/v1/inbox");
      assertThat(r.status()).as("%s", r).isEqualTo(429);
      assertThat(r.header("Retry-After")).contains("1");
    }
  }
}
