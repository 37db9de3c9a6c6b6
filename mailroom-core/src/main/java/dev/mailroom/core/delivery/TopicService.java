package dev.mailroom.core.delivery;

import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.access.Action;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topics (SPEC R5): configuration with inheritance down the name hierarchy, statistics, and the
 * removal of idle topics. Anyone may create a topic; changing an existing topic's configuration and
 * deleting a topic are for admins.
 *
 * <p>The configurations are few and read on every publish, so they are held in memory, loaded from
 * the store at start and updated with it.
 */
public final class TopicService {
  private final Storage storage;
  private final SubscriptionIndex subscriptions;
  private final InstantSource clock;
  private final TopicSettings defaults;
  private final boolean autoCreate;
  private final Permissions permissions;
  private final Map<MailboxName, TopicConfig> configs = new ConcurrentHashMap<>();

  public TopicService(
      Storage storage,
      SubscriptionIndex subscriptions,
      InstantSource clock,
      TopicSettings defaults,
      boolean autoCreate,
      Permissions permissions) {
    this.storage = storage;
    this.permissions = permissions;
    this.subscriptions = subscriptions;
    this.clock = clock;
    this.defaults = defaults;
    this.autoCreate = autoCreate;
    storage.topics().configs().forEach(c -> configs.put(c.name(), c));
  }

  /** Who may do what with topics and subscriptions. */
  public Permissions permissions() {
    return permissions;
  }

  /** Whether a publish to a topic that does not exist creates it. */
  public boolean autoCreate() {
    return autoCreate;
  }

  /**
   * The settings in force for a name: its own, else its nearest configured ancestor's, else the
   * defaults.
   */
  public TopicSettings settings(MailboxName name) {
    Optional<Duration> retention = Optional.empty();
    Optional<Integer> maxSubscribers = Optional.empty();
    Optional<Duration> cleanupAfter = Optional.empty();
    for (Optional<MailboxName> n = Optional.of(name); n.isPresent(); n = parent(n.get())) {
      TopicConfig c = configs.get(n.get());
      if (c == null) {
        continue;
      }
      retention = retention.or(c::retention);
      if (maxSubscribers.isEmpty() && c.maxSubscribers().isPresent()) {
        maxSubscribers = Optional.of(c.maxSubscribers().getAsInt());
      }
      cleanupAfter = cleanupAfter.or(c::cleanupAfter);
    }
    return new TopicSettings(
        retention.orElse(defaults.retention()),
        maxSubscribers.orElse(defaults.maxSubscribers()),
        cleanupAfter.orElse(defaults.cleanupAfter()));
  }

  /** Whether a topic of this name exists. */
  public boolean exists(MailboxName name) {
    return storage.topics().stats(name).isPresent();
  }

  /** The configuration set on exactly this name. */
  public Optional<TopicConfig> config(MailboxName name) {
    return Optional.ofNullable(configs.get(name));
  }

  /**
   * Creates a topic (which needs write permission on it), or changes the configuration of one
   * (which needs admin permission on it).
   *
   * @return true if the topic was created
   * @throws MailroomException.Conflict if the name is a mailbox of another kind
   * @throws MailroomException.Forbidden if the caller may not
   */
  public boolean configure(Principal caller, TopicConfig config) {
    Optional<TopicStats> existing = storage.topics().stats(config.name());
    if (existing.isEmpty()) {
      permissions.require(caller, Action.WRITE, config.name(), MailboxKind.TOPIC);
      requireCreatable(config.name());
    } else {
      permissions.require(caller, Action.ADMIN, config.name(), MailboxKind.TOPIC);
    }
    storage.topics().configure(config, true);
    configs.put(config.name(), config);
    recordPeak(config.name());
    return existing.isEmpty();
  }

  /**
   * Checks that a topic could be created under this name.
   *
   * @throws MailroomException.Conflict if the name is a shared or agent mailbox
   */
  public void requireCreatable(MailboxName name) {
    storage
        .messages()
        .mailbox(name)
        .filter(box -> box.kind() != MailboxKind.TOPIC)
        .ifPresent(
            box -> {
              throw new MailroomException.Conflict(
                  name + " is a " + box.kind().name().toLowerCase() + " mailbox");
            });
  }

