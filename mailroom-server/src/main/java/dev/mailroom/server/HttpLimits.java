package dev.mailroom.server;

import dev.mailroom.core.MessageQuery;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits on one HTTP request: how long its head and its body may take to arrive, and how many items
 * one page of a listing may hold. Streams are not cut by the deadlines: they apply to what the
 * client sends, and a stream's request is complete once its head has arrived.
 *
 * @param headerTimeout how long the request line and headers may take to arrive, counted from their
 *     first byte; a client still sending them then gets 408 and the connection is closed
 * @param bodyTimeout how long a request body may take to arrive, counted from when the server
 *     starts reading it; a client still sending it then gets 408
 * @param maxPageSize the largest {@code limit} every listing accepts, 1 to 1000
 */
public record HttpLimits(Duration headerTimeout, Duration bodyTimeout, int maxPageSize) {
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_PAGE_SIZE = MessageQuery.MAX_LIMIT;

  /** The page size of a listing that asks for none (or the maximum, when that is smaller). */
  public static final int DEFAULT_PAGE_SIZE = MessageQuery.DEFAULT_LIMIT;

  public static final HttpLimits DEFAULTS =
      new HttpLimits(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_PAGE_SIZE);

  public HttpLimits {
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(bodyTimeout, "bodyTimeout");
    if (headerTimeout.isNegative()
        || headerTimeout.isZero()
        || bodyTimeout.isNegative()
        || bodyTimeout.isZero()) {
      throw new IllegalArgumentException("the header and body timeouts must be positive");
    }
    if (maxPageSize < 1 || maxPageSize > MessageQuery.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "the largest page must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
  }

  /** The page size of a listing that asks for none. */
  public int defaultPageSize() {
    return Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  }

  /** These limits with other read deadlines. */
  public HttpLimits withTimeouts(Duration header, Duration body) {
    return new HttpLimits(header, body, maxPageSize);
  }

  /** These limits with another largest page. */
  public HttpLimits withMaxPageSize(int max) {
    return new HttpLimits(headerTimeout, bodyTimeout, max);
  }
}
