package dev.mailroom.store.redis;

import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.awaitility.Awaitility;

/** What the failure tests do to a Redis server from outside: ask it, freeze it, cut a client. */
final class Nodes {
  private Nodes() {}

  /** Runs {@code f} on a short-lived connection of its own to {@code node}. */
  static <T> T on(RedisServer node, Function<StatefulRedisConnection<String, String>, T> f) {
    RedisClient client = RedisClient.create(node.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return f.apply(c);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** The server's process id, as it reports it. */
  static String pid(RedisServer node) {
    return on(node, c -> c.sync().info("server"))
        .lines()
        .filter(l -> l.startsWith("process_id:"))
        .findFirst()
        .orElseThrow()
        .substring("process_id:".length())
        .trim();
  }

  /** Sends a signal to a process: STOP freezes a server as a long pause would, CONT resumes it. */
  static void signal(String signal, String pid) {
    try {
      if (new ProcessBuilder("kill", "-" + signal, pid).start().waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits (up to 2 s) for a client of {@code master} to block in {@code WAIT}, then closes that
   * client's connection from the server side, as a network cut would.
   */
  static void cutClientBlockedInWait(RedisServer master) {
    String waiting =
        Awaitility.await("a client blocked in WAIT")
            .atMost(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () ->
                    on(master, c -> c.sync().clientList())
                        .lines()
                        .filter(l -> l.contains(" cmd=wait ") && l.contains(" flags=b"))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    long id = Long.parseLong(waiting.replaceAll("^id=(\\d+) .*$", "$1"));
    on(master, c -> c.sync().clientKill(KillArgs.Builder.id(id)));
  }
}
