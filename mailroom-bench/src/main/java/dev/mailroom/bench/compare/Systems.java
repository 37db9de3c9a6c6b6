package dev.mailroom.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The systems a comparison can run, by name, in the order the report lists them: Mailroom first.
 * Each case of a run gets a fresh instance from its factory and closes it afterwards.
 */
public final class Systems {
  /** Not kept at all: Mailroom's server on an in-memory store, measured as the ceiling. */
  static final String IN_MEMORY = "nothing kept (the ceiling)";

  /** Acknowledged only once on disk (fsync; RabbitMQ confirms after its batched fsync). */
  static final String FSYNC_BEFORE_ACK = "on disk before the ack";

  /** Acknowledged once written; on disk within about a second (AOF everysec). */
  static final String FSYNC_EVERY_SECOND = "fsync within 1 s after the ack";

  /** Acknowledged once written; on disk within a minute (nats-server's default sync interval). */
  static final String FSYNC_EVERY_MINUTE = "fsync within 60 s after the ack";

  private Systems() {}

  /** Starts or connects to a system; {@code workDir} is a directory it may use (and empty). */
  @FunctionalInterface
  public interface Factory {
    MessagingSystem create(Path workDir) throws Exception;
  }

  /**
   * A system by name.
   *
   * @param durabilityClass what an acknowledged publish survives, in a few words that are equal
   *     exactly when two systems promise the same (a summary of the system's {@link
   *     MessagingSystem#durability()}, which the report gives in full): the report compares systems
   *     of one class as equals
   */
  public record Entry(String name, String durabilityClass, Factory factory) {
    /** Whether this is one of Mailroom's systems, whose ratios to the others the report gives. */
    public boolean mailroom() {
      return isMailroom(name);
    }
  }

  /**
   * Every system the harness knows. NATS JetStream and Redis Streams start a server process of
   * their own; RabbitMQ connects to the broker on 127.0.0.1:5672 (guest/guest), which must be
   * running, else that system is reported unavailable.
   */
  public static List<Entry> all() {
    return List.of(
        new Entry("mailroom-sqlite", FSYNC_BEFORE_ACK, MailroomSystem::sqlite),
        new Entry("mailroom-redis", FSYNC_EVERY_SECOND, MailroomSystem::redis),
        new Entry("mailroom-memory", IN_MEMORY, MailroomSystem::memory),
        new Entry("nats-js", FSYNC_EVERY_MINUTE, dir -> NatsJetStreamSystem.startOwn()),
        new Entry(
            "rabbitmq",
            FSYNC_BEFORE_ACK,
            dir -> RabbitMqSystem.connectTo("127.0.0.1", 5672, "guest", "guest")),
        new Entry("redis-streams", FSYNC_EVERY_SECOND, dir -> RedisStreamsSystem.start()));
  }

  /** The systems with these names, in the order given; all of them when {@code names} is empty. */
  public static List<Entry> select(List<String> names) {
    if (names.isEmpty()) {
      return all();
    }
    List<Entry> chosen = new ArrayList<>();
    for (String n : names) {
      chosen.add(
          all().stream()
              .filter(e -> e.name().equals(n))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown system " + n + "; known: " + names(all()))));
    }
    return chosen;
  }

  static boolean isMailroom(String name) {
    return name.startsWith("mailroom-");
  }

  /**
   * Whether a system is Mailroom's ceiling (its server with no store), measured for the ratios of
   * the others to it rather than as a system anyone would run.
   */
  static boolean isCeiling(String name) {
    return name.equals("mailroom-memory");
  }

  static List<String> names(List<Entry> entries) {
    return entries.stream().map(Entry::name).toList();
  }
}
