package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of dead letters ({@code GET /v1/dlq}).
 *
 * @param nextAfterId pass as {@code after_id} for the next page; absent on the last page
 * @param skipped dead letters of this page whose message the client could not decode and left out
 *     of {@code deadLetters}; filled in by the client (see {@link SkippedMessage}), never sent by a
 *     server, and left out of the JSON when empty
 */
public record DeadLetterList(
    List<DeadLetterView> deadLetters,
    Optional<String> nextAfterId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SkippedMessage> skipped) {
  public DeadLetterList {
    deadLetters = List.copyOf(deadLetters);
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  /** A page as a server sends it: nothing skipped. */
  public DeadLetterList(List<DeadLetterView> deadLetters, Optional<String> nextAfterId) {
    this(deadLetters, nextAfterId, List.of());
  }
}
