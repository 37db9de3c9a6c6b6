package dev.mailroom.core.receipt;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of a message at one recipient, with the time of each step it reached.
 *
 * @param agent the recipient
 * @param queuedAt when the message was stored (its id's time)
 * @param deliveredAt when it was first handed to the agent, if recorded
 * @param readAt when the agent first marked it read
 * @param acknowledgedAt when the agent first acknowledged it
 * @param repliedAt when the agent's first message in the message's thread was sent
 * @param reply that first message
 */
public record Receipt(
    AgentId agent,
    Instant queuedAt,
    Optional<Instant> deliveredAt,
    Optional<Instant> readAt,
    Optional<Instant> acknowledgedAt,
    Optional<Instant> repliedAt,
    Optional<MessageId> reply) {

  public Receipt {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(queuedAt, "queuedAt");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    Objects.requireNonNull(readAt, "readAt");
    Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
    Objects.requireNonNull(repliedAt, "repliedAt");
    Objects.requireNonNull(reply, "reply");
  }

  /** The steps of a receipt, each further than the one before. */
  public enum Step {
    QUEUED,
    DELIVERED,
    READ,
    ACKNOWLEDGED,
    REPLIED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The furthest step reached. */
  public Step step() {
    if (repliedAt.isPresent()) {
      return Step.REPLIED;
    }
    if (acknowledgedAt.isPresent()) {
      return Step.ACKNOWLEDGED;
    }
    if (readAt.isPresent()) {
      return Step.READ;
    }
    return deliveredAt.isPresent() ? Step.DELIVERED : Step.QUEUED;
  }
}
