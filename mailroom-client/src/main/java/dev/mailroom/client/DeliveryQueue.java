package dev.mailroom.client;

import dev.mailroom.protocol.StreamEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import org.jspecify.annotations.Nullable;

/**
 * The deliveries received and not yet handled, with the back-pressure of the stream: the reader
 * reads the next frame only while the queue is below capacity; once it is full the reader stops and
 * the queue calls the reader's resume action when the handler has taken enough. Thread-safe.
 */
final class DeliveryQueue {
  private static final Object STOP = new Object();

  private final int capacity;
  private final LinkedBlockingDeque<Object> items = new LinkedBlockingDeque<>();
  private @Nullable Runnable resume;
  private boolean stopped;

  DeliveryQueue(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Adds deliveries. Answers whether the reader may read on; if not, {@code resume} runs once the
   * queue is below capacity again.
   */
  synchronized boolean offer(List<StreamEvent.Delivery> deliveries, Runnable resume) {
    if (stopped) {
      return true;
    }
    items.addAll(deliveries);
    if (items.size() < capacity) {
      return true;
    }
    this.resume = resume;
    return false;
  }

  /** The next delivery, waiting for one; empty once {@link #stop()} was called. */
  Optional<StreamEvent.Delivery> take() throws InterruptedException {
    Object item = items.take();
    if (item == STOP) {
      items.addFirst(STOP); // every later take sees it too
      return Optional.empty();
    }
    Runnable r = null;
    synchronized (this) {
      if (resume != null && items.size() < capacity) {
        r = resume;
        resume = null;
      }
    }
    if (r != null) {
      r.run();
    }
    return Optional.of((StreamEvent.Delivery) item);
  }

  /** Discards what waits; every {@link #take()} from now on answers empty. */
  synchronized void stop() {
    stopped = true;
    resume = null;
    items.clear();
    items.addFirst(STOP);
  }

  synchronized int size() {
    return items.size();
  }
}
