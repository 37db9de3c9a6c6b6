package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to a topic with a thousand pushed subscribers and prints how many deliveries a second the
 * store queued. The figures are for reading, not asserted: they depend on the machine. What is
 * asserted is what does not: how many pages a publish writes.
 */
class FanOutIT {
  private static final Logger LOG = LoggerFactory.getLogger(FanOutIT.class);

  private static final int SUBSCRIBERS = 1000;
  private static final int QUEUE = 40;
  private static final int HISTORY = 100;

  @TempDir Path dir;

  @Test
  void aThousandSubscriberFanOutIsQueuedAndTold() throws Exception {
    try (Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("fan-out.db")),
            InstantSource.system(),
            RetentionPolicy.DEFAULTS)) {
      AtomicLong told = new AtomicLong();
      s.listen(
          new ChangeListener() {
            @Override
            public void stored(Message m, List<Recipient> pushed, List<AgentId> reached) {
              told.addAndGet(pushed.size());
            }
          });
      List<Recipient> subscribers = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Fixtures.createAgent(s, "agent-" + i, Instant.now());
        // A short queue, so the later sends also drop each subscriber's oldest delivery.
        subscribers.add(
            new Recipient(AgentId.of("agent-" + i), SubscriptionId.of("sub-" + i), true, QUEUE));
      }
      Route route = new Route.ToMailbox(MailboxName.of("ai.news"), MailboxKind.TOPIC, subscribers);

      run(s, route, 1, QUEUE, "one sender, queues filling");
      run(s, route, 1, 20, "one sender, full queues");
      run(s, route, 8, 10, "eight senders, full queues");

      long expected = (QUEUE + 20 + 8 * 10) * (long) SUBSCRIBERS;
      assertThat(told.get()).isEqualTo(expected);
      assertThat(s.deliveries().queued(SubscriptionId.of("sub-7"))).isEqualTo(QUEUE);
      assertThat(s.deliveries().pending(AgentId.of("agent-7"), Optional.empty(), 1000))
          .hasSize(QUEUE);
    }
  }

  @Test
  void expiredFanOutsArePurgedInChunksOfBoundedEntries() {
    TestClock clock = TestClock.atDefaultStart();
    try (Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("purge.db")), clock, RetentionPolicy.DEFAULTS)) {
      List<Recipient> subscribers = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        Fixtures.createAgent(s, "agent-" + i, clock.instant());
        subscribers.add(
            new Recipient(AgentId.of("agent-" + i), SubscriptionId.of("sub-" + i), true, 100));
      }
      Route route = new Route.ToMailbox(MailboxName.of("ai.news"), MailboxKind.TOPIC, subscribers);
      for (int i = 0; i < 10; i++) {
        s.messages()
            .send(Fixtures.withTtl("publisher", "ai.news", "n" + i, Duration.ofMinutes(1)), route);
      }
      clock.advance(Duration.ofMinutes(2));
      GroupCommitWriter writer = ((SqliteBackend) s).writer();
      long tasks = writer.committedTasks();

      CleanupReport report = s.messages().purgeExpired(1000);

      assertThat(report.messages()).isEqualTo(10);
      assertThat(report.more()).isFalse();
      // 501 entries each: 8 messages fit one task's budget of 4096, the other 2 take a second
      // task; read state, idempotency keys and expired console sessions take one task each.
      assertThat(SqliteMessageStore.PURGE_ENTRIES).isEqualTo(4096);
      assertThat(writer.committedTasks() - tasks).isEqualTo(5);
      assertThat(s.deliveries().queued(SubscriptionId.of("sub-7"))).isZero();
      assertThat(s.messages().mailbox(MailboxName.of("agent-7")).orElseThrow().size()).isZero();
    }
  }

  /**
   * A publish writes its subscribers' rows side by side ({@code fanout}, keyed by message first),
   * so a hundred times the subscribers costs a few more pages, not a hundred times the pages: each
   * agent's own entry was on a page of its own once its history filled a page, about one page per
   * subscriber.
   */
  @Test
  void aPublishToAThousandSubscribersWritesAFewPagesMoreThanOneToTen() throws Exception {
    Path file = dir.resolve("pages.db");
    try (Storage s =
        SqliteStorage.open(
            SqliteOptions.of(file), InstantSource.system(), RetentionPolicy.DEFAULTS)) {
      List<Recipient> subscribers = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Fixtures.createAgent(s, "agent-" + i, Instant.now());
        subscribers.add(
            new Recipient(AgentId.of("agent-" + i), SubscriptionId.of("sub-" + i), true, QUEUE));
      }
      Route few =
          new Route.ToMailbox(MailboxName.of("few"), MailboxKind.TOPIC, subscribers.subList(0, 10));
      Route many = new Route.ToMailbox(MailboxName.of("many"), MailboxKind.TOPIC, subscribers);
      // A history first, delivered and acknowledged, as a fan-out to streams that keep up leaves
      // it: a hundred messages per subscriber, more than a page of rows each.
      List<MessageId> history = new ArrayList<>();
      for (int i = 0; i < HISTORY; i++) {
        s.messages().send(Fixtures.text("publisher", "few", "earlier " + i), few);
        history.add(
            s.messages().send(Fixtures.text("publisher", "many", "earlier " + i), many).id());
      }
      for (int i = 0; i < SUBSCRIBERS; i++) {
        s.deliveries().acknowledge(AgentId.of("agent-" + i), history);
      }

      Path shm = Path.of(file + "-shm");
      long before = walFrames(shm);
      s.messages().send(Fixtures.text("publisher", "few", "measured"), few);
      long between = walFrames(shm);
      s.messages().send(Fixtures.text("publisher", "many", "measured"), many);
      long after = walFrames(shm);
      // Each send is one commit; a commit that restarted the log counts its frames from zero.
      long pagesForTen = between >= before ? between - before : between;
      long pagesForAThousand = after >= between ? after - between : after;
      LOG.info(
          "pages written by one publish: {} to 10 subscribers, {} to {}",
          pagesForTen,
          pagesForAThousand,
          SUBSCRIBERS);
      assertThat(pagesForTen).isPositive();
      assertThat(pagesForAThousand).isLessThan(pagesForTen + SUBSCRIBERS / 10);
    }
  }

  /**
   * Inboxes full to their bound: every publish drops each subscriber's oldest. Prints the time per
   * publish and checks that each inbox keeps exactly its bound, its newest messages.
   */
  @Test
  void aPublishToAThousandFullInboxesDropsTheOldestOfEach() {
    int bound = 20;
    int publishes = 120;
    try (Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("full.db")),
            InstantSource.system(),
            RetentionPolicy.DEFAULTS.withMaxInboxSize(bound))) {
      List<Recipient> subscribers = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Fixtures.createAgent(s, "agent-" + i, Instant.now());
        subscribers.add(
            new Recipient(AgentId.of("agent-" + i), SubscriptionId.of("sub-" + i), false, QUEUE));
      }
      Route route = new Route.ToMailbox(MailboxName.of("ai.news"), MailboxKind.TOPIC, subscribers);
      List<MessageId> ids = new ArrayList<>();
      long dropped = 0;
      long start = 0;
      for (int i = 0; i < publishes; i++) {
        if (i == 2 * bound) {
          start = System.nanoTime();
        }
        SendResult.Accepted accepted =
            (SendResult.Accepted)
                s.messages().send(Fixtures.text("publisher", "ai.news", "news " + i), route);
        ids.add(accepted.id());
        dropped += accepted.dropped();
      }
      long measured = publishes - 2L * bound;
      LOG.info(
          "fan-out to {} full inboxes: {} ms per publish",
          SUBSCRIBERS,
          String.format("%.2f", (System.nanoTime() - start) / 1e6 / measured));

      assertThat(dropped).isEqualTo((long) (publishes - bound) * SUBSCRIBERS);
      MessageQuery inbox =
          new MessageQuery(
              MailboxName.of("agent-7"),
              AgentId.of("agent-7"),
              MessageFilter.NONE,
              Optional.empty(),
              Order.ASC,
              100);
      assertThat(s.messages().query(inbox).items())
          .extracting(e -> e.message().id())
          .containsExactlyElementsOf(ids.subList(publishes - bound, publishes));
      assertThat(s.messages().mailbox(MailboxName.of("agent-7")).orElseThrow().size())
          .isEqualTo(bound);
    }
  }

  /**
   * How many frames (one page each) the log holds: {@code mxFrame} of the wal-index header at the
   * start of the {@code -shm} file, as SQLite lays it out (a 32-bit native-order integer at byte
   * 16). Read from the file rather than from the log's size, which does not move when a log that
   * was checkpointed meanwhile starts over from its beginning.
   */
  private static long walFrames(Path shm) throws Exception {
    byte[] header = new byte[20];
    try (var in = Files.newInputStream(shm)) {
      in.readNBytes(header, 0, header.length);
    }
    return Integer.toUnsignedLong(
        ByteBuffer.wrap(header, 16, 4).order(ByteOrder.nativeOrder()).getInt());
  }

  private static void run(Storage s, Route route, int threads, int sendsEach, String label)
      throws InterruptedException {
    List<Thread> senders = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      senders.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < sendsEach; i++) {
                      s.messages().send(Fixtures.text("publisher", "ai.news", "news " + i), route);
                    }
                  }));
    }
    for (Thread t : senders) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long deliveries = (long) threads * sendsEach * SUBSCRIBERS;
    LOG.info(
        "fan-out, {}: {} sends to {} subscribers in {} ms: {} deliveries/s",
        label,
        threads * sendsEach,
        SUBSCRIBERS,
        Math.round(seconds * 1000),
        Math.round(deliveries / seconds));
  }
}
