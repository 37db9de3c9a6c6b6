package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of obligations ({@code GET /v1/obligations}), newest message first.
 *
 * @param obligations the page
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record ObligationList(
    List<ObligationView> obligations,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public ObligationList {
    obligations = List.copyOf(obligations);
  }
}
