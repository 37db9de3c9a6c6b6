package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.AttachmentRef;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every record the Redis store keeps comes back exactly as it was written. */
class CodecTest {
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123Z");

  @Test
  void idsAreSixteenHexDigitsThatSortLikeTheIds() {
    MessageId small = MessageId.of(AT, 1);
    MessageId large = MessageId.of(AT.plusMillis(1), 0);

    assertThat(Codec.hex(small)).hasSize(16).isLessThan(Codec.hex(large));
    assertThat(Codec.id(Codec.hex(large))).isEqualTo(large);
  }

  @Test
  void aMessageWithEveryFieldSetComesBackWithTheIdExpiryAndRecipientsTheScriptWrote() {
    Draft draft =
        new Draft(
            SendMode.TOPIC,
            Optional.of(MailboxName.of("ai.models")),
            ContentType.TEXT_CODE,
            Optional.of("java"),
            Payload.of(new byte[] {0, 1, (byte) 0xff, ':', '\n'}),
            Priority.URGENT,
            List.of(Tag.of("b"), Tag.of("a")),
            "{\"k\":\"" + "é".repeat(40_000) + "\"}",
            Optional.empty(),
            Optional.of(ThreadId.of("t-1")),
            Optional.of(MessageId.of(AT, 7)),
            Optional.of("key:with:colons"));
    OutgoingMessage out = new OutgoingMessage(AgentId.of("alice"), draft, Duration.ofHours(2));
    MessageId id = MessageId.of(AT, 3);
    Message expected = out.toMessage(id, 42);

    byte[] stored =
        stored(42, expected.expiresAt(), Codec.draft(out.toMessage(MessageId.of(0), 0)));

    assertThat(Codec.message(id, stored)).isEqualTo(expected);
    assertThat(Codec.expiresAt(stored)).isEqualTo(expected.expiresAt().toEpochMilli());
  }

