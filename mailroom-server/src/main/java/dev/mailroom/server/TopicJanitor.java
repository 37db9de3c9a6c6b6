package dev.mailroom.server;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Periodic;
import dev.mailroom.core.delivery.TopicService;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes idle topics (no traffic and no subscribers for their cleanup period) on a fixed interval,
 * on one daemon thread that {@link #close()} stops.
 */
final class TopicJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicJanitor.class);

  private final TopicService topics;
  private final Periodic schedule;

  private TopicJanitor(TopicService topics, Duration interval) {
    this.topics = topics;
    this.schedule = Periodic.every("topic-janitor", interval, this::runOnce);
  }

  static TopicJanitor start(TopicService topics, Duration interval) {
    return new TopicJanitor(topics, interval);
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
    schedule.close();
  }
}
