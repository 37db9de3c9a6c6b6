package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.AttachmentRef;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.PolicyDocument;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.Storage;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written with an older schema opens, upgraded in place, with everything it held. */
class SchemaMigrationIT {
  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();

  /** Writes rows the way the v1 store did: an agent, a topic, and one message in each mailbox. */
  private static void writeVersionOne(Path file, Instant at) throws Exception {
    try (CachedConnection c = CachedConnection.openWriter(file)) {
      Schema.migrate(c, 1);
      assertThat(Schema.version(c)).isEqualTo(1);
      long ms = at.toEpochMilli();
      c.execute(
          "INSERT INTO agents (id, roles, token_hash, created_at) VALUES ('bob', 'agent', 'h', "
              + ms
              + ")");
      c.execute(
          "INSERT INTO mailboxes (name, kind, size, dropped, created_at) VALUES"
              + " ('bob', 'AGENT', 1, 0, "
              + ms
              + "), ('news', 'TOPIC', 1, 2, "
              + ms
              + ")");
      insert(
          c, Fixtures.text("alice", "bob", "old direct").toMessage(MessageId.of(at, 1), 1), "bob");
      insert(
          c, Fixtures.text("alice", "news", "old news").toMessage(MessageId.of(at, 2), 0), "news");
    }
  }

  private static void insert(CachedConnection c, Message m, String mailbox) throws Exception {
    PreparedStatement message = c.prepare(MessageRows.INSERT);
    MessageRows.bindInsert(message, m, 1);
    message.executeUpdate();
    PreparedStatement entry =
        c.prepare(
            "INSERT INTO entries"
                + " (mailbox, id, sender, priority, content_type, expires_at, tags, bounded)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    entry.setString(1, mailbox);
    entry.setLong(2, m.id().value());
    entry.setString(3, m.sender().value());
    entry.setInt(4, m.priority().ordinal());
    entry.setString(5, m.contentType().mediaType());
    entry.setLong(6, m.expiresAt().toEpochMilli());
    entry.setString(7, MessageRows.filterTags(m.tags()));
    entry.setInt(8, mailbox.equals("bob") ? 1 : 0);
    entry.executeUpdate();
  }

  @Test
  void aVersionOneFileIsUpgradedInPlaceAndKeepsWhatItHeld() throws Exception {
    Path file = dir.resolve("v1.db");
    Instant written = clock.instant();
    writeVersionOne(file, written);
    clock.advance(Duration.ofMinutes(5));

    try (Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
      assertThat(s.messages().find(MessageId.of(written, 1)))
          .map(m -> m.payload().text())
          .contains("old direct");
      assertThat(s.messages().unreadCount(MailboxName.of("bob"), AgentId.of("bob"))).isEqualTo(1);
      // An upgrade pushes nothing old to anyone's stream.
      assertThat(s.deliveries().pending(AgentId.of("bob"), Optional.empty(), 10)).isEmpty();
      // An agent of an older file has an empty profile, is active and was never seen.
      AgentRecord bob = s.agents().find(AgentId.of("bob")).orElseThrow();
      assertThat(bob.profile()).isEqualTo(AgentProfile.EMPTY);
      assertThat(bob.retiredAt()).isEmpty();
      assertThat(s.presence().lastSeen(List.of(AgentId.of("bob")))).isEmpty();
      // The topic's statistics start from what v1 knew: entries ever added, newest entry's time.
      assertThat(s.topics().stats(MailboxName.of("news")))
          .contains(new TopicStats(MailboxName.of("news"), 3, Optional.of(written), 0, written));

      // And the new features work on the upgraded file.
      MessageId fresh =
          s.messages().send(Fixtures.text("alice", "bob", "new"), Fixtures.agent("bob")).id();
      assertThat(s.deliveries().pending(AgentId.of("bob"), Optional.empty(), 10))
          .extracting(Delivery::message)
          .extracting(Message::id)
          .containsExactly(fresh);
    }
    try (CachedConnection c = CachedConnection.openReader(file);
        ResultSet rs = c.prepare("PRAGMA user_version").executeQuery()) {
      assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION).isEqualTo(10);
    }
  }

