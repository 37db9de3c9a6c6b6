package dev.mailroom.server;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.delivery.TopicService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes idle topics (no traffic and no subscribers for their cleanup period) on a fixed interval,
 * on one daemon thread that {@link #close()} stops.
 */
final class TopicJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicJanitor.class);

  private final TopicService topics;
  private final ScheduledExecutorService executor;

  private TopicJanitor(TopicService topics) {
    this.topics = topics;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("topic-janitor").daemon().unstarted(r));
  }

  static TopicJanitor start(TopicService topics, Duration interval) {
    TopicJanitor janitor = new TopicJanitor(topics);
    long millis = interval.toMillis();
    janitor.executor.scheduleWithFixedDelay(
        janitor::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    return janitor;
  }

  void runOnce() {
    try {
      List<MailboxName> removed = topics.removeIdle();
      if (!removed.isEmpty()) {
        LOG.info("removed {} idle topics: {}", removed.size(), removed);
      }
    } catch (RuntimeException e) {
      LOG.warn("idle topic cleanup failed; will retry", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("the topic janitor did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
