package dev.mailroom.client;

/**
 * Handles the messages a {@link MessageStream} receives. It runs on the stream's own handler
 * thread, one message at a time, in the order received.
 */
@FunctionalInterface
public interface MessageHandler {
  /**
   * Handles one message. Returning normally means handled: with {@link StreamOptions.AckMode#AUTO}
   * the stream acknowledges it and never hands the same id to the handler again. Throwing means not
   * handled: nothing is acknowledged, and the server pushes the message again (as the next attempt)
   * after its acknowledgement deadline, until its attempts run out and it becomes a dead letter.
   */
  void onMessage(IncomingMessage message) throws Exception;
}