  /**
   * Removes a topic with its history and configuration (needs admin permission on it).
   *
   * @throws MailroomException.NotFound if there is no such topic
   * @throws MailroomException.Forbidden if the caller may not
   */
  public void delete(Principal caller, MailboxName name) {
    permissions.require(caller, Action.ADMIN, name, MailboxKind.TOPIC);
    if (!storage.topics().delete(name)) {
      throw new MailroomException.NotFound("no topic " + name);
    }
    configs.remove(name);
  }

  /** Reads one name's configuration again (another node changed or removed it). */
  public void reload(MailboxName name) {
    storage
        .topics()
        .config(name)
        .ifPresentOrElse(c -> configs.put(name, c), () -> configs.remove(name));
  }

  /** Reads every configuration again (changes by other nodes may have been missed). */
  public void reloadAll() {
    List<TopicConfig> all = storage.topics().configs();
    Set<MailboxName> names = new HashSet<>();
    for (TopicConfig c : all) {
      configs.put(c.name(), c);
      names.add(c.name());
    }
    configs.keySet().retainAll(names);
  }

  /** One topic's statistics. */
  public TopicView view(MailboxName name) {
    TopicStats stats =
        storage
            .topics()
            .stats(name)
            .orElseThrow(() -> new MailroomException.NotFound("no topic " + name));
    return view(stats);
  }

  /** Every topic, by name. */
  public List<TopicView> list() {
    List<TopicView> views = new ArrayList<>();
    for (TopicStats stats : storage.topics().topics()) {
      views.add(view(stats));
    }
    return views;
  }

  private TopicView view(TopicStats stats) {
    int subscribers = subscriptions.subscriberCount(stats.name());
    return new TopicView(
        stats,
        config(stats.name()),
        settings(stats.name()),
        subscribers,
        Math.max(subscribers, stats.peakSubscribers()));
  }

  /** Records the current subscriber count of every existing topic a pattern matches. */
  public void recordPeaks(dev.mailroom.core.topic.SubscriptionPattern pattern) {
    for (TopicStats stats : storage.topics().topics()) {
      if (pattern.matches(stats.name())) {
        recordPeak(stats.name());
      }
    }
  }

  private void recordPeak(MailboxName topic) {
    int subscribers = subscriptions.subscriberCount(topic);
    if (subscribers > 0) {
      storage.topics().recordSubscribers(topic, subscribers);
    }
  }

  /**
   * Removes every topic that has had no traffic for its cleanup period and has no subscribers. A
   * topic above other topics or configurations (such as {@code ai} above {@code ai.models}) is kept
   * while they exist: its configuration is what they inherit. Returns the names removed.
   */
  public List<MailboxName> removeIdle() {
    Instant now = clock.instant();
    List<TopicStats> all = storage.topics().topics();
    Set<MailboxName> ancestors = new HashSet<>();
    for (TopicStats stats : all) {
      addAncestors(stats.name(), ancestors);
    }
    configs.keySet().forEach(name -> addAncestors(name, ancestors));
    List<MailboxName> removed = new ArrayList<>();
    for (TopicStats stats : all) {
      if (ancestors.contains(stats.name())) {
        continue;
      }
      Instant lastActive = stats.lastMessageAt().orElse(stats.createdAt());
      Duration idleFor = settings(stats.name()).cleanupAfter();
      if (!now.isBefore(lastActive.plus(idleFor))
          && subscriptions.subscriberCount(stats.name()) == 0
          && storage.topics().delete(stats.name())) {
        configs.remove(stats.name());
        removed.add(stats.name());
      }
    }
    return removed;
  }

  private static void addAncestors(MailboxName name, Set<MailboxName> into) {
    for (Optional<MailboxName> p = parent(name); p.isPresent(); p = parent(p.get())) {
      into.add(p.get());
    }
  }

  static Optional<MailboxName> parent(MailboxName name) {
    int dot = name.value().lastIndexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(MailboxName.of(name.value().substring(0, dot)));
  }

  /**
   * A topic as the API shows it.
   *
   * @param config what is set on the topic itself
   * @param settings what is in force, inherited parts included
   * @param subscribers agents subscribed now, by exact name or pattern
   * @param peakSubscribers the most there have been at once
   */
  public record TopicView(
      TopicStats stats,
      Optional<TopicConfig> config,
      TopicSettings settings,
      int subscribers,
      int peakSubscribers) {}
}
