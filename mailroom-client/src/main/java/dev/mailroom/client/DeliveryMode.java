package dev.mailroom.client;

import java.util.Locale;

/** How a subscription delivers what it matches. */
public enum DeliveryMode {
  /** Pushed over the stream as soon as it is stored (the default). */
  REALTIME,
  /** Pushed over the stream in groups, by count or by time. */
  BATCH,
  /** Only put in the inbox, to be fetched. */
  POLLING;

  /** The name on the wire: {@code realtime}, {@code batch}, {@code polling}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
