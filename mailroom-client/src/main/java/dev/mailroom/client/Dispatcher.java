package dev.mailroom.client;

import dev.mailroom.protocol.StreamEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Decides which pushed deliveries reach the handler, runs it, and acknowledges. A delivery whose id
 * was acknowledged (and is still remembered) is acknowledged again and dropped: the server pushes
 * again what it did not record as acknowledged, e.g. when a connection dropped with the
 * acknowledgement on its way. A delivery whose id waits in the queue or is being handled is dropped
 * too (a redelivery while the handler is slow). Thread-safe: {@link #admit} runs on the reading
 * thread, {@link #dispatch} on the handler thread, {@link #acknowledge} anywhere.
 */
final class Dispatcher {
  private final MessageHandler handler;
  private final StreamOptions.AckMode mode;
  private final RecentIds acknowledged;
  private final Consumer<String> acks;
  private final StreamListener listener;
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();

  /**
   * @param acks sends an acknowledgement of a message id to the server
   */
  Dispatcher(
      MessageHandler handler,
      StreamOptions.AckMode mode,
      int rememberedIds,
      Consumer<String> acks,
      StreamListener listener) {
    this.handler = handler;
    this.mode = mode;
    this.acknowledged = new RecentIds(rememberedIds);
    this.acks = acks;
    this.listener = listener;
  }

  /** Whether a delivery just received should be queued for the handler. */
  boolean admit(StreamEvent.Delivery d) {
    if (acknowledged.contains(d.id())) {
      acks.accept(d.id());
      listener.duplicateDropped(d);
      return false;
    }
    if (!waiting.add(d.id())) {
      listener.duplicateDropped(d);
      return false;
    }
    return true;
  }

  /** Hands an admitted delivery to the handler; acknowledges it if so configured and it returns. */
  void dispatch(StreamEvent.Delivery d) {
    try {
      if (acknowledged.contains(d.id())) {
        return; // acknowledged by hand while it waited
      }
      IncomingMessage message = new IncomingMessage(d, () -> acknowledge(d.id()));
      try {
        handler.onMessage(message);
      } catch (Exception e) {
        listener.handlerFailed(message, e);
        return;
      }
      if (mode == StreamOptions.AckMode.AUTO) {
        acknowledge(d.id());
      }
    } finally {
      waiting.remove(d.id());
    }
  }

  /** Acknowledges a message id once, and remembers it. */
  void acknowledge(String id) {
    if (acknowledged.add(id)) {
      acks.accept(id);
    }
  }
}
