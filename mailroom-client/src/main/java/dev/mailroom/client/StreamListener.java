package dev.mailroom.client;

import dev.mailroom.protocol.SkippedMessage;
import dev.mailroom.protocol.StreamEvent;
import java.time.Duration;
import java.util.Optional;

/**
 * Hears what happens to a {@link MessageStream}, for logs and status displays. Every method has an
 * empty default. Methods run on the stream's internal threads: keep them quick, and thread-safe.
 */
public interface StreamListener {
  /** A connection opened and the server said {@code connected}. */
  default void connected(StreamEvent.Connected event) {}

  /** The connection ended; the stream tries again after {@code retryIn}. */
  default void disconnected(String reason, Duration retryIn) {}

  /**
   * A push was not handed to the handler: its id was acknowledged already (and acknowledged again
   * now), or it still waits for the handler or is being handled.
   */
  default void duplicateDropped(StreamEvent.Delivery delivery) {}

  /** The handler threw; the message was not acknowledged, so the server will push it again. */
  default void handlerFailed(IncomingMessage message, Exception failure) {}

  /**
   * A pushed message could not be decoded (see {@link SkippedMessage#reason()}), so it was not
   * handed to the handler. It is not acknowledged either: like a message whose handler failed, the
   * server pushes it again up to its attempt limit, then moves it to the dead letters.
   */
  default void skipped(SkippedMessage message) {}

  /** The server did not understand a frame the stream sent (a bug; the stream goes on). */
  default void frameRefused(String detail) {}

  /** The stream ended: closed (no failure), or gave up (with the failure). */
  default void stopped(Optional<MailroomClientException> failure) {}
}
