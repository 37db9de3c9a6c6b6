package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.BlobService;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes abandoned uploads and the blobs no message refers to any more ({@link
 * BlobService#collect()}), and takes the agents' usage for the metrics. It runs after each run of
 * the {@link dev.mailroom.core.RetentionCleaner}, on its thread, so that the messages that expired
 * are removed before it asks which blobs messages still carry. Every node runs one; the store makes
 * each removal conditional, so no node removes a blob a send has just attached.
 */
final class BlobCollector {
  /** How many agents the per-agent usage series names: those holding the most. */
  static final int TOP_AGENTS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);

  private final BlobService blobs;
  private final AtomicLong removedUploads = new AtomicLong();
  private final AtomicLong removedBlobs = new AtomicLong();
  private volatile Usage usage = new Usage(0, Map.of());
  private volatile Consumer<Usage> usageListener = u -> {};
  private volatile @Nullable Instant passTime;

  /** The bytes held in all, and by the {@value #TOP_AGENTS} agents holding the most. */
  record Usage(long total, Map<AgentId, Long> top) {}

  BlobCollector(BlobService blobs) {
    this.blobs = blobs;
  }

  /** Notes the time before a retention run, as of which the pass after it looks at the blobs. */
  void beforeRetention() {
    passTime = blobs.now();
  }

  void runOnce() {
    try {
      Instant asOf = passTime;
      BlobService.Collected collected = asOf == null ? blobs.collect() : blobs.collect(asOf);
      removedUploads.addAndGet(collected.uploads());
      removedBlobs.addAndGet(collected.blobs());
      Map<AgentId, Long> all = blobs.usage();
      Map<AgentId, Long> top = new LinkedHashMap<>();
      all.entrySet().stream()
          .sorted(Map.Entry.<AgentId, Long>comparingByValue(Comparator.reverseOrder()))
          .limit(TOP_AGENTS)
          .forEach(e -> top.put(e.getKey(), e.getValue()));
      usage = new Usage(all.values().stream().mapToLong(Long::longValue).sum(), top);
      usageListener.accept(usage);
    } catch (RuntimeException e) {
      LOG.warn("removing unused blobs failed; will retry", e);
    }
  }

  /** Told the usage after every pass. */
  void onUsage(Consumer<Usage> listener) {
    this.usageListener = listener;
  }

  Usage usage() {
    return usage;
  }

  long removedUploads() {
    return removedUploads.get();
  }

  long removedBlobs() {
    return removedBlobs.get();
  }
}
