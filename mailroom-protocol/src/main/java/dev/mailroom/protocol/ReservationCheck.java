package dev.mailroom.protocol;

import java.util.List;

/**
 * The answer of {@code POST /v1/reservations/check}.
 *
 * @param blocked the paths asked about that other agents hold exclusively, each with the
 *     reservations that hold it; empty when the caller may go ahead
 */
public record ReservationCheck(String project, List<Blocked> blocked) {
  public ReservationCheck {
    blocked = List.copyOf(blocked);
  }

  /** A path and the other agents' exclusive reservations that hold it. */
  public record Blocked(String path, List<ReservationView> heldBy) {
    public Blocked {
      heldBy = List.copyOf(heldBy);
    }
  }
}
