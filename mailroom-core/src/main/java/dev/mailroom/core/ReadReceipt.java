package dev.mailroom.core;

import java.time.Instant;
import java.util.Comparator;

/** That {@code reader} marked a message read at {@code readAt}. */
public record ReadReceipt(AgentId reader, Instant readAt) {
  /**
   * The order readers are listed and paged in: by read time, then by reader, so that readers who
   * read at the same instant still have a place of their own.
   */
  public static final Comparator<ReadReceipt> ORDER =
      Comparator.comparing(ReadReceipt::readAt).thenComparing(ReadReceipt::reader);

  /** Whether this receipt comes after {@code position} in {@link #ORDER}. */
  public boolean isAfter(ReadReceipt position) {
    return ORDER.compare(this, position) > 0;
  }
}
