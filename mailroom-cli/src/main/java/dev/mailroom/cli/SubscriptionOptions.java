package dev.mailroom.cli;

import dev.mailroom.client.DeliveryMode;
import dev.mailroom.client.Priority;
import dev.mailroom.client.SubscriptionSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    if (mode != null) {
      b.mode(mode);
    }
    if (sender != null) {
      b.sender(sender);
    }
    if (minPriority != null) {
      b.minPriority(minPriority);
    }
    if (contentType != null) {
      b.contentType(contentType);
    }
    tags.forEach(b::tag);
    if (maxQueue != null) {
      b.maxQueueSize(maxQueue);
    }
    if (autoAck) {
      b.autoAck(true);
    }
    if (batchSize != null) {
      b.batchSize(batchSize);
    }
    if (batchWindow != null) {
      b.batchWindow(batchWindow);
    }
    return b.build();
  }
}
