package dev.mailroom.testkit.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every Redis server this JVM started and has not closed yet, and the one shutdown hook that stops
 * them all. A test that forgets {@code close()}, a failed start half-way through a cluster, and the
 * shared servers of {@link SharedRedis} (which nobody closes) must not leave processes and temp
 * directories behind when the test JVM exits.
 */
final class Reaper {
  private static final Set<RedisServer> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Reaper::reapAll, "redis-reaper"));
  }

  private Reaper() {}

  static void track(RedisServer server) {
    LIVE.add(server);
  }

  static void untrack(RedisServer server) {
    LIVE.remove(server);
  }

  private static void reapAll() {
    for (RedisServer server : List.copyOf(LIVE)) {
      try {
        server.shutdown();
      } catch (RuntimeException e) {
        // Stop the others all the same; the JVM is going away.
      }
    }
  }
}
