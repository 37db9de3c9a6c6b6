package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.TopicStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference topic bookkeeping: configurations by name, and statistics for every topic mailbox
 * (kept in step with the storage's mailboxes). Part of {@link InMemoryStorage}: it holds that
 * storage's lock for every operation, and the storage calls its package-private methods under the
 * same lock while a send is applied.
 */
final class InMemoryTopics implements TopicStore {
  private final InMemoryStorage storage;
  private final Map<MailboxName, TopicConfig> configs = new TreeMap<>();
  private final Map<MailboxName, Stats> stats = new TreeMap<>();
  private final Map<MailboxName, AgentId> creators = new HashMap<>();

  InMemoryTopics(InMemoryStorage storage) {
    this.storage = storage;
  }

  /** One topic's counters; guarded by the storage's lock. */
  private static final class Stats {
    final Instant createdAt;
    long messages;
    Optional<Instant> lastMessageAt = Optional.empty();
    int peakSubscribers;

    Stats(Instant createdAt) {
      this.createdAt = createdAt;
    }

    TopicStats snapshot(MailboxName name) {
      return new TopicStats(name, messages, lastMessageAt, peakSubscribers, createdAt);
    }
  }

  // ---- called by InMemoryStorage under its lock

  /** A topic mailbox was created. */
  /** Called under the storage's lock: the topics an agent created count for nobody now. */
  void creatorDeleted(AgentId creator) {
    creators.values().removeIf(creator::equals);
  }

  void created(MailboxName topic, Instant at) {
    stats.put(topic, new Stats(at));
  }

  /** A message was published to an existing topic. */
  void published(MailboxName topic, MessageId id) {
    Stats s = stats.get(topic);
    s.messages++;
    s.lastMessageAt = Optional.of(id.timestamp());
  }

  // ---- TopicStore

  @Override
  public void configure(TopicConfig config, boolean mailbox) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      MailboxName name = config.name();
      if (mailbox) {
        InMemoryStorage.Box box = storage.boxes.get(name);
        if (box != null && box.kind != MailboxKind.TOPIC) {
          throw new MailroomException.Conflict(
              "mailbox " + name + " is a " + box.kind.wireName() + " mailbox, not a topic");
        }
        if (box == null) {
          storage.createBox(name, MailboxKind.TOPIC, storage.clock.instant());
        }
      }
      configs.put(name, config);
      storage.changes.topicChanged(name);
    }
  }

  @Override
  public Creation create(MailboxName name, AgentId creator, int maxPerCreator) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      InMemoryStorage.Box box = storage.boxes.get(name);
      if (box != null && box.kind != MailboxKind.TOPIC) {
        throw new MailroomException.Conflict(
            "mailbox " + name + " is a " + box.kind.wireName() + " mailbox, not a topic");
      }
      if (box != null) {
        return Creation.EXISTS;
      }
      if (count(creator) >= maxPerCreator) {
        return Creation.AT_LIMIT;
      }
      storage.createBox(name, MailboxKind.TOPIC, storage.clock.instant());
      creators.put(name, creator);
      storage.changes.topicChanged(name);
      return Creation.CREATED;
    }
  }

  @Override
  public int createdBy(AgentId creator) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return count(creator);
    }
  }

  private int count(AgentId creator) {
    return (int) creators.values().stream().filter(creator::equals).count();
  }

  @Override
  public List<TopicStats> topics(String prefix, Optional<MailboxName> after, int limit) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return stats.entrySet().stream()
          .filter(e -> e.getKey().value().startsWith(prefix))
          .filter(e -> after.isEmpty() || e.getKey().compareTo(after.get()) > 0)
          .limit(limit)
          .map(e -> e.getValue().snapshot(e.getKey()))
          .toList();
    }
  }

  @Override
  public Optional<TopicConfig> config(MailboxName name) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return Optional.ofNullable(configs.get(name));
    }
  }

  @Override
  public List<TopicConfig> configs() {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return List.copyOf(configs.values());
    }
  }

  @Override
  public Optional<TopicStats> stats(MailboxName topic) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return Optional.ofNullable(stats.get(topic)).map(s -> s.snapshot(topic));
    }
  }

  @Override
  public void recordSubscribers(MailboxName topic, int subscribers) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Stats s = stats.get(topic);
      if (s != null) {
        s.peakSubscribers = Math.max(s.peakSubscribers, subscribers);
      }
    }
  }

  @Override
  public boolean delete(MailboxName topic) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      InMemoryStorage.Box box = storage.boxes.get(topic);
      if (box == null || box.kind != MailboxKind.TOPIC) {
        return false;
      }
      storage.boxes.remove(topic);
      configs.remove(topic);
      stats.remove(topic);
      creators.remove(topic);
      storage.changes.topicChanged(topic);
      return true;
    }
  }
}
