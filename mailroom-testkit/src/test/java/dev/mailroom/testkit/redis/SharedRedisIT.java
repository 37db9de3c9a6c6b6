package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One standalone server and one cluster per JVM, which a close() cannot stop and a kill heals. */
class SharedRedisIT {
  @Test
  void theStandaloneServerIsSharedSurvivesCloseAndComesBackAfterAKill() {
    RedisServer redis = SharedRedis.standalone();
    assertThat(SharedRedis.standalone()).isSameAs(redis);

    redis.close();
    assertThat(redis.isRunning()).isTrue();
    Resp.once(redis.port(), "SET", "shared", "1");

    redis.kill();
    assertThat(SharedRedis.standalone()).isSameAs(redis);
    assertThat(Resp.once(redis.port(), "PING")).isEqualTo("PONG");

    redis.flushAll();
    assertThat(Resp.once(redis.port(), "DBSIZE")).isEqualTo(0L);
  }

  @Test
  void theClusterIsSharedAndSurvivesClose() {
    RedisCluster cluster = SharedRedis.cluster();
    assertThat(SharedRedis.cluster()).isSameAs(cluster);

    cluster.close();
    assertThat(cluster.nodes()).allMatch(RedisServer::isRunning);
    assertThat(InfoFields.of(cluster.masters().get(0).port(), "CLUSTER", "INFO"))
        .containsEntry("cluster_state", "ok");

    for (int i = 0; i < 30; i++) {
      long slot = (Long) Resp.once(cluster.masters().get(0).port(), "CLUSTER", "KEYSLOT", "k" + i);
      Resp.once(cluster.masterForSlot(Math.toIntExact(slot)).port(), "SET", "k" + i, "x");
    }
    cluster.flushAll();
    for (RedisServer master : cluster.masters()) {
      assertThat(Resp.once(master.port(), "DBSIZE")).isEqualTo(0L);
    }
  }
}
