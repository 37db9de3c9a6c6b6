package dev.mailroom.cli;

import dev.mailroom.client.DeliveryMode;
import dev.mailroom.client.Priority;
import dev.mailroom.client.SubscriptionSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The settings of {@code subscriptions create} and {@code topics join}. */
final class SubscriptionOptions {
  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "realtime (default), batch, polling.")
  @Nullable DeliveryMode mode;

  @Option(names = "--from", paramLabel = "AGENT", description = "Only messages from this agent.")
  @Nullable String sender;

  @Option(names = "--min-priority", paramLabel = "P", description = "Only this priority or above.")
  @Nullable Priority minPriority;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only this content type.")
  @Nullable String contentType;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only with this tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--max-queue", paramLabel = "N", description = "Pending deliveries it holds.")
  @Nullable Integer maxQueue;

  @Option(names = "--auto-ack", description = "A push counts as acknowledged (at most once).")
  boolean autoAck;

  @Option(names = "--batch-size", paramLabel = "N", description = "batch mode: push N at a time.")
  @Nullable Integer batchSize;

  @Option(
      names = "--batch-window",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "batch mode: push when the first has waited this long.")
  @Nullable Duration batchWindow;

  SubscriptionSettings settings() {
    SubscriptionSettings.Builder b = SubscriptionSettings.builder();
    Optional.ofNullable(mode).ifPresent(b::mode);
    Optional.ofNullable(sender).ifPresent(b::sender);
    Optional.ofNullable(minPriority).ifPresent(b::minPriority);
    Optional.ofNullable(contentType).ifPresent(b::contentType);
    tags.forEach(b::tag);
    Optional.ofNullable(maxQueue).ifPresent(b::maxQueueSize);
    if (autoAck) {
      b.autoAck(true);
    }
    Optional.ofNullable(batchSize).ifPresent(b::batchSize);
    Optional.ofNullable(batchWindow).ifPresent(b::batchWindow);
    return b.build();
  }
}
