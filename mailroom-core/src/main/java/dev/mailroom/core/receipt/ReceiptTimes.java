package dev.mailroom.core.receipt;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The marks one agent has for one message: the first time of each kind, when there is one. */
public record ReceiptTimes(
    AgentId agent, Optional<Instant> deliveredAt, Optional<Instant> acknowledgedAt) {
  public ReceiptTimes {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(deliveredAt, "deliveredAt");
    Objects.requireNonNull(acknowledgedAt, "acknowledgedAt");
  }
}
