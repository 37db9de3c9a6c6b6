package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Principal;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions, acknowledgements and the dead-letter queue on behalf of authenticated callers. An
 * agent manages its own subscriptions and dead letters; an admin may manage anyone's.
 */
public final class DeliveryService {
  private final Storage storage;
  private final SubscriptionIndex index;
  private final TopicService topics;
  private final InstantSource clock;
  private final AgentQuotas quotas;

  /** A service without per-agent caps. */
  public DeliveryService(
      Storage storage, SubscriptionIndex index, TopicService topics, InstantSource clock) {
    this(storage, index, topics, clock, AgentQuotas.UNLIMITED);
  }

  /**
   * @param quotas the per-agent caps; this service enforces {@link AgentQuotas#maxSubscriptions()}
   */
  public DeliveryService(
      Storage storage,
      SubscriptionIndex index,
      TopicService topics,
      InstantSource clock,
      AgentQuotas quotas) {
    this.storage = storage;
    this.index = index;
    this.topics = topics;
    this.clock = clock;
    this.quotas = quotas;
  }

  /**
   * What a caller asks for when subscribing.
   *
   * @param filter only its sender, minimum priority, content type and tags may be set
   */
  public record Request(
      SubscriptionPattern pattern,
      DeliveryMode mode,
      MessageFilter filter,
      int batchSize,
      Duration batchWindow,
      int maxQueueSize,
      boolean autoAck) {}

  /**
   * Subscribes the caller.
   *
   * @throws MailroomException.InvalidRequest if the filter sets a time, id or read-state part
   * @throws MailroomException.Conflict if the pattern names a topic that has its maximum of
   *     subscribers
   * @throws MailroomException.Forbidden if the caller may not subscribe to the pattern
   * @throws MailroomException.LimitExceeded (quota) if the caller, not an admin, has its maximum of
   *     subscriptions
   */
  public Subscription subscribe(Principal caller, Request request) {
    topics.permissions().requireSubscribe(caller, request.pattern());
    MessageFilter f = request.filter();
    if (f.since().isPresent()
        || f.until().isPresent()
        || f.afterId().isPresent()
        || f.beforeId().isPresent()
        || f.unread().isPresent()) {
      throw MailroomException.InvalidRequest.field(
          "filter", "a subscription filter may set only sender, min_priority, content_type, tags");
    }
    if (!request.pattern().hasWildcard()) {
      var name = dev.mailroom.core.MailboxName.of(request.pattern().value());
      int max = topics.settings(name).maxSubscribers();
      boolean already = index.matching(name).stream().anyMatch(s -> s.agent().equals(caller.id()));
      if (!already && index.subscriberCount(name) >= max) {
        throw new MailroomException.Conflict(
            "topic " + name + " has its maximum of " + max + " subscribers");
      }
    }
    Subscription subscription =
        new Subscription(
            SubscriptionId.random(),
            caller.id(),
            request.pattern(),
            request.mode(),
            f,
            request.batchSize(),
            request.batchWindow(),
            request.maxQueueSize(),
            request.autoAck(),
            // Stores keep milliseconds: the answer shows the time as every later read will.
            clock.instant().truncatedTo(ChronoUnit.MILLIS));
    int max = caller.isAdmin() ? Integer.MAX_VALUE : quotas.maxSubscriptions();
    if (!storage.deliveries().saveSubscription(subscription, max)) {
      throw MailroomException.LimitExceeded.quota(
          "you have "
              + storage.deliveries().subscriptionCount(caller.id())
              + " subscriptions; the limit of subscriptions per agent is "
              + max
              + ": delete one before subscribing again");
    }
    topics.recordPeaks(subscription.pattern());
    return subscription;
  }

  /**
   * Removes a subscription of the caller's (any, for an admin).
   *
   * @throws MailroomException.NotFound if there is no such subscription of the caller's
   */
  public Subscription unsubscribe(Principal caller, SubscriptionId id) {
    Subscription subscription = owned(caller, id);
    // The store tells NodeViews, which takes it out of the index. A send routed just before can
    // still queue under it; that delivery is pushed all the same.
    storage.deliveries().deleteSubscription(id);
    return subscription;
  }

