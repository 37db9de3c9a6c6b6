package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real master, replica and three sentinels: ready when started, and failing over on a crash. */
class RedisSentinelIT {
  @Test
  void theSentinelsPromoteTheReplicaWhenTheMasterDies() {
    long started = System.nanoTime();
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      System.out.printf(
          "RedisSentinel.start() took %d ms%n", (System.nanoTime() - started) / 1_000_000);
      assertThat(sentinel.masterName()).isEqualTo("mailroom");
      assertThat(sentinel.sentinelUris()).hasSize(3);
      assertThat(sentinel.uri())
          .matches("redis-sentinel://(127\\.0\\.0\\.1:\\d+,){2}127\\.0\\.0\\.1:\\d+#mailroom");
      RedisServer master = sentinel.master();
      RedisServer replica = sentinel.replica();
      assertThat(replica).isNotSameAs(master);
      try (Resp resp = Resp.connect(master.port())) {
        resp.call("SET", "mailbox:carol", "kept");
        assertThat(resp.call("WAIT", "1", "5000")).isEqualTo(1L);
      }

      long killed = System.nanoTime();
      master.kill();
      sentinel.awaitHealthy(Duration.ofSeconds(30));
      System.out.printf("sentinel failover took %d ms%n", (System.nanoTime() - killed) / 1_000_000);

      assertThat(sentinel.master()).isSameAs(replica);
      assertThat(Resp.once(replica.port(), "GET", "mailbox:carol")).isEqualTo("kept");
      assertThat(sentinel.replica()).isSameAs(master);
    }
  }
}
