package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.NodeViews;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.server.stream.StreamHub;
import java.util.List;

/**
 * Keeps the transport's views in step with every committed change, this node's own and other nodes'
 * alike ({@link NodeViews} passes every change on to it): pushes stored and replayed deliveries to
 * the open streams, tells a stream its deliveries were acknowledged (through REST, MCP or the
 * stream itself), ends streams whose token no longer works, forgets cached credentials, and reloads
 * the access policy. Cached agents are forgotten by {@link CachingStorage}.
 */
final class TransportViews implements ChangeListener {
  private final StreamHub streams;
  private final CachingStorage agents;
  private final Authenticator authenticator;
  private final AccessControl access;

  TransportViews(
      StreamHub streams, CachingStorage agents, Authenticator authenticator, AccessControl access) {
    this.streams = streams;
    this.agents = agents;
    this.authenticator = authenticator;
    this.access = access;
  }

  @Override
  public void stored(Message message, List<Recipient> pushed, List<AgentId> reached) {
    if (!pushed.isEmpty()) {
      streams.queued(message, pushed);
    }
  }

  @Override
  public void requeued(Message message, Recipient recipient) {
    streams.queued(message, List.of(recipient));
  }

  @Override
  public void acknowledged(AgentId agent, List<MessageId> ids) {
    streams.acknowledged(agent, ids);
  }

  @Override
  public void agentChanged(AgentId agent) {
    agents.forget(agent);
    authenticator.forget(agent);
    streams.revalidate(agent);
  }

  @Override
  public void accessChanged() {
    access.reload();
  }

  @Override
  public void resync() {
    agents.forgetAll();
    access.reload();
    authenticator.invalidateAll();
    streams.revalidateAll();
    streams.rewind();
  }
}
