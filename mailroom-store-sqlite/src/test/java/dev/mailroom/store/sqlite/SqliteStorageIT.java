package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.core.blob.PartCopy;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's own behaviour: durability, bounds, expiry, idempotency, agents, health. */
class SqliteStorageIT {
  private static final AgentId READER = AgentId.of("reader");

  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();
  private final List<Storage> opened = new ArrayList<>();

  @AfterEach
  void closeEverything() {
    opened.forEach(Storage::close);
  }

  private Storage open(RetentionPolicy retention) {
    Storage s = SqliteStorage.open(SqliteOptions.of(dir.resolve("mailroom.db")), clock, retention);
    opened.add(s);
    return s;
  }

  private Storage open() {
    return open(RetentionPolicy.DEFAULTS);
  }

  private static List<Envelope> page(Storage s, String mailbox) {
    return s.messages()
        .query(
            new MessageQuery(
                MailboxName.of(mailbox),
                READER,
                MessageFilter.NONE,
                Optional.empty(),
                Order.ASC,
                MessageQuery.MAX_LIMIT))
        .items();
  }

  private static List<String> bodies(Storage s, String mailbox) {
    return page(s, mailbox).stream().map(e -> e.message().payload().text()).toList();
  }

  private static MailboxInfo mailbox(Storage s, String name) {
    return s.messages().mailbox(MailboxName.of(name)).orElseThrow();
  }

  @Test
  void aMessageComesBackExactlyAsSentWithEveryOptionalField() {
    Storage s = open();
    MessageId parent =
        s.messages().send(Fixtures.text("alice", "box", "parent"), Fixtures.shared("box")).id();
    Draft draft =
        new Draft(
            SendMode.TOPIC,
            Optional.of(MailboxName.of("dev.code")),
            ContentType.TEXT_CODE,
            Optional.of("java"),
            Payload.of(new byte[] {0, 1, 2, (byte) 0xff}),
            Priority.URGENT,
            List.of(Tag.of("zeta"), Tag.of("alpha:1")),
            "{\"k\":[1,2]}",
            Optional.empty(),
            Optional.of(ThreadId.of("thread-9")),
            Optional.of(parent),
            Optional.of("key-1"));
    OutgoingMessage out = new OutgoingMessage(AgentId.of("alice"), draft, Duration.ofHours(2));

    SendResult r =
        s.messages().send(out, new Route.ToMailbox(MailboxName.of("dev.code"), MailboxKind.TOPIC));

    Message expected = out.toMessage(r.id(), 0); // a topic's own history is not a recipient
    assertThat(s.messages().find(r.id())).contains(expected);
    assertThat(page(s, "dev.code")).extracting(Envelope::message).containsExactly(expected);
    assertThat(r.id().timestamp()).isEqualTo(clock.instant());
  }

  @Test
  void aBroadcastHasNoTargetAndMayReachNobody() {
    Storage s = open();
    Fixtures.createAgent(s, "alice", clock.instant());
    OutgoingMessage out =
        new OutgoingMessage(
            AgentId.of("alice"),
            Draft.text(SendMode.BROADCAST, Optional.empty(), "hi all"),
            Fixtures.TTL);

    SendResult r = s.messages().send(out, new Route.ToAllAgents(AgentId.of("alice")));

    assertThat(r).isEqualTo(new SendResult.Accepted(r.id(), 0, 0));
    assertThat(s.messages().find(r.id())).contains(out.toMessage(r.id(), 0));
  }

  @Test
  void everythingSurvivesCloseAndReopen() {
    Storage first = open();
    Fixtures.createAgent(first, "bob", clock.instant());
    MessageId id =
        first.messages().send(Fixtures.text("alice", "bob", "hello"), Fixtures.agent("bob")).id();
    first.messages().markRead(id, AgentId.of("bob"));
    first.close();

    Storage second = open();

    assertThat(second.agents().find(AgentId.of("bob"))).isPresent();
    assertThat(second.agents().findByTokenHash("hash-of-bob"))
        .map(AgentRecord::id)
        .contains(AgentId.of("bob"));
    assertThat(second.messages().find(id)).map(m -> m.payload().text()).contains("hello");
    assertThat(second.messages().readers(id))
        .containsExactly(new ReadReceipt(AgentId.of("bob"), clock.instant()));
    assertThat(mailbox(second, "bob"))
        .isEqualTo(new MailboxInfo(MailboxName.of("bob"), MailboxKind.AGENT, 1, 0));
    assertThat(second.health().details()).containsEntry("messages_estimate", 1L);
  }

