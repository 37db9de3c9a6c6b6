package dev.mailroom.client;

import dev.mailroom.protocol.SubscriptionRequest;
import dev.mailroom.protocol.SubscriptionView;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a subscription or a topic join; every part is optional and takes the server's
 * default when absent (realtime, no filter, a queue of 10,000, acknowledged by the client).
 *
 * <pre>{@code
 * SubscriptionSettings s = SubscriptionSettings.builder()
 *     .mode(DeliveryMode.BATCH).batchSize(20).batchWindow(Duration.ofSeconds(2))
 *     .minPriority(Priority.HIGH).tag("review").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not.
 */
public final class SubscriptionSettings {
  private static final SubscriptionSettings DEFAULTS = builder().build();

  private final Optional<DeliveryMode> mode;
  private final Optional<String> sender;
  private final Optional<Priority> minPriority;
  private final Optional<String> contentType;
  private final List<String> tags;
  private final Optional<Integer> maxQueueSize;
  private final Optional<Boolean> autoAck;
  private final Optional<Integer> batchSize;
  private final Optional<Duration> batchWindow;

  private SubscriptionSettings(Builder b) {
    mode = b.mode;
    sender = b.sender;
    minPriority = b.minPriority;
    contentType = b.contentType;
    tags = List.copyOf(b.tags);
    maxQueueSize = b.maxQueueSize;
    autoAck = b.autoAck;
    batchSize = b.batchSize;
    batchWindow = b.batchWindow;
  }

  /** The server's defaults. */
  public static SubscriptionSettings defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The wire body, with {@code pattern} for {@code POST /v1/subscriptions}, without for a join. */
  SubscriptionRequest toRequest(Optional<String> pattern) {
    boolean filtered =
        sender.isPresent() || minPriority.isPresent() || contentType.isPresent() || !tags.isEmpty();
    Optional<SubscriptionView.Filter> filter =
        filtered
            ? Optional.of(
                new SubscriptionView.Filter(
                    sender, minPriority.map(Priority::wireName), contentType, tags))
            : Optional.empty();
    return new SubscriptionRequest(
        pattern,
        mode.map(DeliveryMode::wireName),
        filter,
        maxQueueSize,
        autoAck,
        batchSize,
        batchWindow.map(w -> w.toMillis() / 1000.0));
  }

  /** Sets the parts of {@link SubscriptionSettings}. Not thread-safe. */
  public static final class Builder {
    private Optional<DeliveryMode> mode = Optional.empty();
    private Optional<String> sender = Optional.empty();
    private Optional<Priority> minPriority = Optional.empty();
    private Optional<String> contentType = Optional.empty();
    private final Set<String> tags = new LinkedHashSet<>();
    private Optional<Integer> maxQueueSize = Optional.empty();
    private Optional<Boolean> autoAck = Optional.empty();
    private Optional<Integer> batchSize = Optional.empty();
    private Optional<Duration> batchWindow = Optional.empty();

    private Builder() {}

    public Builder mode(DeliveryMode value) {
      mode = Optional.of(value);
      return this;
    }

    /** Only messages from this agent. */
    public Builder sender(String agentId) {
      sender = Optional.of(agentId);
      return this;
    }

    /** Only messages of at least this priority. */
    public Builder minPriority(Priority value) {
      minPriority = Optional.of(value);
      return this;
    }

    /** Only messages of this content type. */
    public Builder contentType(String value) {
      contentType = Optional.of(value);
      return this;
    }

    /** Only messages carrying this tag (and every other one given). */
    public Builder tag(String value) {
      tags.add(Objects.requireNonNull(value, "tag"));
      return this;
    }

    /** How many pending deliveries the subscription holds before dropping the oldest. */
    public Builder maxQueueSize(int value) {
      maxQueueSize = Optional.of(value);
      return this;
    }

    /** Whether a push counts as acknowledged once written (at most once). */
    public Builder autoAck(boolean value) {
      autoAck = Optional.of(value);
      return this;
    }

    /** Batch mode: push when this many deliveries wait. */
    public Builder batchSize(int value) {
      batchSize = Optional.of(value);
      return this;
    }

    /** Batch mode: push when the first waiting delivery has waited this long (milliseconds). */
    public Builder batchWindow(Duration value) {
      batchWindow = Optional.of(value);
      return this;
    }

    public SubscriptionSettings build() {
      return new SubscriptionSettings(this);
    }
  }
}
