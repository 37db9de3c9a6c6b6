package dev.mailroom.core;

import dev.mailroom.core.blob.Attachment;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored message. Its creation time is the time in its {@link MessageId}.
 *
 * @param id unique, time-ordered
 * @param sender the authenticated agent that sent it
 * @param mode how it was addressed
 * @param target the mailbox or topic it was sent to; empty for a broadcast
 * @param contentType the payload's type
 * @param language the programming language of {@code text/code}
 * @param payload the body
 * @param priority the priority
 * @param tags distinct tags
 * @param metadata a JSON object as compact text
 * @param expiresAt when it stops being delivered and becomes eligible for removal
 * @param threadId the conversation thread, if any
 * @param inReplyTo the message it answers, if any
 * @param idempotencyKey the sender's dedupe key, if any
 * @param recipients how many recipients it reached (see {@link
 *     dev.mailroom.core.spi.Route#recipients})
 * @param attachments the files it carries, in the sender's order
 */
public record Message(
    MessageId id,
    AgentId sender,
    SendMode mode,
    Optional<MailboxName> target,
    ContentType contentType,
    Optional<String> language,
    Payload payload,
    Priority priority,
    List<Tag> tags,
    String metadata,
    Instant expiresAt,
    Optional<ThreadId> threadId,
    Optional<MessageId> inReplyTo,
    Optional<String> idempotencyKey,
    int recipients,
    List<Attachment> attachments) {

  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(expiresAt, "expiresAt");
    tags = List.copyOf(tags);
    attachments = List.copyOf(attachments);
  }

  /** A message without attachments. */
  public Message(
      MessageId id,
      AgentId sender,
      SendMode mode,
      Optional<MailboxName> target,
      ContentType contentType,
      Optional<String> language,
      Payload payload,
      Priority priority,
      List<Tag> tags,
      String metadata,
      Instant expiresAt,
      Optional<ThreadId> threadId,
      Optional<MessageId> inReplyTo,
      Optional<String> idempotencyKey,
      int recipients) {
    this(
        id,
        sender,
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        expiresAt,
        threadId,
        inReplyTo,
        idempotencyKey,
        recipients,
        List.of());
  }

  /** When the message was created. */
  public Instant timestamp() {
    return id.timestamp();
  }

  /** Whether it has expired at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
