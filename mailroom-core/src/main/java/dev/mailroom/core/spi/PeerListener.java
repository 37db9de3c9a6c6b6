package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import java.util.List;

/**
 * Told what other nodes sharing the store changed, so that the views each node keeps in memory (the
 * subscription index, topic configurations, cached agents, waiting long polls) follow at once.
 * Deliveries those nodes queued reach the {@link DeliveryListener} instead. Called on one store
 * thread, in the order the changes were made; must return quickly and must not block, but may read
 * the store.
 */
public interface PeerListener {
  PeerListener NONE =
      new PeerListener() {
        @Override
        public void subscriptionSaved(Subscription subscription) {}

        @Override
        public void subscriptionDeleted(SubscriptionId id) {}

        @Override
        public void topicChanged(MailboxName topic) {}

        @Override
        public void agentChanged(AgentId agent) {}

        @Override
        public void accessChanged() {}

        @Override
        public void reached(List<AgentId> agents) {}

        @Override
        public void resync() {}
      };

  void subscriptionSaved(Subscription subscription);

  void subscriptionDeleted(SubscriptionId id);

  /** A topic's configuration was set or removed, or the topic deleted. */
  void topicChanged(MailboxName topic);

  /** An agent was created, or its token replaced or revoked, or its roles replaced. */
  void agentChanged(AgentId agent);

  /** The access policy (permission rules, custom roles) was replaced. */
  void accessChanged();

  /** A send put a message in these agents' inboxes. */
  void reached(List<AgentId> agents);

  /**
   * Changes may have been missed (the connection to the other nodes was lost for a while): reload
   * every view from the store.
   */
  void resync();
}
