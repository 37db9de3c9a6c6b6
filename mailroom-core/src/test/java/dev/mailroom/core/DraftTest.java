package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DraftTest {
  private static final Optional<MailboxName> TEAM = Optional.of(MailboxName.of("team"));

  private static Draft draft(
      SendMode mode, Optional<MailboxName> target, ContentType type, Optional<String> language) {
    return new Draft(
        mode,
        target,
        type,
        language,
        Payload.ofText("x"),
        Priority.NORMAL,
        List.of(),
        "{}",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  private static void assertRefusedField(Runnable r, String field) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
  }

  @Test
  void broadcastHasNoTarget() {
    assertThat(
            draft(SendMode.BROADCAST, Optional.empty(), ContentType.TEXT_PLAIN, Optional.empty())
                .target())
        .isEmpty();
    assertRefusedField(
        () -> draft(SendMode.BROADCAST, TEAM, ContentType.TEXT_PLAIN, Optional.empty()), "target");
  }

  @Test
  void directAndTopicNeedATarget() {
    assertRefusedField(
        () -> draft(SendMode.DIRECT, Optional.empty(), ContentType.TEXT_PLAIN, Optional.empty()),
        "target");
    assertRefusedField(
        () -> draft(SendMode.TOPIC, Optional.empty(), ContentType.TEXT_PLAIN, Optional.empty()),
        "target");
  }

  @Test
  void codeNeedsALanguage() {
    assertThat(draft(SendMode.DIRECT, TEAM, ContentType.TEXT_CODE, Optional.of("go")).language())
        .contains("go");
    assertRefusedField(
        () -> draft(SendMode.DIRECT, TEAM, ContentType.TEXT_CODE, Optional.empty()), "language");
  }

  @Test
  void onlyCodeHasALanguage() {
    assertRefusedField(
        () -> draft(SendMode.DIRECT, TEAM, ContentType.TEXT_MARKDOWN, Optional.of("go")),
        "language");
  }

  @Test
  void tagsAreCopied() {
    List<Tag> tags = new ArrayList<>(List.of(Tag.of("a")));
    Draft d =
        new Draft(
            SendMode.DIRECT,
            TEAM,
            ContentType.TEXT_PLAIN,
            Optional.empty(),
            Payload.ofText("x"),
            Priority.NORMAL,
            tags,
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    tags.add(Tag.of("b"));

    assertThat(d.tags()).containsExactly(Tag.of("a"));
    assertThatThrownBy(() -> d.tags().add(Tag.of("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withThreadIdChangesOnlyTheThread() {
    Draft d =
        new Draft(
            SendMode.TOPIC,
            Optional.of(MailboxName.of("ai.news")),
            ContentType.TEXT_CODE,
            Optional.of("py"),
            Payload.ofText("print()"),
            Priority.HIGH,
            List.of(Tag.of("t")),
            "{\"a\":1}",
            Optional.of(Duration.ofHours(1)),
            Optional.empty(),
            Optional.of(MessageId.of(9)),
            Optional.of("key"));

    Draft threaded = d.withThreadId(ThreadId.of("th"));

    assertThat(threaded.threadId()).contains(ThreadId.of("th"));
    assertThat(threaded.withThreadId(ThreadId.of("other")).threadId())
        .contains(ThreadId.of("other"));
    assertThat(
            new Draft(
                threaded.mode(),
                threaded.target(),
                threaded.contentType(),
                threaded.language(),
                threaded.payload(),
                threaded.priority(),
                threaded.tags(),
                threaded.metadata(),
                threaded.ttl(),
                Optional.empty(),
                threaded.inReplyTo(),
                threaded.idempotencyKey()))
        .isEqualTo(d);
  }

  @Test
  void textDraftHasDefaults() {
    Draft d = Draft.text(SendMode.DIRECT, TEAM, "hello");

    assertThat(d.contentType()).isEqualTo(ContentType.TEXT_PLAIN);
    assertThat(d.payload().text()).isEqualTo("hello");
    assertThat(d.priority()).isEqualTo(Priority.NORMAL);
    assertThat(d.metadata()).isEqualTo("{}");
    assertThat(d.tags()).isEmpty();
    assertThat(d.ttl()).isEmpty();
  }

  @Test
  void outgoingMessageBecomesAMessageExpiringAfterItsTtl() {
    Draft d = Draft.text(SendMode.DIRECT, TEAM, "hello");
    OutgoingMessage out = new OutgoingMessage(AgentId.of("alice"), d, Duration.ofMinutes(5));
    MessageId id = MessageId.of(Instant.parse("2026-01-01T00:00:00Z"), 3);

    Message m = out.toMessage(id, 2);

    assertThat(m.id()).isEqualTo(id);
    assertThat(m.sender()).isEqualTo(AgentId.of("alice"));
    assertThat(m.timestamp()).isEqualTo(id.timestamp());
    assertThat(m.expiresAt()).isEqualTo(id.timestamp().plus(Duration.ofMinutes(5)));
    assertThat(m.recipients()).isEqualTo(2);
    assertThat(m.target()).isEqualTo(TEAM);
    assertThat(m.isExpiredAt(m.expiresAt().minusMillis(1))).isFalse();
    assertThat(m.isExpiredAt(m.expiresAt())).isTrue();
  }

  @Test
  void outgoingMessageNeedsAPositiveTtl() {
    Draft d = Draft.text(SendMode.DIRECT, TEAM, "hello");

    assertThatThrownBy(() -> new OutgoingMessage(AgentId.of("a"), d, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutgoingMessage(AgentId.of("a"), d, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void payloadIsImmutableAndComparedByContent() {
    byte[] bytes = {1, 2, 3};
    Payload p = Payload.of(bytes);
    bytes[0] = 9;
    p.bytes()[1] = 9;

    assertThat(p.bytes()).containsExactly(1, 2, 3);
    assertThat(p)
        .isEqualTo(Payload.of(new byte[] {1, 2, 3}))
        .hasSameHashCodeAs(Payload.of(new byte[] {1, 2, 3}));
    assertThat(Payload.ofText("é").size()).isEqualTo(2);
    assertThat(Payload.ofText("é").text()).isEqualTo("é");
  }
}
