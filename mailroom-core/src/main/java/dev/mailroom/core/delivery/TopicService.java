package dev.mailroom.core.delivery;

import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.access.Action;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.TopicStore;
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
 * Topics: configuration with inheritance down the name hierarchy, statistics, and the removal of
 * idle topics. Anyone may create a topic; changing an existing topic's configuration and deleting a
 * topic are for admins.
 *
 * <p>The configurations are few and read on every publish, so they are held in memory, loaded from
 * the store at start and updated with it.
 */
public final class TopicService {
  /** The most names {@link #known} holds before it starts over. */
  private static final int MAX_KNOWN = 100_000;

  /** Topics read from the store at once while listing. */
  private static final int READ_CHUNK = 500;

  private final Storage storage;
  private final SubscriptionIndex subscriptions;
  private final InstantSource clock;
  private final TopicSettings defaults;
  private final boolean autoCreate;
  private final Permissions permissions;
  private final AgentQuotas quotas;
  private final Map<MailboxName, TopicConfig> configs = new ConcurrentHashMap<>();

  /**
   * Names known to be topics, so that a publish looks its topic up in the store once, not on every
   * send. Forgotten when the topic is removed here or changed by another node; a name forgotten too
   * late only means a send may create the topic again without counting it as its sender's.
   */
  private final Set<MailboxName> known = ConcurrentHashMap.newKeySet();

  /** A service without per-agent caps. */
  public TopicService(
      Storage storage,
      SubscriptionIndex subscriptions,
      InstantSource clock,
      TopicSettings defaults,
      boolean autoCreate,
      Permissions permissions) {
    this(storage, subscriptions, clock, defaults, autoCreate, permissions, AgentQuotas.UNLIMITED);
  }

