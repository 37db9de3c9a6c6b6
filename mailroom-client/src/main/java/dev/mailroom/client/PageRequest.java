package dev.mailroom.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Which page of a listing without filters to fetch ({@code GET /v1/subscriptions}, {@code GET
 * /v1/topics}, {@code GET /v1/agents}, {@code GET /v1/roles}, {@code GET
 * /v1/messages/{id}/readers}): how many items at most, and after which page. The server checks the
 * values (a {@code limit} above its largest page, 1000 unless configured lower, is refused as
 * {@link MailroomClientException.Kind#BAD_REQUEST}).
 *
 * <pre>{@code
 * SubscriptionList page = client.subscriptions().list(PageRequest.of(100));
 * page.nextCursor().ifPresent(c -> client.subscriptions().list(PageRequest.of(100).withCursor(c)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PageRequest {
  private static final PageRequest FIRST = new PageRequest(OptionalInt.empty(), Optional.empty());

  private final OptionalInt limit;
  private final Optional<String> cursor;

  private PageRequest(OptionalInt limit, Optional<String> cursor) {
    this.limit = limit;
    this.cursor = cursor;
  }

  /** The first page, of the server's default size (50, or its largest page if smaller). */
  public static PageRequest first() {
    return FIRST;
  }

  /** The first page, of at most {@code limit} items (1 to 1000; the server checks it). */
  public static PageRequest of(int limit) {
    return new PageRequest(OptionalInt.of(limit), Optional.empty());
  }

  /** This request for the page after the one that answered {@code nextCursor}. */
  public PageRequest withCursor(String nextCursor) {
    return new PageRequest(limit, Optional.of(Objects.requireNonNull(nextCursor, "nextCursor")));
  }

  /** The page size asked for; empty for the server's default. */
  public OptionalInt limit() {
    return limit;
  }

  /** The {@code next_cursor} of the page before; empty for the first page. */
  public Optional<String> cursor() {
    return cursor;
  }

  /** The query parameters. */
  List<Map.Entry<String, String>> parameters() {
    QueryString q = QueryString.EMPTY;
    if (limit.isPresent()) {
      q = q.with("limit", Integer.toString(limit.getAsInt()));
    }
    if (cursor.isPresent()) {
      q = q.with("cursor", cursor.get());
    }
    return q.entries();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PageRequest p && limit.equals(p.limit) && cursor.equals(p.cursor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limit, cursor);
  }

  @Override
  public String toString() {
    return "PageRequest" + parameters();
  }
}
