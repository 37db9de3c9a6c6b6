package dev.mailroom.core;

import dev.mailroom.core.blob.Attachment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A message on its way into a store: a {@link Draft} with its sender, its resolved time to live and
 * its resolved attachments (one per reference of the draft, in order). The store assigns the id
 * (and with it the timestamp).
 */
public record OutgoingMessage(
    AgentId sender, Draft draft, Duration ttl, List<Attachment> attachments) {
  public OutgoingMessage {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(draft, "draft");
    attachments = List.copyOf(attachments);
    if (attachments.size() != draft.attachments().size()) {
      throw new IllegalArgumentException("one attachment per reference of the draft");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
  }

  /** A message without attachments. */
  public OutgoingMessage(AgentId sender, Draft draft, Duration ttl) {
    this(sender, draft, ttl, List.of());
  }

  /** The stored message once the store has chosen its id and counted its recipients. */
  public Message toMessage(MessageId id, int recipients) {
    return new Message(
        id,
        sender,
        draft.mode(),
        draft.target(),
        draft.contentType(),
        draft.language(),
        draft.payload(),
        draft.priority(),
        draft.tags(),
        draft.metadata(),
        id.timestamp().plus(ttl),
        draft.threadId(),
        draft.inReplyTo(),
        draft.idempotencyKey(),
        recipients,
        attachments);
  }
}
