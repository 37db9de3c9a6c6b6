package dev.mailroom.core;

import java.util.Locale;

/** The order of a listing, by message id (which is time order). */
public enum Order {
  ASC,
  DESC;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code asc} or {@code desc}.
   *
   * @throws MailroomException.InvalidRequest otherwise
   */
  public static Order parse(String text) {
    return switch (text) {
      case "asc" -> ASC;
      case "desc" -> DESC;
      default ->
          throw MailroomException.InvalidRequest.field(
              "order", "'" + Names.abbreviate(text) + "' is not one of asc, desc");
    };
  }
}
