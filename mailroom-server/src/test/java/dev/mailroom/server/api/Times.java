package dev.mailroom.server.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reading the server's ISO-8601 timestamps, with or without an offset other than Z. */
final class Times {
  private Times() {}

  static Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }
}
