package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ChangeListener} that remembers every call, in the order the store made them: the
 * deliveries it was told of as {@link Call}s, and every change as one line of text. Thread-safe: a
 * store may call it from any thread.
 */
final class RecordingListener implements ChangeListener {
  /** Deliveries queued by a send or a replay: the message and the pushed recipients. */
  record Call(Message message, List<Recipient> recipients) {}

  private final List<Call> calls = new ArrayList<>();
  private final List<String> changes = new ArrayList<>();

  @Override
  public synchronized void stored(Message message, List<Recipient> pushed, List<AgentId> reached) {
    if (!pushed.isEmpty()) {
      calls.add(new Call(message, List.copyOf(pushed)));
    }
    changes.add(
        "stored "
            + message.id()
            + " reached "
            + reached.stream().map(AgentId::value).sorted().toList()
            + " pushed "
            + pushed.stream().map(r -> r.agent().value()).sorted().toList());
  }

  @Override
  public synchronized void requeued(Message message, Recipient recipient) {
    calls.add(new Call(message, List.of(recipient)));
    changes.add("requeued " + message.id() + " for " + recipient.agent());
  }

  @Override
  public synchronized void acknowledged(AgentId agent, List<MessageId> ids) {
    changes.add("acknowledged " + agent + " " + ids);
  }

  @Override
  public synchronized void subscriptionSaved(Subscription subscription) {
    changes.add("subscription saved " + subscription.id());
  }

  @Override
  public synchronized void subscriptionDeleted(SubscriptionId id) {
    changes.add("subscription deleted " + id);
  }

  @Override
  public synchronized void topicChanged(MailboxName topic) {
    changes.add("topic changed " + topic);
  }

  @Override
  public synchronized void agentChanged(AgentId agent) {
    changes.add("agent changed " + agent);
  }

  @Override
  public synchronized void accessChanged() {
    changes.add("access changed");
  }

  /** The deliveries told so far, oldest first. */
  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The message ids of the deliveries told so far, oldest first. */
  synchronized List<MessageId> ids() {
    return calls.stream().map(c -> c.message().id()).toList();
  }

  /** Every change told so far, oldest first. */
  synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  /** Forgets what it was told so far. */
  synchronized void clear() {
    calls.clear();
    changes.clear();
  }
}
