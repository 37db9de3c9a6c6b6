package dev.mailroom.store.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer: group commit, per-task rollback, back-pressure and shutdown. */
@Timeout(value = 60, unit = SECONDS)
class GroupCommitIT {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitIT.class);

  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();
  private final List<Storage> opened = new ArrayList<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void closeEverything() {
    threads.shutdownNow();
    opened.forEach(Storage::close);
  }

  private Storage open(SqliteOptions options) {
    Storage s = SqliteStorage.open(options, clock, RetentionPolicy.DEFAULTS);
    opened.add(s);
    return s;
  }

  private Storage open() {
    return open(SqliteOptions.of(dir.resolve("mailroom.db")));
  }

  private static GroupCommitWriter writer(Storage s) {
    return ((SqliteBackend) s).writer();
  }

  /** Occupies the writer until {@code release} opens; returns once the writer is inside it. */
  private CompletableFuture<Void> blockWriter(Storage s, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Void> blocked =
        CompletableFuture.runAsync(
            () ->
                writer(s)
                    .execute(
                        "block",
                        session -> {
                          started.countDown();
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return null;
                        }),
            threads);
    started.await();
    return blocked;
  }

  private static List<Envelope> everything(Storage s, String mailbox) {
    List<Envelope> all = new ArrayList<>();
    Optional<MessageId> position = Optional.empty();
    do {
      Page<Envelope> page =
          s.messages()
              .query(
                  new MessageQuery(
                      MailboxName.of(mailbox),
                      AgentId.of("reader"),
                      MessageFilter.NONE,
                      position,
                      Order.ASC,
                      MessageQuery.MAX_LIMIT));
      all.addAll(page.items());
      position = page.next();
    } while (position.isPresent());
    return all;
  }

  @Test
  void concurrentSendsShareCommitsAndAreEachStoredOnceInCommitOrder() throws Exception {
    Storage s = open();
    int senders = 32;
    int perSender = 2_000 / senders + 1; // 32 x 63 = 2,016
    List<Future<List<MessageId>>> results = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
      for (int t = 0; t < senders; t++) {
        String sender = "s" + t;
        results.add(
            pool.submit(
                () -> {
                  List<MessageId> ids = new ArrayList<>();
                  for (int i = 0; i < perSender; i++) {
                    SendResult r =
                        s.messages()
                            .send(
                                Fixtures.text(sender, "box", sender + "/" + i),
                                Fixtures.shared("box"));
                    ids.add(r.id());
                  }
                  return ids;
                }));
      }
    }
    long took = System.nanoTime() - start;
    int total = senders * perSender;
    LOG.info(
        "{} sends from {} threads in {} ms ({}/s), {} commits",
        total,
        senders,
        took / 1_000_000,
        Math.round(total * 1e9 / took),
        writer(s).commits());

    Map<String, MessageId> idByBody = new HashMap<>();
    for (int t = 0; t < senders; t++) {
      List<MessageId> ids = results.get(t).get();
      // One sender's sends are sequential, so their ids increase in send (and commit) order.
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      for (int i = 0; i < perSender; i++) {
        idByBody.put("s" + t + "/" + i, ids.get(i));
      }
    }
    List<Envelope> stored = everything(s, "box");
    assertThat(stored).hasSize(total);
    assertThat(stored.stream().map(e -> e.message().id()).toList())
        .doesNotHaveDuplicates()
        .isSorted();
    for (Envelope e : stored) {
      assertThat(e.message().id()).isEqualTo(idByBody.get(e.message().payload().text()));
    }
    assertThat(s.messages().mailbox(MailboxName.of("box")).orElseThrow().size()).isEqualTo(total);
    assertThat(writer(s).committedTasks()).isEqualTo(total);
    assertThat(writer(s).commits()).isLessThan(total / 4);
  }

  @Test
  void aFailingWriteRollsBackOnlyItselfAndTheRestOfItsBatchCommits() throws Exception {
    Storage s = open();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    long commitsBefore = writer(s).commits();

    List<CompletableFuture<Object>> batch = new ArrayList<>();
    for (String key : List.of("a", "b", "c")) {
      batch.add(
          CompletableFuture.supplyAsync(
              () ->
                  writer(s)
                      .execute(
                          "write " + key,
                          session -> {
                            PreparedStatement ps =
                                session.prepare("INSERT INTO meta (key, value) VALUES (?, 1)");
                            ps.setString(1, key);
                            ps.executeUpdate();
                            if (key.equals("b")) {
                              throw new MailroomException.Conflict("b refuses");
                            }
                            return key;
                          }),
              threads));
      int queued = batch.size();
      await().until(() -> writer(s).queueDepth() == queued);
    }
    release.countDown();
    blocker.join();

    assertThat(batch.get(0).join()).isEqualTo("a");
    assertThat(batch.get(2).join()).isEqualTo("c");
    assertThatThrownBy(() -> batch.get(1).join())
        .hasCauseInstanceOf(MailroomException.Conflict.class);
    assertThat(writer(s).commits()).isEqualTo(commitsBefore + 2);
    assertThat(metaKeys(s)).contains("a", "c").doesNotContain("b");
  }

  private static List<String> metaKeys(Storage s) {
    return writer(s)
        .execute(
            "read meta",
            session -> {
              List<String> keys = new ArrayList<>();
              try (ResultSet rs = session.prepare("SELECT key FROM meta").executeQuery()) {
                while (rs.next()) {
                  keys.add(rs.getString(1));
                }
              }
              return keys;
            });
  }

  @Test
  void aWriterThatDiesCommitsNothingOfItsBatchAndRefusesLaterWrites() {
    Path file = dir.resolve("crash.db");
    Storage s = open(SqliteOptions.of(file));

    assertThatThrownBy(
            () ->
                writer(s)
                    .execute(
                        "crash",
                        session -> {
                          session
                              .prepare("INSERT INTO meta (key, value) VALUES ('half-done', 1)")
                              .executeUpdate();
                          throw new AssertionError("simulated fatal error in the writer");
                        }))
        .isInstanceOf(MailroomException.Unavailable.class);
    await().until(() -> !s.health().up());
    assertThatThrownBy(
            () -> s.messages().send(Fixtures.text("a", "box", "later"), Fixtures.shared("box")))
        .isInstanceOf(MailroomException.Unavailable.class);
    s.close();

    Storage reopened = open(SqliteOptions.of(file));
    assertThat(metaKeys(reopened)).doesNotContain("half-done");
  }

  @Test
  void aBackgroundWriteRidesInTheCommitOfTheNextForegroundWrite() throws Exception {
    // A linger longer than the test: the background write can only be committed with the send.
    Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("linger.db")),
            clock,
            RetentionPolicy.DEFAULTS,
            Duration.ofHours(1));
    opened.add(s);
    long before = writer(s).commits();
    CompletableFuture<Void> audit =
        CompletableFuture.runAsync(
            () -> writer(s).executeInBackground("audit", session -> null), threads);
    await().until(() -> writer(s).queueDepth() == 0); // taken by the writer, which waits

    SendResult sent = s.messages().send(Fixtures.text("a", "box", "hi"), Fixtures.shared("box"));

    audit.join();
    assertThat(sent).isInstanceOf(SendResult.Accepted.class);
    assertThat(writer(s).commits() - before).isEqualTo(1);
    assertThat(writer(s).committedTasks()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aBackgroundWriteAloneIsCommittedAfterTheLingerOrWhenTheStoreCloses() throws Exception {
    Storage s = open();
    writer(s).executeInBackground("audit", session -> null); // returns once committed
    assertThat(writer(s).commits()).isPositive();

    Storage lingering =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("closing.db")),
            clock,
            RetentionPolicy.DEFAULTS,
            Duration.ofHours(1));
    opened.add(lingering);
    CompletableFuture<Void> audit =
        CompletableFuture.runAsync(
            () -> writer(lingering).executeInBackground("audit", session -> null), threads);
    await().until(() -> writer(lingering).queueDepth() == 0);
    lingering.close();
    audit.join();
  }

  @Test
  void aFullQueueRefusesWritesAsOverloadedAfterTheEnqueueTimeout() throws Exception {
    Storage s = open(new SqliteOptions(dir.resolve("tiny.db"), 1, 1, 1, Duration.ofMillis(50)));
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    CompletableFuture<SendResult> queued =
        CompletableFuture.supplyAsync(
            () -> s.messages().send(Fixtures.text("a", "box", "queued"), Fixtures.shared("box")),
            threads);
    await().until(() -> writer(s).queueDepth() == 1);

    assertThatThrownBy(
            () -> s.messages().send(Fixtures.text("a", "box", "refused"), Fixtures.shared("box")))
        .isInstanceOf(MailroomException.Unavailable.class)
        .hasMessage("store overloaded");

    release.countDown();
    blocker.join();
    assertThat(queued.join()).isInstanceOf(SendResult.Accepted.class);
    assertThat(everything(s, "box"))
        .extracting(e -> e.message().payload().text())
        .containsExactly("queued");
  }

  @Test
  void closeFinishesQueuedWritesThenRefusesNewOnes() throws Exception {
    Path file = dir.resolve("close.db");
    Storage s = open(SqliteOptions.of(file));
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocker = blockWriter(s, release);
    List<CompletableFuture<SendResult>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String body = "queued " + i;
      queued.add(
          CompletableFuture.supplyAsync(
              () -> s.messages().send(Fixtures.text("a", "box", body), Fixtures.shared("box")),
              threads));
      int n = queued.size();
      await().until(() -> writer(s).queueDepth() == n);
    }
    CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close, threads);
    await().until(() -> !s.health().up());

    release.countDown();
    closing.join();
    blocker.join();

    assertThat(queued)
        .allSatisfy(f -> assertThat(f.join()).isInstanceOf(SendResult.Accepted.class));
    assertThatThrownBy(
            () -> s.messages().send(Fixtures.text("a", "box", "late"), Fixtures.shared("box")))
        .isInstanceOf(MailroomException.Unavailable.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> s.messages().find(MessageId.of(1)))
        .isInstanceOf(MailroomException.Unavailable.class);
    s.close(); // a second close is harmless

    Storage reopened = open(SqliteOptions.of(file));
    assertThat(everything(reopened, "box")).hasSize(3);
  }

  @Test
  void theLogIsCopiedIntoTheDatabaseFileInTheBackgroundNotByTheWriter() throws Exception {
    Path file = dir.resolve("mailroom.db");
    Storage s = open(SqliteOptions.of(file));
    try (Statement st = ((SqliteBackend) s).writeConnection().connection().createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_autocheckpoint")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the writer's own checkpoints").isZero();
    }
    int sent = 300; // each commits on its own, so the log holds a few hundred frames
    for (int i = 0; i < sent; i++) {
      s.messages().send(Fixtures.text("a", "box", "m" + i), Fixtures.shared("box"));
    }
    // Only a checkpoint puts the messages in the main file: read a copy of it without its log.
    Path copy = dir.resolve("copy.db");
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
              try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                  Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM messages")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(sent);
              }
            });
  }
}
