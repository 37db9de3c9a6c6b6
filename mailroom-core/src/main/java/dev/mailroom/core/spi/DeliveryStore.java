package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions, and the queue of deliveries each agent's stream works through. A delivery is the
 * pair (agent, message): one per agent however many of its subscriptions match, created by {@link
 * MessageStore#send} in the same all-or-nothing step as the message. It is <em>pending</em> until
 * acknowledged, dead-lettered, dropped from a full subscription queue, or expired with its message;
 * only pending deliveries of live messages are ever returned by {@link #pending}.
 *
 * <p>The storage's {@link ChangeListener} is told of every subscription saved or deleted, every
 * acknowledgement that settled a pending delivery, and every replay.
 *
 * <p>Thread-safe; every write is durable when it returns. Every method may throw {@link
 * dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface DeliveryStore {

  /**
   * Stores a subscription, unless its agent already has {@code maxPerAgent} or more: the count and
   * the write are one atomic step, so concurrent saves (on any node of the store) cannot together
   * pass the cap.
   *
   * @return false, having stored nothing, when the agent holds its maximum
   * @throws dev.mailroom.core.MailroomException.Conflict if its id is taken
   */
  boolean saveSubscription(Subscription subscription, int maxPerAgent);

  /**
   * Stores a subscription, whatever its agent holds.
   *
   * @throws dev.mailroom.core.MailroomException.Conflict if its id is taken
   */
  default void saveSubscription(Subscription subscription) {
    saveSubscription(subscription, Integer.MAX_VALUE);
  }

  /** How many subscriptions the agent has. */
  int subscriptionCount(AgentId agent);

  /**
   * Removes a subscription. Its pending deliveries stop being pending (the messages stay in the
   * agent's inbox). False if there was no such subscription.
   */
  boolean deleteSubscription(SubscriptionId id);

  Optional<Subscription> subscription(SubscriptionId id);

  /** Every subscription, ordered by id. */
  List<Subscription> subscriptions();

  /**
   * How many pending deliveries came through the subscription (deliveries of expired messages may
   * count until the cleaner removes them).
   */
  long queued(SubscriptionId id);

  /**
   * Up to {@code limit} of the agent's pending deliveries, by ascending message id, after {@code
   * after} (exclusive) when given.
   */
  List<Delivery> pending(AgentId agent, Optional<MessageId> after, int limit);

  /**
   * Acknowledges deliveries: each pending one among them stops being pending. Returns how many were
   * pending; unknown ids and ones that were not pending are ignored.
   */
  int acknowledge(AgentId agent, List<MessageId> ids);

  /**
   * Records that a pending delivery has been pushed {@code attempts} times; false if not pending.
   */
  boolean recordAttempts(AgentId agent, MessageId id, int attempts);

  /**
   * Moves a pending delivery to the dead-letter queue with a reason, keeping its attempt count.
   * False if it was not pending.
   */
  boolean deadLetter(AgentId agent, MessageId id, int attempts, String reason);

  /** One dead letter of a live message. */
  Optional<DeadLetter> deadLetter(AgentId agent, MessageId id);

  /**
   * Dead letters of live messages by ascending message id, of one agent or of all, after {@code
   * after} (exclusive) when given, at most {@code limit}.
   */
  List<DeadLetter> deadLetters(Optional<AgentId> agent, Optional<MessageId> after, int limit);

  /**
   * Makes a dead letter pending again with no attempts recorded, and tells the listener ({@link
   * ChangeListener#requeued}). False if there is no such dead letter.
   */
  boolean replay(AgentId agent, MessageId id);

  /**
   * Removes dead letters from the queue (the messages stay in the inboxes): one when {@code id} is
   * given, else every one of the agent's, or of all agents when {@code agent} is empty. Returns how
   * many were removed.
   */
  int purgeDeadLetters(Optional<AgentId> agent, Optional<MessageId> id);

  /** Counts of pending deliveries, dead letters and subscriptions across every agent. */
  DeliveryTotals totals();

  /**
   * The {@code limit} largest backlogs, most pending first (then by agent and way in): one per
   * agent and way in (its inbox or a subscription) that has a pending delivery.
   *
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<Backlog> backlogs(int limit);

  /** The backlog of one agent through one way in, if it has a pending delivery. */
  Optional<Backlog> backlog(AgentId agent, SubscriptionId subscription);
}
