package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.RedisCluster;
import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;

/**
 * Waits until every master of a cluster has a replica that answers {@code WAIT}. A replica whose
 * link is up may still not be counted by the first {@code WAIT}s just after it synced (seen with
 * Redis 7.0), which would fail a test's first waiting write for a reason of the fixture's making.
 */
final class ReplicaAcks {
  private ReplicaAcks() {}

  static void await(RedisCluster cluster, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    for (RedisServer master : cluster.masters()) {
      String key = keyOn(cluster, master);
      RedisClient client = RedisClient.create(master.uri());
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        while (true) {
          c.sync().set(key, "1");
          if (c.sync().waitForReplication(1, 100) >= 1) {
            break;
          }
          if (System.nanoTime() > end) {
            throw new IllegalStateException("no replica of " + master + " answers WAIT");
          }
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
    }
  }

  private static String keyOn(RedisCluster cluster, RedisServer master) {
    for (int i = 0; ; i++) {
      String key = "replica-acks-" + i;
      if (cluster.masterForSlot(SlotHash.getSlot(key)).port() == master.port()) {
        return key;
      }
    }
  }
}
