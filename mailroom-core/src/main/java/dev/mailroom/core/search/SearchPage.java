package dev.mailroom.core.search;

import java.util.List;
import java.util.Optional;

/**
 * One page of search results in rank order.
 *
 * @param hits the hits
 * @param next where the next page starts (exclusive), empty on the last page
 */
public record SearchPage(List<SearchHit> hits, Optional<SearchPosition> next) {
  public SearchPage {
    hits = List.copyOf(hits);
  }
}
