package dev.mailroom.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A subscription to the agent's stream ({@code GET /v1/stream} over a WebSocket) that keeps itself
 * connected; see {@link MailroomClient#stream} for what it guarantees. Thread-safe.
 */
public interface MessageStream extends AutoCloseable {

  /** Where a stream is in its life. */
  enum State {
    /** Opening a connection. */
    CONNECTING,
    /** Connected: the server said {@code connected}. */
    CONNECTED,
    /** Lost its connection; waiting out the back-off before the next attempt. */
    WAITING_TO_RECONNECT,
    /** Closed by {@link #close()}. */
    CLOSED,
    /** Gave up: see {@link #failure()}. */
    FAILED
  }

  State state();

  /** The id of the last message received, sent as {@code last_event_id} when reconnecting. */
  Optional<String> lastEventId();

  /**
   * Why the stream gave up, once {@link State#FAILED}: the token was refused, the request was
   * refused, a newer stream of the same agent displaced it, or reconnecting failed more times in a
   * row than allowed.
   */
  Optional<MailroomClientException> failure();

  /**
   * Waits until the stream is closed or failed.
   *
   * @return whether it ended within {@code timeout}
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Stops the stream: it stops reading, lets the handler finish the message it is handling (never
   * interrupting it), sends the acknowledgements it owes, closes the connection and discards what
   * was received but not yet handled (the server pushes that again to the agent's next stream).
   * Returns at once; {@link #awaitTermination} waits for the end. Idempotent, and safe to call from
   * the handler.
   */
  @Override
  void close();
}
