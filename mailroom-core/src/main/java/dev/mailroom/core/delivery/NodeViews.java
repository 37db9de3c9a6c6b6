package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Recipient;
import java.util.List;
import java.util.Objects;

/**
 * The one place where a node's in-memory views follow the store: the storage's {@link
 * ChangeListener}. It keeps the core's views (the subscription index that routes every send, the
 * topic configurations, the long polls waiting on an inbox) in step with every committed change,
 * the node's own as well as other nodes', and passes every change on to {@code transport}, which
 * keeps the transport's views (open streams, cached agents, the access policy in force).
 *
 * <p>Nothing else changes those views: the services write to the store and rely on this listener,
 * which the store calls before the write returns, for the views to follow.
 */
public final class NodeViews implements ChangeListener {
  private final SubscriptionIndex subscriptions;
  private final TopicService topics;
  private final InboxSignals signals;
  private final DeliveryStore store;
  private final ChangeListener transport;

  public NodeViews(
      SubscriptionIndex subscriptions,
      TopicService topics,
      InboxSignals signals,
      DeliveryStore store,
      ChangeListener transport) {
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    this.topics = Objects.requireNonNull(topics, "topics");
    this.signals = Objects.requireNonNull(signals, "signals");
    this.store = Objects.requireNonNull(store, "store");
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  @Override
  public void stored(Message message, List<Recipient> pushed, List<AgentId> reached) {
    transport.stored(message, pushed, reached);
    reached.forEach(signals::signal);
  }

  @Override
  public void requeued(Message message, Recipient recipient) {
    transport.requeued(message, recipient);
  }

  @Override
  public void acknowledged(AgentId agent, List<MessageId> ids) {
    transport.acknowledged(agent, ids);
  }

  @Override
  public void subscriptionSaved(Subscription subscription) {
    // A subscription never changes once saved, so one already held is this one.
    if (subscriptions.get(subscription.id()).isEmpty()) {
      subscriptions.add(subscription);
    }
    transport.subscriptionSaved(subscription);
  }

  @Override
  public void subscriptionDeleted(SubscriptionId id) {
    subscriptions.get(id).ifPresent(subscriptions::remove);
    transport.subscriptionDeleted(id);
  }

  @Override
  public void topicChanged(MailboxName topic) {
    topics.reload(topic);
    transport.topicChanged(topic);
  }

  @Override
  public void agentChanged(AgentId agent) {
    transport.agentChanged(agent);
  }

  @Override
  public void accessChanged() {
    transport.accessChanged();
  }

  @Override
  public void resync() {
    subscriptions.sync(store.subscriptions());
    topics.reloadAll();
    transport.resync();
    signals.signalAll();
  }
}
