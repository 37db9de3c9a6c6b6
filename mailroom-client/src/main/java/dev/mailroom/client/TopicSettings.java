package dev.mailroom.client;

import dev.mailroom.protocol.TopicView;
import java.time.Duration;
import java.util.Optional;

/**
 * A topic's own configuration; a part left out is inherited from the nearest configured ancestor
 * name, else the server's default. Configuring an existing topic replaces its whole configuration.
 *
 * <pre>{@code
 * TopicSettings s = TopicSettings.builder().description("GPT-4 news")
 *     .retention(Duration.ofDays(1)).maxSubscribers(50).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class TopicSettings {
  private static final TopicSettings INHERIT_ALL = builder().build();

  private final TopicView.Config config;

  private TopicSettings(TopicView.Config config) {
    this.config = config;
  }

  /** Nothing set: everything inherited. */
  public static TopicSettings inheritAll() {
    return INHERIT_ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The wire form. */
  public TopicView.Config toConfig() {
    return config;
  }

  /** Sets the parts of {@link TopicSettings}. Not thread-safe. */
  public static final class Builder {
    private Optional<String> description = Optional.empty();
    private Optional<Long> retention = Optional.empty();
    private Optional<Integer> maxSubscribers = Optional.empty();
    private Optional<Long> cleanupAfter = Optional.empty();

    private Builder() {}

    /** Free text, at most 1024 characters; not inherited. */
    public Builder description(String value) {
      description = Optional.of(value);
      return this;
    }

    /** The time to live of messages sent to the topic without one (whole seconds). */
    public Builder retention(Duration value) {
      retention = Optional.of(value.toSeconds());
      return this;
    }

    /** How many agents may subscribe to the topic. */
    public Builder maxSubscribers(int value) {
      maxSubscribers = Optional.of(value);
      return this;
    }

    /** How long the topic may go without messages and subscribers before it is removed. */
    public Builder cleanupAfter(Duration value) {
      cleanupAfter = Optional.of(value.toSeconds());
      return this;
    }

    public TopicSettings build() {
      return new TopicSettings(
          new TopicView.Config(description, retention, maxSubscribers, cleanupAfter));
    }
  }
}
