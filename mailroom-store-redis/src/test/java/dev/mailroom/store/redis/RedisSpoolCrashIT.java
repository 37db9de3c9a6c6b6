package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.store.sqlite.SqliteSpool;
import dev.mailroom.testkit.redis.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node SIGKILLed in the middle of replaying a spool of 10,000 sends, then started again: each
 * send ends up in Redis exactly once. The replaying node is a JVM of its own ({@link Child}); Redis
 * runs with {@code appendfsync always}.
 */
class RedisSpoolCrashIT {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSpoolCrashIT.class);
  private static final int SENDS = 10_000;
  private static final String NAMESPACE = "crash";
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");

  @TempDir Path dir;

  @Test
  void aNodeKilledWhileReplayingStoresEachSendOnceWhenItStartsAgain() throws Exception {
    try (RedisServer redis =
        RedisServer.start(RedisServer.Options.defaults().appendOnly(true).appendFsync("always"))) {
      List<MessageId> spooled = new ArrayList<>();
      try (RedisStorage s = open(redis)) {
        s.agents().create(new AgentRecord(ALICE, Set.of(Role.AGENT), Instant.now()), "a");
        s.agents().create(new AgentRecord(BOB, Set.of(Role.AGENT), Instant.now()), "b");
        redis.kill();
        for (int i = 0; i < SENDS; i += 100) {
          List<MessageStore.Send> batch = new ArrayList<>();
          for (int j = i; j < i + 100; j++) {
            batch.add(send(j));
          }
          for (SendResult r : s.messages().sendAll(batch)) {
            assertThat(r).isInstanceOf(SendResult.Spooled.class);
            spooled.add(r.id());
          }
        }
      }
      redis.restart();

      long stored = 0;
      for (int attempt = 1; attempt <= 3 && stored == 0; attempt++) {
        Process child = startChild(redis);
        try {
          stored = killMidway(redis, child);
        } finally {
          child.destroyForcibly().waitFor();
        }
      }
      LOG.info("the replaying node was killed with {} sends in Redis", stored);
      assertThat(stored)
          .as("sends in Redis when the replaying node was killed")
          .isBetween(1L, SENDS - 1L);

      try (RedisStorage again = open(redis)) {
        SpoolingMessageStore spooling = (SpoolingMessageStore) again.messages();
        await().atMost(Duration.ofSeconds(60)).until(() -> spooling.stats().isEmpty());
        List<MessageId> inbox = inbox(again.messages());
        assertThat(inbox).hasSize(SENDS).doesNotHaveDuplicates();
        assertThat(inbox).containsExactlyElementsOf(spooled);
        assertThat(new HashSet<>(inbox)).hasSize(SENDS);
      }
    }
  }

  /**
   * Waits until the child has replayed part of the spool and kills it (SIGKILL); returns how many
   * of the sends were in Redis then, or 0 when the child finished (or had not begun) first.
   */
  private long killMidway(RedisServer redis, Process child) throws Exception {
    KeySpace keys = new KeySpace(NAMESPACE, RedisOptions.DEFAULT_SHARDS);
    String box = keys.key(keys.shard(BOB.value()), "e:" + BOB.value());
    // Polled every millisecond: the whole replay takes about a second.
    long seen =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(1))
            .until(
                () -> child.isAlive() ? Nodes.on(redis, c -> c.sync().zcard(box)) : (long) SENDS,
                n -> n > 0);
    if (seen >= SENDS) {
      return 0; // the child finished (or died) first
    }
    child.destroyForcibly();
    child.waitFor();
    long stored = Nodes.on(redis, c -> c.sync().zcard(box));
    return stored < SENDS ? stored : 0;
  }

  private Process startChild(RedisServer redis) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = Files.createTempFile(dir, "child", ".log");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Child.class.getName(),
            redis.uri(),
            dir.resolve("spool").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private RedisStorage open(RedisServer redis) {
    return RedisStorage.open(
        new RedisOptions(redis.uri(), NAMESPACE, Duration.ofSeconds(1)),
        InstantSource.system(),
        RetentionPolicy.DEFAULTS.withMaxInboxSize(SENDS * 2),
        Optional.of(SqliteSpool.open(dir.resolve("spool"), Spool.Limits.DEFAULTS)));
  }

  private static MessageStore.Send send(int i) {
    Draft draft = Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of("bob")), "m" + i);
    return new MessageStore.Send(
        new OutgoingMessage(ALICE, draft, Duration.ofDays(1)),
        new Route.ToMailbox(MailboxName.of("bob"), MailboxKind.AGENT));
  }

  private static List<MessageId> inbox(MessageStore messages) {
    List<MessageId> ids = new ArrayList<>();
    Optional<MessageId> after = Optional.empty();
    while (true) {
      Page<Envelope> page =
          messages.query(
              new MessageQuery(
                  MailboxName.of("bob"), BOB, MessageFilter.NONE, after, Order.ASC, 1000));
      page.items().forEach(e -> ids.add(e.message().id()));
      if (page.next().isEmpty()) {
        return ids;
      }
      after = page.next();
    }
  }

  /** The replaying node: opens the store with the spool and replays it until it is killed. */
  public static final class Child {
    private Child() {}

    public static void main(String[] args) throws InterruptedException {
      RedisStorage.open(
          new RedisOptions(args[0], NAMESPACE, Duration.ofSeconds(1)),
          InstantSource.system(),
          RetentionPolicy.DEFAULTS.withMaxInboxSize(SENDS * 2),
          Optional.of(SqliteSpool.open(Path.of(args[1]), Spool.Limits.DEFAULTS)));
      new CountDownLatch(1).await();
    }
  }
}
