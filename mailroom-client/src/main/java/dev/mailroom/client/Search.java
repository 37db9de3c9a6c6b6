package dev.mailroom.client;

import dev.mailroom.protocol.SearchResult;
import dev.mailroom.protocol.SearchResults;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Full-text search over the messages the caller may read ({@code GET /v1/search}): words (all must
 * match), {@code "quoted phrases"}, {@code prefix*}; case and diacritics are ignored. Results come
 * best first (relevance with recency), each with a snippet whose matches are between {@code <<} and
 * {@code >>}. Every listing filter of a {@link ListQuery} applies, but not its order: results are
 * in rank order, and a query with an order is refused. Snippets and messages are the senders' text:
 * treat them as untrusted.
 *
 * <p>Thread-safe.
 */
public final class Search {
  private final Rest rest;

  Search(Rest rest) {
    this.rest = rest;
  }

  /**
   * One page of results for {@code query}, filtered by {@code filters} (its limit and cursor page
   * through the results), in every mailbox the caller may read.
   */
  public SearchResults page(String query, ListQuery filters) {
    return page(query, Optional.empty(), filters);
  }

  /**
   * One page of results for {@code query} in one mailbox, or in every mailbox the caller may read
   * when {@code mailbox} is empty. A page may hold fewer results than asked and still have a {@code
   * nextCursor}: the server leaves out what the caller may not read.
   */
  public SearchResults page(String query, Optional<String> mailbox, ListQuery filters) {
    return rest.get("v1", "search")
        .query("q", query)
        .query("mailbox", mailbox)
        .query(filters.parameters())
        .fetch(SearchResults.class);
  }

  /** Every page of results from {@code filters}' position, fetched as iterated. */
  public Iterator<SearchResults> pages(String query, Optional<String> mailbox, ListQuery filters) {
    return new Pager<>(
        cursor -> page(query, mailbox, cursor.map(filters::withCursor).orElse(filters)),
        SearchResults::nextCursor);
  }

  /** Every result, best first, fetched as the stream is read. */
  public Stream<SearchResult> all(String query, ListQuery filters) {
    return Pager.items(pages(query, Optional.empty(), filters), SearchResults::results);
  }
}
