package dev.mailroom.server;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Paging of a listing by name or id ({@code GET /v1/subscriptions}, {@code GET /v1/topics}): the
 * {@code limit} and {@code cursor} of a request, and the page cut from what was fetched for it.
 */
final class NamedPaging {
  private NamedPaging() {}

  /** What a request asks for: at most {@code limit} items after {@code after}, if given. */
  record Request<P>(int limit, Optional<P> after) {}

  /** A page: its items, and the cursor of the next page if more follow. */
  record Page<T>(List<T> items, Optional<String> next) {}

  /**
   * Reads {@code limit} and {@code cursor} (a cursor of {@code listing}, whose position {@code
   * position} checks); their errors go to the query's {@link dev.mailroom.core.FieldErrors}.
   */
  static <P> Request<P> request(
      QueryParameters q, HttpLimits http, CursorCodec.Named listing, Function<String, P> position) {
    int limit = q.limit(http);
    Optional<P> after =
        q.single(CursorCodec.FIELD, c -> position.apply(CursorCodec.decodeAfter(listing, c)));
    return new Request<>(limit, after);
  }

  /**
   * The page of {@code fetched}, which holds up to {@code limit + 1} items in listing order: the
   * first {@code limit}, and a cursor after the last of them when there was one more.
   */
  static <T> Page<T> cut(
      List<T> fetched, int limit, CursorCodec.Named listing, Function<T, String> position) {
    if (fetched.size() <= limit) {
      return new Page<>(fetched, Optional.empty());
    }
    List<T> items = fetched.subList(0, limit);
    return new Page<>(
        items, Optional.of(CursorCodec.encodeAfter(listing, position.apply(items.getLast()))));
  }
}
