package dev.mailroom.core;

import java.time.Duration;

/**
 * How long things are kept and how much a store holds.
 *
 * @param maxInboxSize the most messages an agent's personal mailbox holds; the oldest is dropped
 *     (and counted) to make room
 * @param readStateRetention read-state records older than this are removed
 * @param dedupeWindow how long an idempotency key is remembered
 * @param cleanupInterval how often the background cleaner runs
 */
public record RetentionPolicy(
    int maxInboxSize,
    Duration readStateRetention,
    Duration dedupeWindow,
    Duration cleanupInterval) {

  public static final int DEFAULT_MAX_INBOX_SIZE = 10_000;
  public static final Duration DEFAULT_READ_STATE_RETENTION = Duration.ofDays(30);
  public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(24);
  public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(1);

  public static final RetentionPolicy DEFAULTS =
      new RetentionPolicy(
          DEFAULT_MAX_INBOX_SIZE,
          DEFAULT_READ_STATE_RETENTION,
          DEFAULT_DEDUPE_WINDOW,
          DEFAULT_CLEANUP_INTERVAL);

  public RetentionPolicy {
    if (maxInboxSize < 1) {
      throw new IllegalArgumentException("max inbox size must be at least 1");
    }
    for (Duration d : new Duration[] {readStateRetention, dedupeWindow, cleanupInterval}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("retention durations must be positive");
      }
    }
  }

  public RetentionPolicy withMaxInboxSize(int size) {
    return new RetentionPolicy(size, readStateRetention, dedupeWindow, cleanupInterval);
  }
}