  /**
   * @param quotas the per-agent caps; this service enforces {@link AgentQuotas#maxTopics()}
   */
  public TopicService(
      Storage storage,
      SubscriptionIndex subscriptions,
      InstantSource clock,
      TopicSettings defaults,
      boolean autoCreate,
      Permissions permissions,
      AgentQuotas quotas) {
    this.storage = storage;
    this.permissions = permissions;
    this.subscriptions = subscriptions;
    this.clock = clock;
    this.defaults = defaults;
    this.autoCreate = autoCreate;
    this.quotas = quotas;
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
      requireNotReserved(caller, config.name());
      permissions.require(caller, Action.WRITE, config.name(), MailboxKind.TOPIC);
      requireCreatable(config.name());
      create(caller, config.name());
    } else {
      permissions.require(caller, Action.ADMIN, config.name(), MailboxKind.TOPIC);
    }
    storage.topics().configure(config, true); // the store tells NodeViews, which reloads it
    recordPeak(config.name());
    return existing.isEmpty();
  }

  /**
   * Makes sure the topic a caller publishes to exists: creates it, as the caller's, if topics are
   * created on publish. Checking costs a store read the first time a node sees a topic, none after.
   *
   * @throws MailroomException.NotFound if it does not exist and topics are not created on publish
   * @throws MailroomException.LimitExceeded (quota) if the caller has created its maximum of topics
   * @throws MailroomException.Conflict if the name is a mailbox of another kind
   */
  public void requirePublishable(Principal caller, MailboxName name) {
    if (known.contains(name)) {
      return;
    }
    if (storage.topics().stats(name).isPresent()) {
      remember(name);
      return;
    }
    if (storage.messages().mailbox(name).isPresent()) {
      return; // a mailbox of another kind: the send refuses it
    }
    if (!autoCreate) {
      throw new MailroomException.NotFound(
          "no topic " + name + " (topics are not created on publish; create it first)");
    }
    create(caller, name);
  }

  /** Creates a topic as the caller's, within its cap; an existing topic is left as it is. */
  private void create(Principal caller, MailboxName name) {
    int max = caller.isAdmin() ? Integer.MAX_VALUE : quotas.maxTopics();
    if (storage.topics().create(name, caller.id(), max) == TopicStore.Creation.AT_LIMIT) {
      throw topicQuota(caller, max);
    }
    remember(name);
  }

  private MailroomException topicQuota(Principal caller, int max) {
    return MailroomException.LimitExceeded.quota(
        "you have created "
            + storage.topics().createdBy(caller.id())
            + " topics that exist; the limit of topics per agent is "
            + max
            + ": topics you created count until they are deleted or cleaned up");
  }

  /**
   * Checks, before anything is written, that the caller could create a topic of this name: that it
   * may write to it (creating is a write), that it is not a mailbox, and that the caller has not
   * created its maximum of topics. (The creation checks the cap again, atomically.)
   *
   * @throws MailroomException.Forbidden if the caller may not write to the name
   * @throws MailroomException.Conflict if the name is a shared or agent mailbox
   * @throws MailroomException.LimitExceeded (quota) if the caller has created its maximum of topics
   */
  public void requireCreatable(Principal caller, MailboxName name) {
    requireNotReserved(caller, name);
    permissions.require(caller, Action.WRITE, name, MailboxKind.TOPIC);
    requireCreatable(name);
    int max = caller.isAdmin() ? Integer.MAX_VALUE : quotas.maxTopics();
    if (max < Integer.MAX_VALUE && storage.topics().createdBy(caller.id()) >= max) {
      throw topicQuota(caller, max);
    }
  }

  /**
   * Refuses a write under {@code mailroom.} from anyone but an admin, whatever the access policy
   * grants: those names are the server's own, and an agent must not be able to forge an alert.
   *
   * @throws MailroomException.Forbidden if the name is reserved and the caller is not an admin
   */
  public static void requireNotReserved(Principal caller, MailboxName name) {
    if (name.isReserved() && !caller.isAdmin()) {
      throw new MailroomException.Forbidden(
          "names under "
              + MailboxName.RESERVED_PREFIX
              + " are the server's own (its alerts are published there): only admins may write"
              + " to them");
    }
  }

  private void remember(MailboxName name) {
    if (known.size() >= MAX_KNOWN) {
      known.clear(); // crude, but bounded: a full set costs one store read per topic again
    }
    known.add(name);
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
  }

  /**
   * Reads one name's configuration again, and forgets whether it is a topic: it was configured,
   * created or deleted, here or on another node ({@link NodeViews}).
   */
  public void reload(MailboxName name) {
    known.remove(name);
    storage
        .topics()
        .config(name)
        .ifPresentOrElse(c -> configs.put(name, c), () -> configs.remove(name));
  }

  /** Reads every configuration again (changes may have been missed: {@link NodeViews}). */
  public void reloadAll() {
    known.clear();
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

  /**
   * One topic's statistics, if the caller may see the topic: read it or subscribe to it (see {@link
   * Permissions#maySee}). A topic it may not see is answered as one that does not exist, so that
   * its existence does not leak.
   *
   * @throws MailroomException.NotFound if there is no such topic, or the caller may not see it
   */
  public TopicView view(Principal caller, MailboxName name) {
    if (!permissions.maySee(caller, name, MailboxKind.TOPIC)) {
      throw new MailroomException.NotFound("no topic " + name);
    }
    return view(name);
  }

  /** Every topic, by name. */
  public List<TopicView> list() {
    List<TopicView> views = new ArrayList<>();
    for (TopicStats stats : storage.topics().topics()) {
      views.add(view(stats));
    }
    return views;
  }

  /**
   * At most {@code limit} of the topics the caller may see (see {@link #view(Principal,
   * MailboxName)}), by name: those whose names start with {@code prefix} ({@code ""} for all),
   * after {@code after} (exclusive) when given. Reads the store a page at a time, so a caller who
   * may see few of many topics costs reads, never memory.
   */
  public List<TopicView> list(
      Principal caller, String prefix, Optional<MailboxName> after, int limit) {
    List<TopicView> views = new ArrayList<>(Math.min(limit, READ_CHUNK));
    Optional<MailboxName> position = after;
    while (views.size() < limit) {
      List<TopicStats> chunk = storage.topics().topics(prefix, position, READ_CHUNK);
      for (TopicStats stats : chunk) {
        if (views.size() < limit && permissions.maySee(caller, stats.name(), MailboxKind.TOPIC)) {
          views.add(view(stats));
        }
      }
      if (chunk.size() < READ_CHUNK) {
        break;
      }
      position = Optional.of(chunk.getLast().name());
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
