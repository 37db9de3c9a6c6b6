package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts the query parameters of a listing ({@code GET /v1/inbox}, {@code GET
 * /v1/mailboxes/{name}/messages}) into a core {@link Listing}, reporting every bad parameter at
 * once, each under its own name.
 */
final class ListingParser {
  static final Set<String> PARAMETERS =
      Set.of(
          "since",
          "until",
          "after_id",
          "before_id",
          "sender",
          "min_priority",
          "content_type",
          "tag",
          "unread",
          "thread_id",
          "max_age_seconds",
          "limit",
          "cursor",
          "order");

  /** The earliest and latest instants a time filter may name. */
  static final Instant MIN_INSTANT = Instant.parse("0000-01-01T00:00:00Z");

  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** The longest {@code max_age_seconds}: a thousand years. */
  static final long MAX_AGE_SECONDS = 1000L * 366 * 24 * 3600;

  private ListingParser() {}

  /**
   * Parses query parameters.
   *
   * @throws MailroomException.InvalidRequest naming every unknown or invalid parameter
   */
  static Listing parse(Map<String, List<String>> query) {
    return parse(query, new FieldErrors());
  }

  /**
   * Parses query parameters, adding their errors to those already in {@code errors}.
   *
   * @throws MailroomException.InvalidRequest naming every error in {@code errors}, if any
   */
  static Listing parse(Map<String, List<String>> query, FieldErrors errors) {
    return parse(query, errors, HttpLimits.DEFAULTS);
  }

  /**
   * Parses query parameters, adding their errors to those already in {@code errors}, with the page
   * sizes of {@code http}.
   *
   * @throws MailroomException.InvalidRequest naming every error in {@code errors}, if any
   */
  static Listing parse(Map<String, List<String>> query, FieldErrors errors, HttpLimits http) {
    QueryParameters p = new QueryParameters(query, errors).allow(PARAMETERS);

    Optional<Instant> since = p.single("since", ListingParser::instant);
    Optional<Instant> until = p.single("until", ListingParser::instant);
    Optional<MessageId> afterId = p.single("after_id", MessageId::parse);
    Optional<MessageId> beforeId = p.single("before_id", MessageId::parse);
    Optional<AgentId> sender = p.single("sender", AgentId::of);
    Optional<Priority> minPriority = p.single("min_priority", Priority::parse);
    Optional<ContentType> contentType = p.single("content_type", ContentType::parse);
    Set<Tag> tags = new LinkedHashSet<>();
    for (String value : query.getOrDefault("tag", List.of())) {
      errors.capture("tag", () -> Tag.of(value)).ifPresent(tags::add);
    }
    Optional<Boolean> unread = p.single("unread", ListingParser::bool);
    Optional<ThreadId> thread = p.single("thread_id", ThreadId::of);
    Optional<Duration> maxAge =
        p.single("max_age_seconds", s -> Duration.ofSeconds(number(s, 1, MAX_AGE_SECONDS)));
    int limit = p.limit(http);
    Order order = p.single("order", Order::parse).orElse(Order.ASC);
    Optional<CursorCodec.Cursor> cursor = p.single("cursor", CursorCodec::decode);
    sameOrder(cursor.map(CursorCodec.Cursor::order), order, errors);

    errors.throwIfAny();
    MessageFilter filter =
        new MessageFilter(
            since,
            until,
            afterId,
            beforeId,
            sender,
            minPriority,
            contentType,
            tags,
            unread,
            thread);
    return new Listing(filter, maxAge, cursor.map(CursorCodec.Cursor::position), order, limit);
  }

  /** Refuses a cursor issued for the other order: it would continue from the wrong side. */
  static void sameOrder(Optional<Order> cursorOrder, Order order, FieldErrors errors) {
    if (cursorOrder.isPresent() && cursorOrder.get() != order) {
      errors.add(
          CursorCodec.FIELD,
          "was issued for order "
              + cursorOrder.get().wireName()
              + " but this request asks for order "
              + order.wireName());
    }
  }

  static Instant instant(String text) {
    Instant t;
    try {
      t = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + abbreviate(text) + "' is not an ISO-8601 instant such as 2025-01-31T12:00:00Z");
    }
    if (t.isBefore(MIN_INSTANT) || t.isAfter(MAX_INSTANT)) {
      throw new IllegalArgumentException("must lie between the years 0000 and 9999");
    }
    return t;
  }

  static boolean bool(String text) {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  static long number(String text, long min, long max) {
    long n;
    try {
      n = Long.parseLong(text);
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("must be a whole number between " + min + " and " + max);
    }
    return n;
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
