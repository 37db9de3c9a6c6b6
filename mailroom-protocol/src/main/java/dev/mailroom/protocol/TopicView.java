package dev.mailroom.protocol;

import java.time.Instant;
import java.util.Optional;

/**
 * A topic: what is configured on it, what is in force after inheritance, and its statistics.
 *
 * @param config what is set on this topic itself (each part optional)
 * @param settings what is in force: its own, else its nearest configured ancestor's, else the
 *     server's defaults
 */
public record TopicView(String name, Config config, Settings settings, Stats stats) {

  public record Config(
      Optional<String> description,
      Optional<Long> retentionSeconds,
      Optional<Integer> maxSubscribers,
      Optional<Long> cleanupAfterSeconds) {}

  public record Settings(long retentionSeconds, int maxSubscribers, long cleanupAfterSeconds) {}

  /**
   * @param messages published since the topic was created
   * @param subscribers agents subscribed now, by exact name or pattern
   * @param peakSubscribers the most there have been at once
   */
  public record Stats(
      long messages,
      int subscribers,
      int peakSubscribers,
      Optional<Instant> lastMessageAt,
      Instant createdAt) {}
}
