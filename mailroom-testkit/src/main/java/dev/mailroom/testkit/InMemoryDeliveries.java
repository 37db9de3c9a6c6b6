package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Recipient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reference delivery queue: subscriptions by id, and per agent its pending deliveries and its
 * dead letters, each keyed by message id. Part of {@link InMemoryStorage}: it holds that storage's
 * lock for every operation, and the storage calls its package-private methods under the same lock
 * while a send or a cleaning pass is applied.
 */
final class InMemoryDeliveries implements DeliveryStore {
  /** Most pending first, then by agent, then by way in. */
  private static final Comparator<Backlog> BY_SIZE =
      Comparator.comparingLong(Backlog::pending)
          .reversed()
          .thenComparing(b -> b.agent().value())
          .thenComparing(b -> b.subscription().value());

  private final InMemoryStorage storage;
  private final Map<String, Subscription> subscriptions = new TreeMap<>();
  private final Map<AgentId, TreeMap<MessageId, Queued>> pending = new TreeMap<>();
  private final Map<AgentId, TreeMap<MessageId, Dead>> dead = new TreeMap<>();

  InMemoryDeliveries(InMemoryStorage storage) {
    this.storage = storage;
  }

  /** A pending delivery: the subscription it came through and the attempts recorded so far. */
  private record Queued(SubscriptionId subscription, int attempts) {}

  private record Dead(SubscriptionId subscription, int attempts, String reason, Instant deadAt) {}

  // ---- called by InMemoryStorage under its lock

  /**
   * Queues a delivery; if that leaves the subscription with more than {@code maxQueueSize} pending
   * deliveries for the agent, its oldest pending one is dropped.
   */
  void queue(AgentId agent, MessageId id, SubscriptionId subscription, int maxQueueSize) {
    TreeMap<MessageId, Queued> queue = pending.computeIfAbsent(agent, a -> new TreeMap<>());
    queue.put(id, new Queued(subscription, 0));
    if (queue.size() <= maxQueueSize) {
      return; // the subscription's share of the agent's queue cannot be over the bound
    }
    List<MessageId> ofSubscription =
        queue.entrySet().stream()
            .filter(e -> e.getValue().subscription().equals(subscription))
            .map(Map.Entry::getKey)
            .toList();
    if (ofSubscription.size() > maxQueueSize) {
      ofSubscription.subList(0, ofSubscription.size() - maxQueueSize).forEach(queue::remove);
    }
  }

  /** The agent's full mailbox dropped the message: its delivery stops being pending. */
  void droppedFromInbox(AgentId agent, MessageId id) {
    TreeMap<MessageId, Queued> queue = pending.get(agent);
    if (queue != null) {
      queue.remove(id);
    }
  }

  /** The message was removed by a cleaning pass: so are its deliveries and dead letters. */
  void purged(MessageId id) {
    pending.values().forEach(q -> q.remove(id));
    dead.values().forEach(q -> q.remove(id));
  }

  /** The agent was deleted: its subscriptions, pending deliveries and dead letters go. */
  void agentDeleted(AgentId agent) {
    List<Subscription> its =
        subscriptions.values().stream().filter(s -> s.agent().equals(agent)).toList();
    for (Subscription s : its) {
      subscriptions.remove(s.id().value());
      storage.changes.subscriptionDeleted(s.id());
    }
    pending.remove(agent);
    dead.remove(agent);
  }

  long pendingCount() {
    return pending.values().stream().mapToLong(Map::size).sum();
  }

  /** How many deliveries of the agent are pending. */
  long pendingCount(AgentId agent) {
    return pending.getOrDefault(agent, new TreeMap<>()).size();
  }

  /** How many deliveries of these messages are pending, to every agent. */
  long pendingCount(Set<MessageId> ids) {
    return pending.values().stream()
        .flatMap(q -> q.keySet().stream())
        .filter(ids::contains)
        .count();
  }

