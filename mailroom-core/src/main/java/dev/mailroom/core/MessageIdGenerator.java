package dev.mailroom.core;

import java.time.InstantSource;

/**
 * Hands out strictly increasing {@link MessageId}s from a clock. When the clock stands still or
 * goes back, ids keep increasing by borrowing from the next millisecond, so the id's time may run
 * slightly ahead of the clock under bursts of more than a million ids per millisecond.
 *
 * <p>Not thread-safe: a store calls it from its single writer (or under its own lock).
 */
public final class MessageIdGenerator {
  private final InstantSource clock;
  private long last;

  public MessageIdGenerator(InstantSource clock, long floor) {
    this.clock = clock;
    this.last = floor;
  }

  /** A generator whose ids are all greater than {@code floor}, e.g. the largest id stored. */
  public static MessageIdGenerator startingAfter(InstantSource clock, MessageId floor) {
    return new MessageIdGenerator(clock, floor.value());
  }

  public MessageId next() {
    long candidate = clock.millis() << MessageId.SEQUENCE_BITS;
    last = Math.max(candidate, last + 1);
    return MessageId.of(last);
  }
}