  /**
   * Version 4 put a topic message in each subscriber's own mailbox as an entry carrying the
   * delivery; version 5 writes {@code fanout} rows instead and leaves old entries where they are.
   * Both kinds are one mailbox to the agent: listed, counted, pending and acknowledged together.
   */
  @Test
  void aVersionFourFanOutEntryStaysAndMergesWithTheNewFanOuts() throws Exception {
    Path file = dir.resolve("v4.db");
    Instant written = clock.instant();
    MessageId old = MessageId.of(written, 1);
    try (CachedConnection c = CachedConnection.openWriter(file)) {
      Schema.migrate(c, 4);
      long ms = written.toEpochMilli();
      c.execute(
          "INSERT INTO agents (id, roles, token_hash, created_at) VALUES ('bob', 'agent', 'h', "
              + ms
              + ")");
      c.execute(
          "INSERT INTO mailboxes (name, kind, size, dropped, created_at, total) VALUES"
              + " ('bob', 'AGENT', 1, 0, "
              + ms
              + ", 1), ('news', 'TOPIC', 1, 0, "
              + ms
              + ", 1)");
      Message m = Fixtures.text("alice", "news", "old news").toMessage(old, 1);
      PreparedStatement message = c.prepare(MessageRows.INSERT);
      MessageRows.bindInsert(message, m, 2);
      message.executeUpdate();
      for (String mailbox : List.of("news", "bob")) {
        boolean agent = mailbox.equals("bob");
        c.execute(
            "INSERT INTO entries (mailbox, id, sender, priority, content_type, expires_at, tags,"
                + " bounded, subscription, state) VALUES ('"
                + mailbox
                + "', "
                + old.value()
                + ", 'alice', "
                + m.priority().ordinal()
                + ", 'text/plain', "
                + m.expiresAt().toEpochMilli()
                + ", ' ', "
                + (agent ? "1, 's', 1)" : "0, NULL, 0)"));
      }
      c.execute("INSERT INTO queues (subscription, pending) VALUES ('s', 1)");
    }
    clock.advance(Duration.ofSeconds(1));

    try (Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
      Route news =
          new Route.ToMailbox(
              MailboxName.of("news"),
              MailboxKind.TOPIC,
              List.of(new Recipient(AgentId.of("bob"), SubscriptionId.of("s"), true, 10)));
      MessageId fresh = s.messages().send(Fixtures.text("alice", "news", "new news"), news).id();

      AgentId bob = AgentId.of("bob");
      assertThat(s.deliveries().pending(bob, Optional.empty(), 10))
          .extracting(d -> d.message().id())
          .containsExactly(old, fresh);
      assertThat(s.deliveries().queued(SubscriptionId.of("s"))).isEqualTo(2);
      MessageQuery inbox =
          new MessageQuery(
              MailboxName.of("bob"), bob, MessageFilter.NONE, Optional.empty(), Order.ASC, 10);
      assertThat(s.messages().query(inbox).items())
          .extracting(e -> e.message().id())
          .containsExactly(old, fresh);
      assertThat(s.messages().unreadCount(MailboxName.of("bob"), bob)).isEqualTo(2);
      assertThat(s.messages().mailbox(MailboxName.of("bob")).orElseThrow().size()).isEqualTo(2);

      assertThat(s.deliveries().acknowledge(bob, List.of(old, fresh))).isEqualTo(2);
      assertThat(s.deliveries().pending(bob, Optional.empty(), 10)).isEmpty();
      assertThat(s.deliveries().queued(SubscriptionId.of("s"))).isZero();
    }
  }

  /**
   * Version 6 adds attachments: a message of version 5 has none and is removed as before, and a
   * message sent after the upgrade keeps its attachments and holds its blobs until it goes.
   */
  @Test
  void aVersionFiveFileGainsAttachments() throws Exception {
    Path file = dir.resolve("v5.db");
    Instant written = clock.instant();
    MessageId old = MessageId.of(written, 1);
    try (CachedConnection c = CachedConnection.openWriter(file)) {
      Schema.migrate(c, 5);
      c.execute(
          "INSERT INTO mailboxes (name, kind, size, dropped, created_at, total) VALUES"
              + " ('shared', 'SHARED', 1, 0, "
              + written.toEpochMilli()
              + ", 1)");
      insert(c, Fixtures.text("alice", "shared", "old").toMessage(old, 1), "shared");
    }
    clock.advance(Duration.ofSeconds(1));

    try (Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
      assertThat(s.messages().find(old).orElseThrow().attachments()).isEmpty();
      Attachment log =
          new Attachment(BlobId.random(), "build.log", "text/plain", 10, "ab".repeat(32));
      OutgoingMessage attached =
          new OutgoingMessage(
              AgentId.of("alice"),
              new Draft(
                  SendMode.DIRECT,
                  Optional.of(MailboxName.of("shared")),
                  ContentType.TEXT_PLAIN,
                  Optional.empty(),
                  Payload.ofText("new"),
                  Priority.NORMAL,
                  List.of(),
                  "{}",
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  List.of(AttachmentRef.of(log.blob()))),
              Duration.ofMinutes(1),
              List.of(log));
      MessageId fresh = s.messages().send(attached, Fixtures.shared("shared")).id();

      assertThat(s.messages().find(fresh).orElseThrow().attachments()).containsExactly(log);
      assertThat(s.messages().referenced(Set.of(log.blob()))).containsExactly(log.blob());
      clock.advance(Duration.ofMinutes(1));
      s.messages().purgeExpired(100);
      assertThat(s.messages().find(fresh)).isEmpty();
      assertThat(s.messages().find(old)).isPresent();
      assertThat(s.messages().referenced(Set.of(log.blob()))).isEmpty();
    }
  }

