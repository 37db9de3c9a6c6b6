package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import java.util.List;

/**
 * Told about every change a store commits that a node keeps a view of in memory (the subscription
 * index, topic configurations, cached agents, the access policy, open streams, waiting long polls),
 * once per change and in the order the store committed them, whichever node made the change. It is
 * the only way those views change: a node applies its own writes when the store tells it of them,
 * exactly as it applies other nodes' writes.
 *
 * <p>A store tells the listener of a write before the write's caller hears that it succeeded, so a
 * node reads its own writes through its views (with a store several nodes share, as long as the
 * store's change feed is up; when it was not, the store asks for a {@link #resync()}).
 *
 * <p>Called on one store thread (SQLite: the writer, right after each commit; Redis: the events
 * thread), so it must return quickly and never block on anything but a store read; it must never
 * write to the store. Every method does nothing unless overridden.
 */
public interface ChangeListener {
  ChangeListener NONE = new ChangeListener() {};

  /**
   * A send stored {@code message} in the inboxes of {@code reached} (never empty) and queued a
   * pushed delivery for each of {@code pushed} (those of them whose subscription pushes; maybe
   * none). A send that entered no agent's inbox changes no view and is not told.
   */
  default void stored(Message message, List<Recipient> pushed, List<AgentId> reached) {}

  /** A dead letter was replayed: its delivery to {@code recipient} is pending again. */
  default void requeued(Message message, Recipient recipient) {}

  /**
   * Deliveries to {@code agent} stopped being pending because it acknowledged or read them, by
   * whatever way (a stream, REST, MCP). {@code ids} holds only the ones that were pending.
   */
  default void acknowledged(AgentId agent, List<MessageId> ids) {}

  default void subscriptionSaved(Subscription subscription) {}

  default void subscriptionDeleted(SubscriptionId id) {}

  /** A topic's configuration was set, or the topic created or deleted. */
  default void topicChanged(MailboxName topic) {}

  /**
   * An agent was created, or its token replaced or revoked, its roles or profile replaced, or it
   * was retired or deleted.
   */
  default void agentChanged(AgentId agent) {}

  /** The access policy (permission rules, custom roles) was replaced. */
  default void accessChanged() {}

  /**
   * Changes may have been missed (the store's change feed was down for a while): reload every view
   * from the store.
   */
  default void resync() {}
}