  // ---- DeliveryStore

  @Override
  public boolean saveSubscription(Subscription subscription, int maxPerAgent) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      String id = subscription.id().value();
      if (subscriptions.containsKey(id)) {
        throw new MailroomException.Conflict("subscription " + id + " exists");
      }
      if (count(subscription.agent()) >= maxPerAgent) {
        return false;
      }
      subscriptions.put(id, subscription);
      storage.changes.subscriptionSaved(subscription);
      return true;
    }
  }

  @Override
  public int subscriptionCount(AgentId agent) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return count(agent);
    }
  }

  private int count(AgentId agent) {
    return (int) subscriptions.values().stream().filter(s -> s.agent().equals(agent)).count();
  }

  @Override
  public boolean deleteSubscription(SubscriptionId id) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      if (subscriptions.remove(id.value()) == null) {
        return false;
      }
      pending.values().forEach(q -> q.values().removeIf(d -> d.subscription().equals(id)));
      storage.changes.subscriptionDeleted(id);
      return true;
    }
  }

  @Override
  public Optional<Subscription> subscription(SubscriptionId id) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return Optional.ofNullable(subscriptions.get(id.value()));
    }
  }

  @Override
  public List<Subscription> subscriptions() {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return List.copyOf(subscriptions.values());
    }
  }

  @Override
  public long queued(SubscriptionId id) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return pending.values().stream()
          .flatMap(q -> q.values().stream())
          .filter(d -> d.subscription().equals(id))
          .count();
    }
  }

  @Override
  public List<Delivery> pending(AgentId agent, Optional<MessageId> after, int limit) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      TreeMap<MessageId, Queued> queue = pending.getOrDefault(agent, new TreeMap<>());
      Map<MessageId, Queued> from = after.isPresent() ? queue.tailMap(after.get(), false) : queue;
      List<Delivery> page = new ArrayList<>();
      for (Map.Entry<MessageId, Queued> e : from.entrySet()) {
        if (page.size() == limit) {
          break;
        }
        Queued d = e.getValue();
        storage
            .live(e.getKey())
            .ifPresent(m -> page.add(new Delivery(m, agent, d.subscription(), d.attempts())));
      }
      return page;
    }
  }

  /** The agent's pending delivery of a live message, if there is one; call under the lock. */
  private Optional<Queued> livePending(AgentId agent, MessageId id) {
    if (storage.live(id).isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(pending.getOrDefault(agent, new TreeMap<>()).get(id));
  }

  @Override
  public int acknowledge(AgentId agent, List<MessageId> ids) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      List<MessageId> acknowledged = new ArrayList<>();
      for (MessageId id : ids) {
        if (livePending(agent, id).isPresent()) {
          pending.get(agent).remove(id);
          acknowledged.add(id);
        }
      }
      if (!acknowledged.isEmpty()) {
        storage.changes.acknowledged(agent, List.copyOf(acknowledged));
      }
      return acknowledged.size();
    }
  }

  @Override
  public boolean recordAttempts(AgentId agent, MessageId id, int attempts) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Optional<Queued> d = livePending(agent, id);
      d.ifPresent(q -> pending.get(agent).put(id, new Queued(q.subscription(), attempts)));
      return d.isPresent();
    }
  }

  @Override
  public boolean deadLetter(AgentId agent, MessageId id, int attempts, String reason) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Optional<Queued> d = livePending(agent, id);
      if (d.isEmpty()) {
        return false;
      }
      pending.get(agent).remove(id);
      dead.computeIfAbsent(agent, a -> new TreeMap<>())
          .put(id, new Dead(d.get().subscription(), attempts, reason, storage.clock.instant()));
      return true;
    }
  }

  @Override
  public Optional<DeadLetter> deadLetter(AgentId agent, MessageId id) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      Dead d = dead.getOrDefault(agent, new TreeMap<>()).get(id);
      if (d == null) {
        return Optional.empty();
      }
      return storage.live(id).map(m -> deadLetterOf(m, agent, d));
    }
  }

  private static DeadLetter deadLetterOf(Message message, AgentId agent, Dead d) {
    return new DeadLetter(message, agent, d.subscription(), d.attempts(), d.reason(), d.deadAt());
  }

  @Override
  public List<DeadLetter> deadLetters(
      Optional<AgentId> agent, Optional<MessageId> after, int limit) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      List<DeadLetter> letters = new ArrayList<>();
      dead.forEach(
          (owner, queue) -> {
            if (agent.isPresent() && !agent.get().equals(owner)) {
              return;
            }
            queue.forEach(
                (id, d) -> {
                  if (after.isEmpty() || id.compareTo(after.get()) > 0) {
                    storage.live(id).ifPresent(m -> letters.add(deadLetterOf(m, owner, d)));
                  }
                });
          });
      letters.sort(
          Comparator.comparing((DeadLetter l) -> l.message().id())
              .thenComparing(DeadLetter::agent));
      return List.copyOf(letters.subList(0, Math.min(limit, letters.size())));
    }
  }

  @Override
  public boolean replay(AgentId agent, MessageId id) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      TreeMap<MessageId, Dead> queue = dead.get(agent);
      Optional<Message> message = storage.live(id);
      if (queue == null || !queue.containsKey(id) || message.isEmpty()) {
        return false;
      }
      Dead d = queue.remove(id);
      // A replay is the operator's explicit wish: it is not bounded by the subscription's queue.
      pending.computeIfAbsent(agent, a -> new TreeMap<>()).put(id, new Queued(d.subscription(), 0));
      storage.changes.requeued(
          message.get(), new Recipient(agent, d.subscription(), true, Integer.MAX_VALUE));
      return true;
    }
  }

  @Override
  public int purgeDeadLetters(Optional<AgentId> agent, Optional<MessageId> id) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      int removed = 0;
      for (Map.Entry<AgentId, TreeMap<MessageId, Dead>> e : dead.entrySet()) {
        if (agent.isPresent() && !agent.get().equals(e.getKey())) {
          continue;
        }
        TreeMap<MessageId, Dead> queue = e.getValue();
        if (id.isPresent()) {
          removed += queue.remove(id.get()) == null ? 0 : 1;
        } else {
          removed += queue.size();
          queue.clear();
        }
      }
      return removed;
    }
  }

  @Override
  public DeliveryTotals totals() {
    synchronized (storage.lock) {
      storage.ensureOpen();
      long letters = dead.values().stream().mapToLong(Map::size).sum();
      return new DeliveryTotals(pendingCount(), letters, subscriptions.size());
    }
  }

  @Override
  public List<Backlog> backlogs(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    synchronized (storage.lock) {
      storage.ensureOpen();
      List<Backlog> all = new ArrayList<>();
      pending.forEach((agent, queue) -> all.addAll(backlogsOf(agent, queue)));
      all.sort(BY_SIZE);
      return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
  }

  @Override
  public Optional<Backlog> backlog(AgentId agent, SubscriptionId subscription) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return backlogsOf(agent, pending.getOrDefault(agent, new TreeMap<>())).stream()
          .filter(b -> b.subscription().equals(subscription))
          .findFirst();
    }
  }

  /** One agent's backlogs, one per way in; the queue is in id order, so the first is the oldest. */
  private static List<Backlog> backlogsOf(AgentId agent, TreeMap<MessageId, Queued> queue) {
    Map<SubscriptionId, Backlog> byWay = new TreeMap<>(Comparator.comparing(SubscriptionId::value));
    queue.forEach(
        (id, d) ->
            byWay.merge(
                d.subscription(),
                new Backlog(agent, d.subscription(), 1, id),
                (a, b) -> new Backlog(agent, a.subscription(), a.pending() + 1, a.oldest())));
    return List.copyOf(byWay.values());
  }
}
