package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of the caller's threads ({@code GET /v1/threads}), the most recently active in its
 * mailbox first.
 *
 * @param threads their summaries
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record ThreadList(
    List<ThreadSummaryView> threads,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public ThreadList {
    threads = List.copyOf(threads);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }
}
