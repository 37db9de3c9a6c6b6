package dev.mailroom.testkit;

import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.spi.DeliveryListener;
import dev.mailroom.core.spi.Recipient;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DeliveryListener} that remembers every call, in the order the store made them.
 * Thread-safe: a store may call it from any thread.
 */
final class RecordingListener implements DeliveryListener {
  /** One call: the message and the recipients it was queued for. */
  record Call(Message message, List<Recipient> recipients) {}

  private final List<Call> calls = new ArrayList<>();

  @Override
  public synchronized void queued(Message message, List<Recipient> recipients) {
    calls.add(new Call(message, List.copyOf(recipients)));
  }

  /** Every call so far, oldest first. */
  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The message ids of every call so far, oldest first. */
  synchronized List<MessageId> ids() {
    return calls.stream().map(c -> c.message().id()).toList();
  }
}
