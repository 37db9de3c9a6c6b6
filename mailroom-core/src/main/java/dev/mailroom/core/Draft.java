package dev.mailroom.core;

import dev.mailroom.core.blob.AttachmentRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sender asks to send, already validated field by field. The sender is not part of it: the
 * service takes the sender from the authenticated caller.
 *
 * @param mode how the message is addressed
 * @param target the mailbox or topic; empty exactly for {@link SendMode#BROADCAST}
 * @param contentType the payload's type
 * @param language the programming language, present exactly for {@link ContentType#TEXT_CODE}
 * @param payload the body as stored
 * @param priority the priority
 * @param tags distinct tags, in the sender's order
 * @param metadata a JSON object, as compact text ({@code {}} when none)
 * @param ttl how long the message lives; empty for the configured default
 * @param threadId the conversation thread, if any
 * @param inReplyTo the message this one answers, if any
 * @param idempotencyKey the sender's dedupe key, if any
 * @param attachments the sender's blobs it carries, resolved to {@link
 *     dev.mailroom.core.blob.Attachment}s when sent
 * @param ackRequired whether the sender asks the recipient to acknowledge it (an acknowledgement or
 *     a reply then meets the message's obligation)
 * @param replyBy the deadline of the message's obligation: a reply (or, with {@code ackRequired},
 *     an acknowledgement) is owed by then; see {@link dev.mailroom.core.receipt.Obligation}
 */
public record Draft(
    SendMode mode,
    Optional<MailboxName> target,
    ContentType contentType,
    Optional<String> language,
    Payload payload,
    Priority priority,
    List<Tag> tags,
    String metadata,
    Optional<Duration> ttl,
    Optional<ThreadId> threadId,
    Optional<MessageId> inReplyTo,
    Optional<String> idempotencyKey,
    List<AttachmentRef> attachments,
    boolean ackRequired,
    Optional<Instant> replyBy) {

  public Draft {
    Objects.requireNonNull(replyBy, "replyBy");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(metadata, "metadata");
    tags = List.copyOf(tags);
    attachments = List.copyOf(attachments);
    if ((mode == SendMode.BROADCAST) != target.isEmpty()) {
      throw MailroomException.InvalidRequest.field(
          "target",
          mode == SendMode.BROADCAST
              ? "must be null for a broadcast"
              : "is required for " + mode.wireName());
    }
    if ((contentType == ContentType.TEXT_CODE) != language.isPresent()) {
      throw MailroomException.InvalidRequest.field(
          "language",
          contentType == ContentType.TEXT_CODE
              ? "is required for text/code"
              : "is only allowed with text/code");
    }
  }

  /** A draft that asks for no acknowledgement and no reply. */
  public Draft(
      SendMode mode,
      Optional<MailboxName> target,
      ContentType contentType,
      Optional<String> language,
      Payload payload,
      Priority priority,
      List<Tag> tags,
      String metadata,
      Optional<Duration> ttl,
      Optional<ThreadId> threadId,
      Optional<MessageId> inReplyTo,
      Optional<String> idempotencyKey,
      List<AttachmentRef> attachments) {
    this(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttl,
        threadId,
        inReplyTo,
        idempotencyKey,
        attachments,
        false,
        Optional.empty());
  }

  /** A draft without attachments. */
  public Draft(
      SendMode mode,
      Optional<MailboxName> target,
      ContentType contentType,
      Optional<String> language,
      Payload payload,
      Priority priority,
      List<Tag> tags,
      String metadata,
      Optional<Duration> ttl,
      Optional<ThreadId> threadId,
      Optional<MessageId> inReplyTo,
      Optional<String> idempotencyKey) {
    this(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttl,
        threadId,
        inReplyTo,
        idempotencyKey,
        List.of());
  }

  /** This draft in another thread. */
  public Draft withThreadId(ThreadId thread) {
    return new Draft(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttl,
        Optional.of(thread),
        inReplyTo,
        idempotencyKey,
        attachments,
        ackRequired,
        replyBy);
  }

  /** This draft with other metadata (a JSON object, as compact text). */
  public Draft withMetadata(String metadata) {
    return new Draft(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttl,
        threadId,
        inReplyTo,
        idempotencyKey,
        attachments,
        ackRequired,
        replyBy);
  }

  /** This draft with an idempotency key. */
  public Draft withIdempotencyKey(String key) {
    return new Draft(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttl,
        threadId,
        inReplyTo,
        Optional.of(key),
        attachments,
        ackRequired,
        replyBy);
  }

  /**
   * This draft with an obligation: an acknowledgement asked for, a deadline for the reply, or both.
   */
  public Draft withObligation(boolean ackRequired, Optional<Instant> replyBy) {
    return new Draft(
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        ttl,
        threadId,
        inReplyTo,
        idempotencyKey,
        attachments,
        ackRequired,
        replyBy);
  }

  /** Whether the sender asks for an acknowledgement or a reply by a deadline. */
  public boolean hasObligation() {
    return ackRequired || replyBy.isPresent();
  }

  /** A plain-text direct message with defaults everywhere else; handy in tests and examples. */
  public static Draft text(SendMode mode, Optional<MailboxName> target, String text) {
    return new Draft(
        mode,
        target,
        ContentType.TEXT_PLAIN,
        Optional.empty(),
        Payload.ofText(text),
        Priority.NORMAL,
        List.of(),
        "{}",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
