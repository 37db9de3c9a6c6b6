package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of the live reservations ({@code GET /v1/reservations}), by id.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record ReservationList(
    List<ReservationView> reservations,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public ReservationList {
    reservations = List.copyOf(reservations);
  }
}
