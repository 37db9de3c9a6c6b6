package dev.mailroom.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A message on its way into a store: a {@link Draft} with its sender and its resolved time to live.
 * The store assigns the id (and with it the timestamp).
 */
public record OutgoingMessage(AgentId sender, Draft draft, Duration ttl) {
  public OutgoingMessage {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(draft, "draft");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
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
        recipients);
  }
}
