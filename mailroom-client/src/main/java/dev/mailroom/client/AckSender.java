package dev.mailroom.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends acknowledgements over the stream's current connection as {@code {"type":"ack","ids":[...]}}
 * frames: one frame at a time (a WebSocket allows one outstanding send), each with every id that
 * gathered meanwhile, up to the server's 1000 per frame. Ids that could not be sent (no connection,
 * or it broke) wait for the next connection. Thread-safe.
 */
final class AckSender {
  static final int MAX_PER_FRAME = 1000;

  /** Where frames go: the current connection. */
  interface FrameSender {
    /** Sends a text frame; completes when written, exceptionally when it could not be. */
    CompletableFuture<?> sendText(String text);
  }

  private final Supplier<Optional<FrameSender>> connection;
  private final JsonMapper mapper;
  private final ArrayDeque<String> pending = new ArrayDeque<>();
  private final ArrayDeque<String> recentlySent = new ArrayDeque<>();
  private @Nullable CompletableFuture<?> sending;

  /**
   * @param connection the current connection, once the server said {@code connected}
   */
  AckSender(Supplier<Optional<FrameSender>> connection, JsonMapper mapper) {
    this.connection = connection;
    this.mapper = mapper;
  }

  void add(String id) {
    synchronized (this) {
      pending.add(id);
    }
    flush();
  }

  /** Sends what waits, if there is a connection and no frame on its way. */
  void flush() {
    Optional<FrameSender> c = connection.get();
    if (c.isEmpty()) {
      return;
    }
    List<String> batch = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (sending != null || pending.isEmpty()) {
        return;
      }
      while (!pending.isEmpty() && batch.size() < MAX_PER_FRAME) {
        batch.add(pending.poll());
      }
      sending = done;
    }
    String frame = mapper.writeValueAsString(Map.of("type", "ack", "ids", batch));
    c.get()
        .sendText(frame)
        .whenComplete(
            (ok, failed) -> {
              synchronized (this) {
                sending = null;
                if (failed != null) {
                  for (int i = batch.size() - 1; i >= 0; i--) {
                    pending.addFirst(batch.get(i));
                  }
                } else {
                  for (String id : batch) {
                    recentlySent.addLast(id);
                    if (recentlySent.size() > MAX_PER_FRAME) {
                      recentlySent.removeFirst();
                    }
                  }
                }
              }
              done.complete(null);
              if (failed == null) {
                flush();
              }
            });
  }

  /** The connection was lost: what was sent over it last goes again over the next one. */
  synchronized void connectionLost() {
    while (!recentlySent.isEmpty()) {
      pending.addFirst(recentlySent.removeLast());
    }
  }

  /**
   * Sends everything that waits, and waits until it is written, up to {@code timeout}: for closing
   * the stream without leaving acknowledgements behind.
   */
  boolean drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      flush();
      CompletableFuture<?> s;
      synchronized (this) {
        s = sending;
        if (s == null) {
          return pending.isEmpty();
        }
      }
      try {
        s.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }
    return false;
  }

  synchronized int pending() {
    return pending.size();
  }
}
