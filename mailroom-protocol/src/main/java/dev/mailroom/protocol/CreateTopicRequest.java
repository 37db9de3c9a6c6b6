package dev.mailroom.protocol;

import java.util.Optional;

/**
 * The body of {@code POST /v1/topics}: the name and the topic's own configuration ({@code PUT
 * /v1/topics/{name}} takes the configuration alone, as a {@link TopicView.Config}).
 */
public record CreateTopicRequest(
    String name,
    Optional<String> description,
    Optional<Long> retentionSeconds,
    Optional<Integer> maxSubscribers,
    Optional<Long> cleanupAfterSeconds) {

  /** The request for a topic named {@code name} with {@code config}. */
  public static CreateTopicRequest of(String name, TopicView.Config config) {
    return new CreateTopicRequest(
        name,
        config.description(),
        config.retentionSeconds(),
        config.maxSubscribers(),
        config.cleanupAfterSeconds());
  }
}
