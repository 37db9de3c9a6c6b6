package dev.mailroom.core.receipt;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * That a message reached one agent in a way a receipt shows: handed to it ({@link Kind#DELIVERED})
 * or acknowledged by it ({@link Kind#ACKNOWLEDGED}), at {@code at}. A store keeps the first time of
 * each kind and removes the mark with the message, at {@code expiresAt}.
 */
public record ReceiptMark(
    MessageId message, AgentId agent, Kind kind, Instant at, Instant expiresAt) {

  public ReceiptMark {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** What happened. */
  public enum Kind {
    DELIVERED,
    ACKNOWLEDGED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
