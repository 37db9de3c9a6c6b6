package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.delivery.InboxSignals;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.SubscriptionIndex;
import dev.mailroom.core.delivery.TopicService;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.PeerListener;
import dev.mailroom.server.stream.StreamHub;
import java.util.List;

/**
 * Keeps this node's in-memory views in step with what other nodes on the same store change: the
 * subscription index that routes every send, the topic configurations, and the long polls waiting
 * on an inbox (cached agents are forgotten by {@link CachingStorage}); after a resync, open streams
 * read their pending deliveries from the store again. With a store only one node opens, nothing
 * ever calls it.
 */
final class PeerSync implements PeerListener {
  private final SubscriptionIndex subscriptions;
  private final TopicService topics;
  private final InboxSignals signals;
  private final DeliveryStore store;
  private final StreamHub streams;
  private final Authenticator authenticator;
  private final AccessControl access;

  PeerSync(
      SubscriptionIndex subscriptions,
      TopicService topics,
      InboxSignals signals,
      DeliveryStore store,
      StreamHub streams,
      Authenticator authenticator,
      AccessControl access) {
    this.authenticator = authenticator;
    this.access = access;
    this.subscriptions = subscriptions;
    this.topics = topics;
    this.signals = signals;
    this.store = store;
    this.streams = streams;
  }

  @Override
  public void subscriptionSaved(Subscription subscription) {
    if (subscriptions.get(subscription.id()).isEmpty()) {
      subscriptions.add(subscription);
    }
  }

  @Override
  public void subscriptionDeleted(SubscriptionId id) {
    subscriptions.get(id).ifPresent(subscriptions::remove);
  }

  @Override
  public void topicChanged(MailboxName topic) {
    topics.reload(topic);
  }

  @Override
  public void agentChanged(AgentId agent) {
    authenticator.forget(agent);
    streams.revalidate(agent);
  }

  @Override
  public void accessChanged() {
    access.reload();
  }

  @Override
  public void reached(List<AgentId> agents) {
    agents.forEach(signals::signal);
  }

  @Override
  public void resync() {
    subscriptions.sync(store.subscriptions());
    topics.reloadAll();
    access.reload();
    authenticator.invalidateAll();
    streams.revalidateAll();
    signals.signalAll();
    streams.rewind();
  }
}
