package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * A page of dead letters ({@code GET /v1/dlq}).
 *
 * @param nextAfterId pass as {@code after_id} for the next page; absent on the last page
 */
public record DeadLetterList(List<DeadLetterView> deadLetters, Optional<String> nextAfterId) {
  public DeadLetterList {
    deadLetters = List.copyOf(deadLetters);
  }
}
