package dev.mailroom.bench;

import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redis-server the Redis scenarios run against: a fresh process of the testkit's fixture on a
 * free port, with the durability a Mailroom deployment is documented with ({@link #DURABILITY}).
 */
final class BenchRedis {
  /** The durability setting of every bench redis-server, as reports state it. */
  static final String DURABILITY = "appendonly yes, appendfsync everysec";

  /** The namespace a single bench server uses. */
  static final String NAMESPACE = "bench";

  /** How long a command may take: the store's default ({@code RedisOptions}). */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private BenchRedis() {}

  /** Starts a redis-server with {@link #DURABILITY}, no RDB snapshots. */
  static RedisServer start() {
    return RedisServer.start(
        RedisServer.Options.defaults().appendOnly(true).appendFsync("everysec"));
  }

  /**
   * A Lettuce client for {@code uri} with the options the store's connection has (command timeout,
   * commands accepted while reconnecting, a deep request queue), so that a raw run pays what the
   * store pays in the client library.
   */
  static RedisClient client(String uri) {
    RedisURI u = RedisURI.create(uri);
    u.setTimeout(COMMAND_TIMEOUT);
    RedisClient client = RedisClient.create(u);
    client.setOptions(
        ClientOptions.builder()
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .requestQueueSize(65_536)
            .build());
    return client;
  }

  /**
   * A connection for {@code INFO}, opened before a measurement so that taking a snapshot at its
   * start and end costs one round trip, not a client start.
   */
  static final class Info implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;

    Info(String uri) {
      client = RedisClient.create(uri);
      connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    /** The fields of the server's default {@code INFO} sections (server, stats, cpu, ...). */
    Map<String, String> snapshot() {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : connection.sync().info().split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && !line.startsWith("#")) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
      }
      return fields;
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /**
   * What the server did between two {@code INFO} snapshots {@code seconds} apart, for a report: its
   * CPU (in cores: 1.0 is one core busy all the time, and the main thread alone can use at most
   * one), commands processed per second, AOF rewrites started, and its version and durability.
   */
  static void describe(
      Report report, Map<String, String> before, Map<String, String> after, double seconds) {
    double cpu =
        decimal(after, "used_cpu_user")
            + decimal(after, "used_cpu_sys")
            - decimal(before, "used_cpu_user")
            - decimal(before, "used_cpu_sys");
    report
        .put("redis_version", after.getOrDefault("redis_version", "?"))
        .put("redis_durability", DURABILITY)
        .put("redis_cpu_cores", Math.round(cpu / seconds * 100) / 100.0)
        .put(
            "redis_commands_per_s",
            Report.round(delta(before, after, "total_commands_processed") / seconds))
        .put("aof_rewrites", delta(before, after, "aof_rewrites"))
        .put("redis_used_memory_mb", Report.round(decimal(after, "used_memory") / 1048576.0));
  }

  private static long delta(Map<String, String> before, Map<String, String> after, String key) {
    return number(after, key) - number(before, key);
  }

  private static long number(Map<String, String> fields, String key) {
    String v = fields.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static double decimal(Map<String, String> fields, String key) {
    String v = fields.get(key);
    return v == null ? 0 : Double.parseDouble(v);
  }
}