  /**
   * The search index loses a message with its row, whatever deletes it: the cleaner (expiry) or the
   * last entry leaving a full inbox; what stays is still found.
   */
  @Test
  void aDeletedMessageLeavesTheSearchIndex() throws Exception {
    Storage s =
        open(
            new RetentionPolicy(
                2, Duration.ofDays(30), Duration.ofHours(1), Duration.ofMinutes(1)));
    Fixtures.createAgent(s, "bob", clock.instant());
    s.messages()
        .send(
            Fixtures.withTtl("alice", "box", "quince brief", Duration.ofSeconds(1)),
            Fixtures.shared("box"));
    s.messages().send(Fixtures.text("alice", "box", "quince lasting"), Fixtures.shared("box"));
    for (String text : List.of("medlar first", "medlar second", "medlar third")) {
      s.messages().send(Fixtures.text("alice", "bob", text), Fixtures.agent("bob"));
    }
    assertThat(indexed("quince")).isEqualTo(2);
    assertThat(indexed("medlar")).as("the first left bob's full inbox").isEqualTo(2);
    assertThat(indexed("first")).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(s.messages().purgeExpired(100).messages()).isEqualTo(1);
    assertThat(indexed("quince")).isEqualTo(1);
    assertThat(indexed("brief")).isZero();
    assertThat(indexed("lasting")).isEqualTo(1);
  }

  /** How many rows of the FTS table match {@code query}, read straight from the file. */
  private long indexed(String query) throws Exception {
    try (CachedConnection c = CachedConnection.openReader(dir.resolve("mailroom.db"));
        ResultSet rs =
            Sql.bind(
                    c.prepare("SELECT count(*) FROM message_search WHERE message_search MATCH ?"),
                    List.of(query))
                .executeQuery()) {
      return rs.getLong(1);
    }
  }

  @Test
  void idsKeepIncreasingAfterReopenEvenWhenTheNewestWereDeletedAndTheClockWentBack() {
    Storage first = open();
    MessageId newest =
        first
            .messages()
            .send(
                Fixtures.withTtl("alice", "box", "short-lived", Duration.ofSeconds(1)),
                Fixtures.shared("box"))
            .id();
    clock.advance(Duration.ofSeconds(1));
    assertThat(first.messages().purgeExpired(100).messages()).isEqualTo(1);
    first.close();
    clock.set(clock.instant().minus(Duration.ofHours(1)));

    Storage second = open();
    MessageId next =
        second.messages().send(Fixtures.text("alice", "box", "later"), Fixtures.shared("box")).id();

    assertThat(next).isGreaterThan(newest);
  }

  @Test
  void createsTheParentDirectoriesOfTheFile() {
    Path file = dir.resolve("a/b/c/mailroom.db");
    Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS);
    opened.add(s);

