package dev.mailroom.core;

import java.time.Duration;

/**
 * Size and lifetime limits on what a sender may ask for.
 *
 * @param maxPayloadBytes the inline payload limit (decoded bytes); larger sends get 413
 * @param maxMetadataBytes the largest metadata object, as compact JSON
 * @param maxTags the most tags on one message
 * @param defaultTtl the time to live when a send names none
 * @param maxTtl the longest time to live a send may ask for
 */
public record Limits(
    int maxPayloadBytes, int maxMetadataBytes, int maxTags, Duration defaultTtl, Duration maxTtl) {

  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_METADATA_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_TAGS = 32;
  public static final Duration DEFAULT_TTL = Duration.ofDays(7);
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(365);

  public static final Limits DEFAULTS =
      new Limits(
          DEFAULT_MAX_PAYLOAD_BYTES,
          DEFAULT_MAX_METADATA_BYTES,
          DEFAULT_MAX_TAGS,
          DEFAULT_TTL,
          DEFAULT_MAX_TTL);

  public Limits {
    if (maxPayloadBytes < 1 || maxMetadataBytes < 2 || maxTags < 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
      throw new IllegalArgumentException("need 0 < default ttl <= max ttl");
    }
  }
}
