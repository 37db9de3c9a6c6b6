package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of search results ({@code GET /v1/search}), the best first.
 *
 * @param results the hits, by rank then id, both descending
 * @param nextCursor pass as {@code cursor} (with the same {@code q} and filters) to get the next
 *     page; {@code null} on the last page
 */
public record SearchResults(
    List<SearchResult> results,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public SearchResults {
    results = List.copyOf(results);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }
}
