package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.AttachmentRef;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A message to send in a test, with a default for every field: plain text to a shared mailbox,
 * normal priority, no tags, seven days to live. Not thread-safe; build one per send.
 */
final class TestMessage {
  private final AgentId sender;
  private SendMode mode = SendMode.DIRECT;
  private Optional<MailboxName> target = Optional.of(MailboxName.of("shared"));
  private MailboxKind kind = MailboxKind.SHARED;
  private ContentType contentType = ContentType.TEXT_PLAIN;
  private Optional<String> language = Optional.empty();
  private Payload payload = Payload.ofText("hello");
  private Priority priority = Priority.NORMAL;
  private List<Tag> tags = List.of();
  private String metadata = "{}";
  private Duration ttl = Duration.ofDays(7);
  private Optional<ThreadId> threadId = Optional.empty();
  private Optional<MessageId> inReplyTo = Optional.empty();
  private Optional<String> idempotencyKey = Optional.empty();
  private List<Recipient> subscribers = List.of();
  private List<Attachment> attachments = List.of();

  private TestMessage(AgentId sender) {
    this.sender = sender;
  }

  static TestMessage from(String sender) {
    return new TestMessage(AgentId.of(sender));
  }

  static TestMessage from(AgentId sender) {
    return new TestMessage(sender);
  }

  /** Direct to a shared mailbox. */
  TestMessage to(String mailbox) {
    return addressed(SendMode.DIRECT, mailbox, MailboxKind.SHARED);
  }

  /** Direct to an agent's personal mailbox. */
  TestMessage toAgent(String agent) {
    return addressed(SendMode.DIRECT, agent, MailboxKind.AGENT);
  }

  TestMessage toAgent(AgentId agent) {
    return toAgent(agent.value());
  }

  TestMessage onTopic(String topic) {
    return addressed(SendMode.TOPIC, topic, MailboxKind.TOPIC);
  }

  /** Direct to {@code mailbox}, asking the store for a mailbox of {@code kind}. */
  TestMessage addressed(SendMode mode, String mailbox, MailboxKind kind) {
    this.mode = mode;
    this.target = Optional.of(MailboxName.of(mailbox));
    this.kind = kind;
    return this;
  }

  TestMessage broadcast() {
    this.mode = SendMode.BROADCAST;
    this.target = Optional.empty();
    return this;
  }

  TestMessage text(String text) {
    return content(ContentType.TEXT_PLAIN, Payload.ofText(text));
  }

  TestMessage content(ContentType type, Payload body) {
    this.contentType = type;
    this.payload = body;
    this.language = type == ContentType.TEXT_CODE ? Optional.of("java") : Optional.empty();
    return this;
  }

  TestMessage code(String lang, String source) {
    content(ContentType.TEXT_CODE, Payload.ofText(source));
    this.language = Optional.of(lang);
    return this;
  }

  TestMessage priority(Priority p) {
    this.priority = p;
    return this;
  }

  TestMessage tags(String... values) {
    this.tags = Arrays.stream(values).map(Tag::of).toList();
    return this;
  }

  TestMessage metadata(String json) {
    this.metadata = json;
    return this;
  }

  TestMessage ttl(Duration d) {
    this.ttl = d;
    return this;
  }

  TestMessage thread(String thread) {
    this.threadId = Optional.of(ThreadId.of(thread));
    return this;
  }

  TestMessage inReplyTo(MessageId parent) {
    this.inReplyTo = Optional.of(parent);
    return this;
  }

  TestMessage key(String key) {
    this.idempotencyKey = Optional.of(key);
    return this;
  }

  /** Files the message carries (as if its sender had attached its uploads). */
  TestMessage attachments(Attachment... files) {
    this.attachments = List.of(files);
    return this;
  }

  /** The agents a send to a shared mailbox or topic reaches through their subscriptions. */
  TestMessage subscribers(Recipient... recipients) {
    this.subscribers = List.of(recipients);
    return this;
  }

  AgentId sender() {
    return sender;
  }

  OutgoingMessage outgoing() {
    Draft draft =
        new Draft(
            mode,
            target,
            contentType,
            language,
            payload,
            priority,
            tags,
            metadata,
            Optional.of(ttl),
            threadId,
            inReplyTo,
            idempotencyKey,
            attachments.stream().map(a -> AttachmentRef.of(a.blob())).toList());
    return new OutgoingMessage(sender, draft, ttl, attachments);
  }

  Route route() {
    return mode == SendMode.BROADCAST
        ? new Route.ToAllAgents(sender)
        : new Route.ToMailbox(target.orElseThrow(), kind, subscribers);
  }
}
