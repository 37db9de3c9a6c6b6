package dev.mailroom.server;

import java.util.Locale;

/**
 * How the {@code mailroom serve} command writes its console log ({@code mailroom.log.format}):
 * lines of text for people, or one JSON object per line for log collectors. The server itself never
 * changes the logging setup of the process it runs in; the command applies this setting to its own
 * console appender, and an application that embeds the server configures its logging itself.
 */
public enum LogFormat {
  /** {@code 12:00:00.123 INFO [thread] logger - message}, one event per line. */
  TEXT,
  /** One JSON object per line: timestamp, level, thread, logger, message, and a throwable. */
  JSON;

  /**
   * The format of a setting's value, {@code text} or {@code json} in any case.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static LogFormat parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("must be text or json, not '" + value + "'");
    };
  }

  /** The setting's value of this format: {@code text} or {@code json}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