  /** One subscription of the caller's (any, for an admin), with its queue depth. */
  public Subscription subscription(Principal caller, SubscriptionId id) {
    return owned(caller, id);
  }

  /** How many deliveries wait in a subscription's queue. */
  public long queued(SubscriptionId id) {
    return storage.deliveries().queued(id);
  }

  /** The caller's subscriptions, by id. */
  public List<Subscription> subscriptions(Principal caller) {
    return index.of(caller.id());
  }

  /** At most {@code limit} of the caller's subscriptions, by id, after {@code after} if given. */
  public List<Subscription> subscriptions(
      Principal caller, Optional<SubscriptionId> after, int limit) {
    return index.of(caller.id()).stream()
        .filter(s -> after.isEmpty() || s.id().value().compareTo(after.get().value()) > 0)
        .limit(limit)
        .toList();
  }

  /** The caller's subscriptions to exactly this name. */
  public List<Subscription> exact(Principal caller, SubscriptionPattern pattern) {
    return index.of(caller.id()).stream().filter(s -> s.pattern().equals(pattern)).toList();
  }

  private Subscription owned(Principal caller, SubscriptionId id) {
    return index
        .get(id)
        .filter(s -> caller.isAdmin() || s.agent().equals(caller.id()))
        .orElseThrow(() -> new MailroomException.NotFound("no subscription " + id));
  }

  /** Acknowledges deliveries to the caller; returns how many were pending. */
  public int acknowledge(Principal caller, List<MessageId> ids) {
    return storage.deliveries().acknowledge(caller.id(), ids);
  }

  /**
   * Dead letters: the caller's own, or for an admin anyone's ({@code agent}) or everyone's (empty).
   */
  public List<DeadLetter> deadLetters(
      Principal caller, Optional<AgentId> agent, Optional<MessageId> after, int limit) {
    return storage.deliveries().deadLetters(scope(caller, agent), after, limit);
  }

  /** One dead letter of the caller's (anyone's for an admin naming the agent). */
  public DeadLetter deadLetter(Principal caller, Optional<AgentId> agent, MessageId id) {
    AgentId owner = scope(caller, agent).orElse(caller.id());
    return storage
        .deliveries()
        .deadLetter(owner, id)
        .orElseThrow(
            () -> new MailroomException.NotFound("no dead letter " + id + " for " + owner));
  }

  /** Queues a dead letter for delivery again, with its attempts reset. */
  public void replay(Principal caller, Optional<AgentId> agent, MessageId id) {
    AgentId owner = scope(caller, agent).orElse(caller.id());
    if (!storage.deliveries().replay(owner, id)) {
      throw new MailroomException.NotFound("no dead letter " + id + " for " + owner);
    }
  }

  /**
   * Removes dead letters: one, or all of the caller's (of everyone's, for an admin naming none).
   */
  public int purge(Principal caller, Optional<AgentId> agent, Optional<MessageId> id) {
    Optional<AgentId> owner = scope(caller, agent);
    if (id.isPresent()) {
      AgentId who = owner.orElse(caller.id());
      int removed = storage.deliveries().purgeDeadLetters(Optional.of(who), id);
      if (removed == 0) {
        throw new MailroomException.NotFound("no dead letter " + id.get() + " for " + who);
      }
      return removed;
    }
    return storage.deliveries().purgeDeadLetters(owner, Optional.empty());
  }

  /** The agent whose dead letters a caller may handle; empty means everyone's (admins only). */
  private static Optional<AgentId> scope(Principal caller, Optional<AgentId> agent) {
    if (caller.isAdmin()) {
      return agent;
    }
    if (agent.isPresent() && !agent.get().equals(caller.id())) {
      throw new MailroomException.Forbidden(
          "only an admin may handle another agent's dead letters");
    }
    return Optional.of(caller.id());
  }
}
