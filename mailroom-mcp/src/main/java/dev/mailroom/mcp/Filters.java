package dev.mailroom.mcp;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.Priority;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The listing filters that several tools take, as arguments and as a {@link ListQuery}. */
final class Filters {
  static final int MAX_TAGS = 32;
  static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");

  private Filters() {}

  /** The filters on messages themselves: sender, priority, content type and tags. */
  static Schema message(Schema s) {
    return s.string("sender", "Only messages from this agent id.")
        .choice("min_priority", "Only messages of at least this priority.", PRIORITIES)
        .string("content_type", "Only messages of this content type, e.g. text/plain.")
        .strings("tags", "Only messages carrying every one of these tags.", MAX_TAGS);
  }

  /** {@link #message} and {@code after_id}. */
  static Schema basic(Schema s) {
    return message(s)
        .string("after_id", "Only messages with an id greater than this (newer than it).");
  }

  static ListQuery.Builder basic(Args args, ListQuery.Builder q) {
    args.string("sender").ifPresent(q::sender);
    args.choice("min_priority", Priority.class).ifPresent(q::minPriority);
    args.string("content_type").ifPresent(q::contentType);
    args.strings("tags").forEach(q::tag);
    args.string("after_id").ifPresent(q::afterId);
    return q;
  }

  /** An ISO-8601 instant, with or without an offset ({@code 2026-01-31T12:00:00Z}). */
  static Instant instant(String name, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new Args.BadArgument(name, "must be an ISO-8601 time such as 2026-01-31T12:00:00Z");
    }
  }
}
