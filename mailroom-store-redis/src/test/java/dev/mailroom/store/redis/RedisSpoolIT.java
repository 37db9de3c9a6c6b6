package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.AttachmentRef;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.store.sqlite.SqliteSpool;
import dev.mailroom.testkit.redis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on a real redis-server ({@code appendfsync always}) that is killed with SIGKILL and
 * started again: sends accepted meanwhile are spooled, replayed once, in order, with their ids.
 */
class RedisSpoolIT {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");
  private static final AgentId CAROL = AgentId.of("carol");
  private static final MailboxName NEWS = MailboxName.of("news");

  @TempDir Path dir;
  private RedisServer redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void startRedis() {
    redis =
        RedisServer.start(RedisServer.Options.defaults().appendOnly(true).appendFsync("always"));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    redis.close();
  }

  private RedisStorage storage(Spool.Limits limits) {
    RedisStorage s =
        RedisStorage.open(
            new RedisOptions(redis.uri(), "spool", Duration.ofSeconds(1)),
            InstantSource.system(),
            RetentionPolicy.DEFAULTS,
            Optional.of(SqliteSpool.open(dir, limits)));
    open.add(s);
    return s;
  }

  @Test
  void sendsAcceptedWhileRedisIsDownAreStoredOnceInOrderWhenItIsBack() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    agents(s, ALICE, BOB, CAROL);
    List<MessageId> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(accepted(direct(s, i)));
      sent.add(accepted(topic(s, i)));
    }

    redis.kill();
    for (int i = 10; i < 60; i++) {
      SendResult d = direct(s, i);
      SendResult t = topic(s, i);
      assertThat(d).isInstanceOf(SendResult.Spooled.class);
      assertThat(t).isInstanceOf(SendResult.Spooled.class);
      assertThat(t.recipients()).isEqualTo(2);
      sent.add(d.id());
      sent.add(t.id());
    }
    assertThat(spool(s).get("depth")).isEqualTo(100L);
    assertThat(sent).isSorted().doesNotHaveDuplicates();

    redis.restart();
    awaitEmptySpool(s);

    List<MessageId> directs = new ArrayList<>();
    List<MessageId> topics = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      (i % 2 == 0 ? directs : topics).add(sent.get(i));
    }
    assertThat(ids(s, BOB)).containsExactlyElementsOf(concat(directs, topics));
    assertThat(ids(s, CAROL)).containsExactlyElementsOf(topics);
    assertThat(ids(s, NEWS)).containsExactlyElementsOf(topics);
    assertThat(pending(s, CAROL)).containsExactlyElementsOf(topics);
    assertThat(s.messages().find(sent.getLast()).orElseThrow().payload().text())
        .isEqualTo("topic 59");
    assertThat(spool(s)).containsEntry("replayed", 100L).containsEntry("refused_at_replay", 0L);
  }

  @Test
  void aSpooledSendRetriedWithItsKeyGetsItsIdAndIsStoredOnce() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    agents(s, ALICE, BOB, CAROL);
    redis.kill();

    SendResult first = send(s, keyed("k1", "once"), toBob());
    SendResult again = send(s, keyed("k1", "once"), toBob());

    assertThat(first).isInstanceOf(SendResult.Spooled.class);
    assertThat(again).isEqualTo(new SendResult.Duplicate(first.id(), 1));
    redis.restart();
    awaitEmptySpool(s);
    assertThat(ids(s, BOB)).containsExactly(first.id());
    assertThat(send(s, keyed("k1", "once"), toBob()))
        .isEqualTo(new SendResult.Duplicate(first.id(), 1));
  }

  @Test
  void aSpooledSendRedisRefusesIsDroppedAndTheOnesAfterItAreStored() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    agents(s, ALICE, BOB, CAROL);
    send(
        s,
        text(SendMode.DIRECT, "news", "a shared mailbox"),
        new Route.ToMailbox(NEWS, MailboxKind.SHARED));
    redis.kill();

    SendResult refused = topic(s, 0); // news is a shared mailbox: Redis will refuse it
    SendResult after = direct(s, 1);
    redis.restart();
    awaitEmptySpool(s);

    assertThat(refused).isInstanceOf(SendResult.Spooled.class);
    assertThat(s.messages().find(refused.id())).isEmpty();
    assertThat(ids(s, BOB)).containsExactly(after.id());
    assertThat(spool(s)).containsEntry("refused_at_replay", 1L).containsEntry("replayed", 1L);
  }

  @Test
  void aFullSpoolRefusesWith503AndKeepsWhatItHolds() {
    RedisStorage s = storage(new Spool.Limits(3, 1 << 20));
    agents(s, ALICE, BOB, CAROL);
    redis.kill();
    List<MessageId> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      kept.add(direct(s, i).id());
    }

    assertThatThrownBy(() -> direct(s, 3))
        .isInstanceOf(MailroomException.Unavailable.class)
        .hasMessageContaining("spool is full");

    redis.restart();
    awaitEmptySpool(s);
    assertThat(ids(s, BOB)).containsExactlyElementsOf(kept);
  }

  @Test
  void aNodeStoppedWithAFullSpoolReplaysItWhenItStartsAgain() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    agents(s, ALICE, BOB, CAROL);
    redis.kill();
    List<MessageId> kept = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      kept.add(direct(s, i).id());
    }
    s.close();
    redis.restart();

    RedisStorage again = storage(Spool.Limits.DEFAULTS);
    awaitEmptySpool(again);

    assertThat(ids(again, BOB)).containsExactlyElementsOf(kept);
  }

  @Test
  void aSendStoredButNotAnsweredIsNotStoredTwiceWhenReplayed() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    agents(s, ALICE, BOB, CAROL);
    MessageId stored = accepted(direct(s, 0));
    OutgoingMessage message =
        new OutgoingMessage(ALICE, text(SendMode.DIRECT, "bob", "direct 0"), Duration.ofDays(1));

    // As if the first attempt's answer was lost: the same send, under the same id, again.
    SendResult again = spooling(s).send(stored, message, toBob());

    assertThat(again).isEqualTo(new SendResult.Duplicate(stored, 1));
    assertThat(ids(s, BOB)).containsExactly(stored);
  }

  @Test
  void auditRecordsAppendedWhileRedisIsDownAreStoredOnceWhenItIsBack() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    List<AuditRecord> all = auditRecords(0, 105);
    s.audit().append(all.subList(0, 5));

    redis.kill();
    for (int from = 5; from < 105; from += 10) {
      s.audit().append(all.subList(from, from + 10));
    }
    assertThat(auditSpool(s)).containsEntry("depth", 100L).containsEntry("spooled", 100L);

    redis.restart();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> auditSpool(s).get("depth").equals(0L));

    assertThat(s.audit().chain("node-a", 0, 1000)).containsExactlyElementsOf(all);
  }

  @Test
  void spooledAuditRecordsRedisHoldsAlreadyAreNotStoredTwice() {
    // As a node left it: ten records spooled, the first four of which reached Redis (their
    // answers lost), replayed by the node when it starts again.
    List<AuditRecord> all = auditRecords(0, 10);
    RedisStorage first = storage(Spool.Limits.DEFAULTS);
    first.audit().append(all.subList(0, 4));
    first.close();
    try (SqliteSpool spool = SqliteSpool.open(dir, Spool.Limits.DEFAULTS)) {
      spool.records().append(all.stream().map(SpoolingAuditStore::encode).toList());
    }

    RedisStorage again = storage(Spool.Limits.DEFAULTS);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> auditSpool(again).get("depth").equals(0L));

    assertThat(again.audit().chain("node-a", 0, 1000)).containsExactlyElementsOf(all);
    assertThat(auditSpool(again)).containsEntry("replayed", 10L);
  }

  @Test
  void aSpooledSendKeepsItsAttachmentsAndEveryBlobCountsAsReferencedWhileItIsSpooled() {
    RedisStorage s = storage(Spool.Limits.DEFAULTS);
    agents(s, ALICE, BOB, CAROL);
    Attachment file =
        new Attachment(BlobId.random(), "report.pdf", "application/pdf", 1_234, "ab".repeat(32));
    BlobId other = BlobId.random();
    redis.kill();

    Draft draft = text(SendMode.DIRECT, "bob", "see the report");
    Draft attached =
        new Draft(
            draft.mode(),
            draft.target(),
            draft.contentType(),
            draft.language(),
            draft.payload(),
            draft.priority(),
            draft.tags(),
            draft.metadata(),
            draft.ttl(),
            draft.threadId(),
            draft.inReplyTo(),
            draft.idempotencyKey(),
            List.of(AttachmentRef.of(file.blob())));
    SendResult spooled =
        s.messages()
            .send(new OutgoingMessage(ALICE, attached, Duration.ofDays(1), List.of(file)), toBob());

    assertThat(spooled).isInstanceOf(SendResult.Spooled.class);
    assertThat(s.messages().referenced(Set.of(file.blob(), other)))
        .containsExactlyInAnyOrder(file.blob(), other);
    redis.restart();
    awaitEmptySpool(s);
    assertThat(s.messages().find(spooled.id()).orElseThrow().attachments()).containsExactly(file);
    assertThat(s.messages().referenced(Set.of(file.blob(), other))).containsExactly(file.blob());
  }

  // ---- helpers

  private static void agents(RedisStorage s, AgentId... ids) {
    for (AgentId id : ids) {
      s.agents()
          .create(new AgentRecord(id, Set.of(Role.AGENT), Instant.now()), "hash-" + id.value());
    }
  }

  private static Draft text(SendMode mode, String target, String text) {
    return Draft.text(mode, Optional.of(MailboxName.of(target)), text);
  }

  private static Draft keyed(String key, String text) {
    return text(SendMode.DIRECT, "bob", text).withIdempotencyKey(key);
  }

  private static Route toBob() {
    return new Route.ToMailbox(MailboxName.of("bob"), MailboxKind.AGENT);
  }

  private static SendResult send(RedisStorage s, Draft draft, Route route) {
    return s.messages().send(new OutgoingMessage(ALICE, draft, Duration.ofDays(1)), route);
  }

  private static SendResult direct(RedisStorage s, int i) {
    return send(s, text(SendMode.DIRECT, "bob", "direct " + i), toBob());
  }

  private static SendResult topic(RedisStorage s, int i) {
    return send(
        s,
        text(SendMode.TOPIC, "news", "topic " + i),
        new Route.ToMailbox(
            NEWS,
            MailboxKind.TOPIC,
            List.of(
                new Recipient(BOB, SubscriptionId.of("sub-bob"), true, 1000),
                new Recipient(CAROL, SubscriptionId.of("sub-carol"), true, 1000))));
  }

  private static MessageId accepted(SendResult r) {
    assertThat(r).isInstanceOf(SendResult.Accepted.class);
    return r.id();
  }

  /** Records {@code from} to {@code to} (exclusive) of the chain {@code node-a}. */
  private static List<AuditRecord> auditRecords(int from, int to) {
    List<AuditRecord> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(
          new AuditRecord(
              "node-a",
              i,
              Instant.parse("2026-12-06T10:00:00Z").plusSeconds(i),
              "req-" + i,
              "alice",
              "POST /v1/messages",
              "bob",
              201,
              AuditOutcome.of(201),
              i % 7 == 0 ? "a note, \u00e9" : "",
              "%064x".formatted(i),
              "%064x".formatted(i + 1)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> auditSpool(RedisStorage s) {
    return (Map<String, Object>) s.health().details().get("audit_spool");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spool(RedisStorage s) {
    return (Map<String, Object>) s.health().details().get("spool");
  }

  private static SpoolingMessageStore spooling(RedisStorage s) {
    return (SpoolingMessageStore) s.messages();
  }

  private static void awaitEmptySpool(RedisStorage s) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> spooling(s).stats().isEmpty());
  }

  private static List<MessageId> ids(RedisStorage s, AgentId agent) {
    return ids(s, MailboxName.of(agent.value()));
  }

  private static List<MessageId> ids(RedisStorage s, MailboxName box) {
    return s
        .messages()
        .query(new MessageQuery(box, BOB, MessageFilter.NONE, Optional.empty(), Order.ASC, 1000))
        .items()
        .stream()
        .map(e -> e.message().id())
        .toList();
  }

  private static List<MessageId> pending(RedisStorage s, AgentId agent) {
    return s.deliveries().pending(agent, Optional.empty(), 1000).stream()
        .map(Delivery::message)
        .map(m -> m.id())
        .toList();
  }

  private static List<MessageId> concat(List<MessageId> a, List<MessageId> b) {
    List<MessageId> all = new ArrayList<>(a);
    all.addAll(b);
    return all.stream().sorted().toList();
  }
}