    assertThat(file).exists();
  }

  @Test
  void aFullAgentInboxDropsItsOldestEntriesAndCountsThem() {
    Storage s = open(RetentionPolicy.DEFAULTS.withMaxInboxSize(3));
    Fixtures.createAgent(s, "bob", clock.instant());
    List<SendResult> results = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      results.add(s.messages().send(Fixtures.text("alice", "bob", "m" + i), Fixtures.agent("bob")));
    }

    assertThat(results)
        .extracting(r -> ((SendResult.Accepted) r).dropped())
        .containsExactly(0, 0, 0, 1, 1);
    assertThat(bodies(s, "bob")).containsExactly("m3", "m4", "m5");
    assertThat(mailbox(s, "bob").size()).isEqualTo(3);
    assertThat(mailbox(s, "bob").dropped()).isEqualTo(2);
    // A message dropped from its only mailbox is gone with it.
    assertThat(s.messages().find(results.get(0).id())).isEmpty();
    assertThat(s.messages().find(results.get(2).id())).isPresent();
  }

  @Test
  void aBroadcastMessageOutlivesItsDropFromOneInboxWhileAnotherStillHoldsIt() {
    Storage s = open(RetentionPolicy.DEFAULTS.withMaxInboxSize(1));
    for (String agent : List.of("alice", "bob", "carol")) {
      Fixtures.createAgent(s, agent, clock.instant());
    }
    SendResult broadcast =
        s.messages()
            .send(
                Fixtures.text("alice", "bob", "to all"),
                new Route.ToAllAgents(AgentId.of("alice")));
    SendResult direct =
        s.messages().send(Fixtures.text("alice", "bob", "to bob"), Fixtures.agent("bob"));

    assertThat(broadcast.recipients()).isEqualTo(2);
    assertThat(((SendResult.Accepted) direct).dropped()).isEqualTo(1);
    assertThat(bodies(s, "bob")).containsExactly("to bob");
    assertThat(bodies(s, "carol")).containsExactly("to all");
    assertThat(bodies(s, "alice")).isEmpty();
    assertThat(s.messages().find(broadcast.id())).isPresent();
  }

  @Test
  void sharedAndTopicMailboxesAreNotBoundedByTheInboxSize() {
    Storage s = open(RetentionPolicy.DEFAULTS.withMaxInboxSize(2));
    for (int i = 0; i < 5; i++) {
      s.messages().send(Fixtures.text("alice", "box", "m" + i), Fixtures.shared("box"));
      s.messages()
          .send(
              Fixtures.text("alice", "ai.news", "t" + i),
              new Route.ToMailbox(MailboxName.of("ai.news"), MailboxKind.TOPIC));
    }

    assertThat(mailbox(s, "box").size()).isEqualTo(5);
    assertThat(mailbox(s, "ai.news").size()).isEqualTo(5);
    assertThat(mailbox(s, "ai.news").kind()).isEqualTo(MailboxKind.TOPIC);
  }

  @Test
  void anExpiredMessageIsInvisibleAtOnceAndRemovedByThePurge() {
    Storage s = open();
    MessageId id =
        s.messages()
            .send(
                Fixtures.withTtl("alice", "box", "brief", Duration.ofMinutes(1)),
                Fixtures.shared("box"))
            .id();
    s.messages().markRead(id, READER);
    clock.advance(Duration.ofMinutes(1));

    assertThat(s.messages().find(id)).isEmpty();
    assertThat(s.messages().contains(MailboxName.of("box"), id)).isFalse();
    assertThat(page(s, "box")).isEmpty();
    assertThat(s.messages().unreadCount(MailboxName.of("box"), AgentId.of("other"))).isZero();
    assertThat(s.messages().markRead(id, AgentId.of("other"))).isFalse();
    assertThat(s.messages().markUnread(id, READER)).isFalse();
    assertThat(s.messages().readers(id)).isEmpty();
    assertThat(mailbox(s, "box").size()).isEqualTo(1);

    CleanupReport report = s.messages().purgeExpired(100);

    assertThat(report.messages()).isEqualTo(1);
    assertThat(report.more()).isFalse();
    assertThat(mailbox(s, "box").size()).isZero();
    assertThat(s.health().details()).containsEntry("messages_estimate", 0L);
  }

  @Test
  void thePurgeSaysWhenItsLimitLeftWorkUndone() {
    Storage s = open();
    for (int i = 0; i < 5; i++) {
      s.messages()
          .send(
              Fixtures.withTtl("alice", "box", "m" + i, Duration.ofSeconds(1)),
              Fixtures.shared("box"));
    }
    clock.advance(Duration.ofSeconds(1));

    CleanupReport first = s.messages().purgeExpired(2);
    CleanupReport second = s.messages().purgeExpired(10);

    assertThat(first.messages()).isEqualTo(2);
    assertThat(first.more()).isTrue();
    assertThat(second.messages()).isEqualTo(3);
    assertThat(second.more()).isFalse();
  }

  @Test
  void theSameIdempotencyKeyWithinTheWindowReturnsTheOriginalAndStoresNothing() {
    Storage s = open();
    SendResult first =
        s.messages().send(Fixtures.withKey("alice", "box", "once", "k1"), Fixtures.shared("box"));
    clock.advance(RetentionPolicy.DEFAULT_DEDUPE_WINDOW.minusSeconds(1));
    SendResult again =
        s.messages().send(Fixtures.withKey("alice", "box", "twice", "k1"), Fixtures.shared("box"));
    SendResult otherSender =
        s.messages().send(Fixtures.withKey("bob", "box", "bob's", "k1"), Fixtures.shared("box"));

    assertThat(first).isInstanceOf(SendResult.Accepted.class);
    assertThat(again).isEqualTo(new SendResult.Duplicate(first.id(), 1));
    assertThat(otherSender).isInstanceOf(SendResult.Accepted.class);
    assertThat(bodies(s, "box")).containsExactly("once", "bob's");
  }

  @Test
  void anIdempotencyKeyIsForgottenAfterTheDedupeWindow() {
    Storage s = open();
    SendResult first =
        s.messages().send(Fixtures.withKey("alice", "box", "once", "k1"), Fixtures.shared("box"));
    clock.advance(RetentionPolicy.DEFAULT_DEDUPE_WINDOW.plusMillis(1));

    SendResult later =
        s.messages().send(Fixtures.withKey("alice", "box", "again", "k1"), Fixtures.shared("box"));

    assertThat(later).isInstanceOf(SendResult.Accepted.class);
    assertThat(later.id()).isGreaterThan(first.id());
    // The replaced key now dedupes against the new message.
    assertThat(
            s.messages()
                .send(Fixtures.withKey("alice", "box", "third", "k1"), Fixtures.shared("box")))
        .isEqualTo(new SendResult.Duplicate(later.id(), 1));
  }

  @Test
  void thePurgeForgetsIdempotencyKeysAndReadStatePastTheirRetention() {
    RetentionPolicy retention =
        new RetentionPolicy(10, Duration.ofDays(30), Duration.ofHours(1), Duration.ofMinutes(1));
    Storage s = open(retention);
    MessageId id =
        s.messages()
            .send(
                new dev.mailroom.core.OutgoingMessage(
                    AgentId.of("alice"),
                    Fixtures.draft("box", "kept", Optional.of("k1")),
                    Duration.ofDays(60)),
                Fixtures.shared("box"))
            .id();
    s.messages().markRead(id, READER);
    clock.advance(Duration.ofDays(30).plusMillis(1));

    CleanupReport report = s.messages().purgeExpired(100);

    assertThat(report).isEqualTo(new CleanupReport(0, 1, 1, false));
    assertThat(s.messages().readers(id)).isEmpty();
    assertThat(s.messages().find(id)).isPresent();
  }

  @Test
  void markingReadKeepsTheFirstReadTimeAndUnreadKeepsTheRecord() {
    Storage s = open();
    MessageId id =
        s.messages().send(Fixtures.text("alice", "box", "hi"), Fixtures.shared("box")).id();
    Instant firstRead = clock.instant();

    assertThat(s.messages().markRead(id, READER)).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(s.messages().markRead(id, READER)).isTrue();
    assertThat(s.messages().readers(id)).containsExactly(new ReadReceipt(READER, firstRead));
    assertThat(page(s, "box").getFirst().readAt()).contains(firstRead);
    assertThat(s.messages().unreadCount(MailboxName.of("box"), READER)).isZero();

    assertThat(s.messages().markUnread(id, READER)).isTrue();
    assertThat(s.messages().readers(id)).isEmpty();
    assertThat(page(s, "box").getFirst().readAt()).isEmpty();
    assertThat(s.messages().unreadCount(MailboxName.of("box"), READER)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5));
    s.messages().markRead(id, READER);
    assertThat(s.messages().readers(id)).containsExactly(new ReadReceipt(READER, clock.instant()));
    assertThat(s.messages().markRead(MessageId.of(id.value() + 1), READER)).isFalse();
  }

  @Test
  void readersAreOrderedByReadTime() {
    Storage s = open();
    MessageId id =
        s.messages().send(Fixtures.text("alice", "box", "hi"), Fixtures.shared("box")).id();
    s.messages().markRead(id, AgentId.of("zed"));
    clock.advance(Duration.ofSeconds(1));
    s.messages().markRead(id, AgentId.of("amy"));

    assertThat(s.messages().readers(id))
        .extracting(ReadReceipt::reader)
        .containsExactly(AgentId.of("zed"), AgentId.of("amy"));
  }

  @Test
  void sendingIntoAMailboxOfAnotherKindIsAConflictAndStoresNothing() {
    Storage s = open();
    s.messages().send(Fixtures.text("alice", "box", "shared"), Fixtures.shared("box"));

    assertThatThrownBy(
            () ->
                s.messages()
                    .send(
                        Fixtures.text("alice", "box", "topic"),
                        new Route.ToMailbox(MailboxName.of("box"), MailboxKind.TOPIC)))
        .isInstanceOf(MailroomException.Conflict.class)
        .hasMessageContaining("shared")
        .hasMessageContaining("topic");
    assertThatThrownBy(
            () ->
                s.messages().send(Fixtures.text("alice", "nobody", "x"), Fixtures.agent("nobody")))
        .isInstanceOf(MailroomException.Conflict.class)
        .hasMessageContaining("no agent");
    assertThat(bodies(s, "box")).containsExactly("shared");
    assertThat(mailbox(s, "box").size()).isEqualTo(1);
    assertThat(s.messages().mailbox(MailboxName.of("nobody"))).isEmpty();
  }

  @Test
  void anAgentIdTakenByAnAgentOrAMailboxIsAConflict() {
    Storage s = open();
    Fixtures.createAgent(s, "bob", clock.instant());
    s.messages().send(Fixtures.text("alice", "news", "x"), Fixtures.shared("news"));

    assertThatThrownBy(() -> Fixtures.createAgent(s, "bob", clock.instant()))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThatThrownBy(() -> Fixtures.createAgent(s, "news", clock.instant()))
        .isInstanceOf(MailroomException.Conflict.class)
        .hasMessageContaining("shared mailbox");
    assertThatThrownBy(
            () ->
                s.agents()
                    .create(
                        new AgentRecord(AgentId.of("carol"), Set.of(), clock.instant()),
                        "hash-of-bob"))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(s.agents().list()).extracting(AgentRecord::id).containsExactly(AgentId.of("bob"));
    assertThat(s.messages().mailbox(MailboxName.of("carol"))).isEmpty();
  }

  @Test
  void agentsKeepTheirRolesAndCanChangeTheirToken() {
    Storage s = open();
    AgentRecord admin =
        new AgentRecord(AgentId.of("root"), Set.of(Role.ADMIN, Role.AGENT), clock.instant());
    s.agents().create(admin, "h1");

    assertThat(s.agents().replaceToken(AgentId.of("root"), "h2", Optional.empty())).isTrue();
    assertThat(s.agents().replaceToken(AgentId.of("ghost"), "h3", Optional.empty())).isFalse();
    assertThat(s.agents().findByTokenHash("h1")).isEmpty();
    assertThat(s.agents().findByTokenHash("h2")).contains(admin);
    assertThat(mailbox(s, "root").kind()).isEqualTo(MailboxKind.AGENT);
  }

  @Test
  void healthReportsTheFileTheQueueAndTheMessageCount() throws Exception {
    Storage s = open();
    s.messages().send(Fixtures.text("alice", "box", "hi"), Fixtures.shared("box"));

    var health = s.health();

    assertThat(health.up()).isTrue();
    assertThat(health.backend()).isEqualTo("sqlite");
    assertThat(health.details())
        .containsEntry("path", dir.resolve("mailroom.db").toAbsolutePath().toString())
        .containsEntry("writer_queue_depth", 0)
        .containsEntry("messages_estimate", 1L);
    assertThat((Long) health.details().get("file_size_bytes"))
        .isGreaterThanOrEqualTo(Files.size(dir.resolve("mailroom.db")));
    s.close();
    assertThat(s.health().up()).isFalse();
  }

  @Test
  void theBlobStoreLivesBesideTheDatabaseKeepsItsBlobsAcrossAReopenAndClosesWithTheStore() {
    Storage s = open();
    byte[] bytes = "attached".getBytes(StandardCharsets.UTF_8);
    String sha256 = HexFormat.of().formatHex(PartCopy.sha256().digest(bytes));
    Blob upload =
        Blob.open(
            BlobId.random(),
            AgentId.of("alice"),
            "a.txt",
            "text/plain",
            bytes.length,
            BlobLimits.MIN_PART_SIZE,
            Optional.of(sha256),
            clock.instant());
    s.blobs().create(upload, BlobLimits.DEFAULT_QUOTA_BYTES);
    s.blobs()
        .writePart(
            upload.id(),
            0,
            new ByteArrayInputStream(bytes),
            java.util.List.of(dev.mailroom.core.blob.PartChecksum.sha256(sha256)),
            clock.instant());
    Blob blob = s.blobs().complete(upload.id(), clock.instant());

    assertThat(dir.resolve(SqliteStorage.BLOBS).resolve(blob.id() + BlobFiles.DATA)).exists();
    s.close();
    assertThatThrownBy(() -> s.blobs().find(blob.id()))
        .isInstanceOf(MailroomException.Unavailable.class);

    Storage again = open();
    assertThat(again.blobs().find(blob.id())).contains(blob);
    assertThat(again.blobs().usage(AgentId.of("alice"))).isEqualTo(bytes.length);
  }
}