  @Test
  void aVersionTwoFileKeepsItsAgentsAndTokensAndGainsAccessControl() throws Exception {
    Path file = dir.resolve("v2.db");
    Instant written = clock.instant();
    try (CachedConnection c = CachedConnection.openWriter(file)) {
      Schema.migrate(c, 2);
      c.execute(
          "INSERT INTO agents (id, roles, token_hash, created_at) VALUES"
              + " ('bob', 'agent,ops', 'hash-bob', "
              + written.toEpochMilli()
              + "), ('carol', '', 'hash-carol', "
              + written.toEpochMilli()
              + ")");
    }

    try (Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
      AgentRecord bob =
          new AgentRecord(AgentId.of("bob"), Set.of(Role.AGENT, Role.of("ops")), written);
      assertThat(s.agents().findByTokenHash("hash-bob")).contains(bob);
      assertThat(s.agents().list()).hasSize(2);

      assertThat(s.agents().revokeToken(AgentId.of("bob"))).isTrue();
      assertThat(s.agents().revokeToken(AgentId.of("carol"))).isTrue();
      assertThat(s.agents().findByTokenHash("hash-bob")).isEmpty();
      Optional<Instant> expiry = Optional.of(written.plus(Duration.ofDays(1)));
      assertThat(s.agents().replaceToken(AgentId.of("carol"), "new", expiry)).isTrue();
      assertThat(s.agents().findByTokenHash("new").orElseThrow().tokenExpiresAt())
          .isEqualTo(expiry);
      assertThat(s.access().policy()).isEqualTo(PolicyDocument.EMPTY);
      assertThat(s.access().replacePolicy(0, "{}")).hasValue(1);
      assertThat(s.audit().chains()).isEmpty();
    }
  }

  /** Version 9 indexes the messages a file already holds, so search finds them at once. */
  @Test
  void aVersionEightFileHasItsMessagesIndexedForSearch() throws Exception {
    Path file = dir.resolve("v8.db");
    Instant written = clock.instant();
    writeVersionOne(file, written);
    try (CachedConnection c = CachedConnection.openWriter(file)) {
      Schema.migrate(c, 8);
    }
    clock.advance(Duration.ofMinutes(5));

    try (Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
      assertThat(search(s, "old"))
          .containsExactly(MessageId.of(written, 2), MessageId.of(written, 1));
      assertThat(search(s, "news")).containsExactly(MessageId.of(written, 2));
      MessageId fresh =
          s.messages()
              .send(Fixtures.text("alice", "bob", "old and new"), Fixtures.agent("bob"))
              .id();
      assertThat(search(s, "old new")).containsExactly(fresh);
    }
  }

  private static List<MessageId> search(Storage s, String q) {
    return s
        .messages()
        .search(
            new SearchRequest(
                SearchQuery.parse(q),
                AgentId.of("bob"),
                true,
                Optional.empty(),
                MessageFilter.NONE,
                Optional.empty(),
                10))
        .hits()
        .stream()
        .map(h -> h.envelope().message().id())
        .toList();
  }

  @Test
  void aNewFileGetsTheSameSchemaAsAnUpgradedOne() throws Exception {
    Path upgraded = dir.resolve("upgraded.db");
    try (CachedConnection c = CachedConnection.openWriter(upgraded)) {
      Schema.migrate(c, 1);
    }
    SqliteStorage.open(SqliteOptions.of(upgraded), clock, RetentionPolicy.DEFAULTS).close();
    Path fresh = dir.resolve("fresh.db");
    SqliteStorage.open(SqliteOptions.of(fresh), clock, RetentionPolicy.DEFAULTS).close();

    assertThat(schemaOf(upgraded)).isEqualTo(schemaOf(fresh));
  }

  private static String schemaOf(Path file) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (CachedConnection c = CachedConnection.openReader(file);
        ResultSet rs =
            c.prepare(
                    "SELECT type, name, sql FROM sqlite_schema"
                        + " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
                .executeQuery()) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(": ");
        sb.append(rs.getString(3)).append('\n');
      }
    }
    return sb.toString();
  }
}