  @Test
  void aMessageWithNothingOptionalComesBack() {
    Draft draft =
        new Draft(
            SendMode.BROADCAST,
            Optional.empty(),
            ContentType.TEXT_PLAIN,
            Optional.empty(),
            Payload.ofText(""),
            Priority.LOW,
            List.of(),
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    OutgoingMessage out = new OutgoingMessage(AgentId.of("bob"), draft, Duration.ofSeconds(1));
    Message expected = out.toMessage(MessageId.of(AT, 0), 0);

    byte[] stored = stored(0, expected.expiresAt(), Codec.draft(expected));

    assertThat(Codec.message(expected.id(), stored)).isEqualTo(expected);
  }

  @Test
  void aMessageKeepsItsAttachmentsInOrder() {
    List<Attachment> files =
        List.of(
            new Attachment(BlobId.random(), "build.log", "text/plain", 12_345, "ab".repeat(32)),
            new Attachment(
                BlobId.random(), "ünïcode: name.diff", "text/x-diff", 0, "cd".repeat(32)));
    OutgoingMessage out = withAttachments(Draft.text(SendMode.DIRECT, bob(), "see files"), files);
    MessageId id = MessageId.of(AT, 5);
    Message expected = out.toMessage(id, 1);

    byte[] stored = stored(1, expected.expiresAt(), Codec.draft(out.toMessage(MessageId.of(0), 0)));

    assertThat(Codec.message(id, stored)).isEqualTo(expected);
    assertThat(Codec.message(id, stored).attachments()).containsExactlyElementsOf(files);
    assertThat(Codec.blobs(files)).isEqualTo(files.get(0).blob() + "," + files.get(1).blob());
    assertThat(Codec.blobs(List.of())).isEmpty();
  }

  @Test
  void aMessageStoredBeforeAttachmentsReadsWithNoneAndOneWithoutIsStoredAsThen() {
    OutgoingMessage out =
        new OutgoingMessage(
            AgentId.of("alice"),
            Draft.text(SendMode.DIRECT, bob(), "plain").withIdempotencyKey("k"),
            Duration.ofHours(1));
    Message expected = out.toMessage(MessageId.of(AT, 9), 1);
    byte[] legacy = LegacyRecords.draftBeforeAttachments(expected);

    assertThat(Codec.message(expected.id(), stored(1, expected.expiresAt(), legacy)))
        .isEqualTo(expected);
    assertThat(Codec.draft(expected)).isEqualTo(legacy);
  }

  @Test
  void aSpooledSendKeepsItsAttachments() {
    List<Attachment> files =
        List.of(new Attachment(BlobId.random(), "a.png", "image/png", 77, "ef".repeat(32)));
    OutgoingMessage out = withAttachments(Draft.text(SendMode.DIRECT, bob(), "spooled"), files);
    Route route = new Route.ToMailbox(MailboxName.of("bob"), MailboxKind.AGENT);

    Codec.SpooledSend back = Codec.unspooled(Codec.spooled(out, route));

    assertThat(back.message().attachments()).isEqualTo(files);
    assertThat(back.message().toMessage(MessageId.of(AT, 1), 1))
        .isEqualTo(out.toMessage(MessageId.of(AT, 1), 1));
    assertThat(back.route()).isEqualTo(route);
  }

  private static Optional<MailboxName> bob() {
    return Optional.of(MailboxName.of("bob"));
  }

  /** A send from alice carrying these files, as the sender named them. */
  private static OutgoingMessage withAttachments(Draft d, List<Attachment> files) {
    Draft draft =
        new Draft(
            d.mode(),
            d.target(),
            d.contentType(),
            d.language(),
            d.payload(),
            d.priority(),
            d.tags(),
            d.metadata(),
            d.ttl(),
            d.threadId(),
            d.inReplyTo(),
            d.idempotencyKey(),
            files.stream().map(f -> AttachmentRef.of(f.blob())).toList());
    return new OutgoingMessage(AgentId.of("alice"), draft, Duration.ofHours(1), files);
  }

  @Test
  void subscriptionsTopicConfigurationsAndAgentsComeBack() {
    Subscription sub =
        new Subscription(
            SubscriptionId.of("sub_abcdefghijklmnop"),
            AgentId.of("carol"),
            SubscriptionPattern.of("ai.**"),
            DeliveryMode.BATCH,
            MessageFilter.content(
                Optional.of(AgentId.of("dave")),
                Optional.of(Priority.HIGH),
                Optional.of(ContentType.APPLICATION_JSON),
                Set.of(Tag.of("x"), Tag.of("y"))),
            25,
            Duration.ofMillis(1500),
            300,
            true,
            AT);
    TopicConfig config =
        new TopicConfig(
            MailboxName.of("ai"),
            Optional.of("models and more"),
            Optional.of(Duration.ofDays(3)),
            OptionalInt.of(12),
            Optional.empty());
    AgentRecord agent = new AgentRecord(AgentId.of("erin"), Set.of(Role.ADMIN, Role.AGENT), AT);

    assertThat(Codec.subscription(Codec.subscription(sub))).isEqualTo(sub);
    assertThat(Codec.topicConfig(Codec.topicConfig(config))).isEqualTo(config);
    assertThat(Codec.topicConfig(Codec.topicConfig(TopicConfig.inheritAll(MailboxName.of("z")))))
        .isEqualTo(TopicConfig.inheritAll(MailboxName.of("z")));
    assertThat(Codec.agent(Codec.agent(agent))).isEqualTo(agent);
  }

  @Test
  void aRecordOfAnotherVersionIsRefusedNotMisread() {
    byte[] config = Codec.topicConfig(TopicConfig.inheritAll(MailboxName.of("x")));
    config[0] = 9;

    assertThatThrownBy(() -> Codec.topicConfig(config))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("record version 9, this Mailroom reads 1");
  }

  @Test
  void anAgentsTokenExpiryComesBack() {
    AgentRecord agent =
        new AgentRecord(
            AgentId.of("erin"), Set.of(Role.AGENT), AT, Optional.of(AT.plusSeconds(3600)));

    assertThat(Codec.agent(Codec.agent(agent))).isEqualTo(agent);
  }

  @Test
  void anAgentStoredBeforeTokenExpiryIsReadWithoutOne() {
    AgentRecord erin =
        new AgentRecord(AgentId.of("erin"), Set.of(Role.ADMIN, Role.of("night-shift")), AT);

    assertThat(Codec.agent(LegacyRecords.agentVersionOne(erin))).isEqualTo(erin);
  }

  @Test
  void anAgentRecordOfAnUnknownVersionIsRefused() {
    byte[] agent = Codec.agent(new AgentRecord(AgentId.of("x"), Set.of(), AT));
    agent[0] = 9;

    assertThatThrownBy(() -> Codec.agent(agent))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("agent record version 9, this Mailroom reads up to 3");
  }

  /** What the send script stores: {@code <recipients>:<expires-at-ms>:} and the draft. */
  private static byte[] stored(int recipients, Instant expiresAt, byte[] draft) {
    byte[] head =
        (recipients + ":" + expiresAt.toEpochMilli() + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + draft.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(draft, 0, all, head.length, draft.length);
    return all;
  }
}
