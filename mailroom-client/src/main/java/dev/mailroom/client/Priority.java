package dev.mailroom.client;

import java.util.Locale;

/** A message's priority, lowest first. */
public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  URGENT;

  /** The name on the wire: {@code low}, {@code normal}, {@code high}, {@code urgent}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
