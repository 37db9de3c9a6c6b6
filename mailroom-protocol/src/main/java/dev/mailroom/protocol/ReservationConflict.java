package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The {@code 409} answer of {@code POST /v1/reservations}: an {@code application/problem+json}
 * document (see {@link Problem}) that also lists the live reservations of other agents the request
 * conflicts with, so the caller knows whom to ask and until when to wait.
 *
 * @param conflicts the conflicting reservations, at least one
 */
public record ReservationConflict(
    String type,
    String title,
    int status,
    String detail,
    Optional<String> requestId,
    List<ReservationView> conflicts) {
  public ReservationConflict {
    conflicts = List.copyOf(conflicts);
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
