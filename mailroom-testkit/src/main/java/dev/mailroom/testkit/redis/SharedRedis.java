package dev.mailroom.testkit.redis;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One standalone server and one cluster per JVM, for the many test classes that only need "a Redis"
 * and would otherwise each pay for starting one (a cluster takes seconds). Each is started on first
 * use and stopped by the JVM's shutdown hook; {@code close()} on them does nothing, so a
 * try-with-resources in one test cannot pull them from under the others.
 *
 * <p>Tests that share them must keep their keys apart (a prefix per test, or FLUSHALL before each)
 * and must not leave them broken: a shared server or node found {@linkplain RedisServer#kill()
 * killed} is restarted on the next call, but a test that wants to crash Redis should start its own.
 */
public final class SharedRedis {
  private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(30);

  private static @Nullable RedisServer standalone;
  private static @Nullable RedisCluster cluster;

  private SharedRedis() {}

  /** The JVM's standalone server ({@link RedisServer#start()}), started on the first call. */
  public static synchronized RedisServer standalone() {
    RedisServer server = standalone;
    if (server == null) {
      server = RedisServer.start();
      server.share();
      standalone = server;
    } else if (!server.isRunning()) {
      server.restart();
    }
    return server;
  }

  /** The JVM's cluster of 3 masters with 1 replica each, started on the first call. */
  public static synchronized RedisCluster cluster() {
    RedisCluster shared = cluster;
    if (shared == null) {
      shared = RedisCluster.start(3, 1);
      shared.share();
      cluster = shared;
    } else {
      boolean restarted = false;
      for (RedisServer node : shared.nodes()) {
        if (!node.isRunning()) {
          node.restart();
          restarted = true;
        }
      }
      if (restarted) {
        shared.awaitHealthy(HEAL_TIMEOUT);
      }
    }
    return shared;
  }
}
