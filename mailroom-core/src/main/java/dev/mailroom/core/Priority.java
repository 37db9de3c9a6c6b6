package dev.mailroom.core;

import java.util.Locale;

/**
 * A message's priority; the declaration order is the rank (low &lt; normal &lt; high &lt; urgent).
 */
public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  URGENT;

  /** The wire name: {@code low}, {@code normal}, {@code high} or {@code urgent}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws MailroomException.InvalidRequest if it names no priority
   */
  public static Priority parse(String text) {
    for (Priority p : values()) {
      if (p.wireName().equals(text)) {
        return p;
      }
    }
    throw MailroomException.InvalidRequest.field(
        "priority", "'" + Names.abbreviate(text) + "' is not one of low, normal, high, urgent");
  }
}
