package dev.mailroom.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Pages of a listing, fetched one at a time as the iteration reaches them: the first without a
 * position, each later one from the position the previous page answered ({@code next_cursor}, or
 * {@code next_after_id}), until a page answers none. Not thread-safe.
 */
final class Pager<P> implements Iterator<P> {
  private final Function<Optional<String>, P> fetch;
  private final Function<P, Optional<String>> position;
  private Optional<String> next = Optional.empty();
  private boolean done;

  /**
   * @param fetch fetches the page at a position (empty: the first page)
   * @param position the position of the page after the given one; empty on the last page
   */
  Pager(Function<Optional<String>, P> fetch, Function<P, Optional<String>> position) {
    this.fetch = fetch;
    this.position = position;
  }

  @Override
  public boolean hasNext() {
    return !done;
  }

  @Override
  public P next() {
    if (done) {
      throw new NoSuchElementException("that was the last page");
    }
    P page = fetch.apply(next);
    next = position.apply(page);
    done = next.isEmpty();
    return page;
  }

  /** The items of every page, lazily, in order. */
  static <P, T> Stream<T> items(Iterator<P> pages, Function<P, List<T>> items) {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .flatMap(p -> items.apply(p).stream());
  }
}
