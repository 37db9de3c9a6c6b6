package dev.mailroom.client;

import java.util.Locale;

/** The order of a listing, by message id (which is time order). */
public enum Order {
  /** Oldest first (the default). */
  ASC,
  /** Newest first. */
  DESC;

  /** The name on the wire: {@code asc} or {@code desc}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
