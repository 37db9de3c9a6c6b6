package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.core.delivery.SubscriptionIndex;
import dev.mailroom.core.spi.DeliveryStore;
import java.time.InstantSource;
import java.util.List;

/** What every stream of a node shares: the store, the subscriptions, settings and bookkeeping. */
interface StreamContext {
  DeliveryStore store();

  SubscriptionIndex subscriptions();

  DeliverySettings settings();

  StreamFrames frames();

  /** The time heartbeats report. */
  InstantSource clock();

  StreamMetrics metrics();

  /** A message ready to be pushed, rendered at most once however many streams push it. */
  RenderedMessage render(Message message);

  /** Whether the agent may read this message now (its permissions may have changed). */
  boolean mayRead(AgentId agent, Message message);

  /**
   * The agent's acknowledgements over its stream were written: their receipts and obligations are
   * told. Never throws: a failure there must not make the store's acknowledgements be written
   * again.
   */
  void acknowledgedOverStream(AgentId agent, List<MessageId> ids);

  /** The stream has ended and closed its transport. */
  void ended(StreamSession session);
}
