package dev.mailroom.client;

import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.StreamEvent;
import java.util.List;

/**
 * A message pushed over a stream, as handed to a {@link MessageHandler}. Thread-safe: {@link
 * #ack()} may be called from any thread, also after the handler returned.
 */
public final class IncomingMessage {
  private final StreamEvent.Delivery delivery;
  private final Runnable ack;

  IncomingMessage(StreamEvent.Delivery delivery, Runnable ack) {
    this.delivery = delivery;
    this.ack = ack;
  }

  /** The message id. */
  public String id() {
    return delivery.id();
  }

  public MessageView message() {
    return delivery.message();
  }

  /**
   * The files the message carries, in order (empty when none); fetch them with {@link
   * MailroomClient#attachments()}. Their names come from the sender: never use one as a path
   * unchecked.
   */
  public List<AttachmentView> attachments() {
    return delivery.message().attachments();
  }

  /** {@code inbox} for the agent's own mailbox, else the id of the subscription it came through. */
  public String subscriptionId() {
    return delivery.subscriptionId();
  }

  /** 1 on the first push; more when the server pushes it again. */
  public int attempt() {
    return delivery.attempt();
  }

  /** The delivery as pushed. */
  public StreamEvent.Delivery delivery() {
    return delivery;
  }

  /**
   * Acknowledges the delivery (at once over the stream, or as soon as it is connected again), and
   * remembers the id so that the stream never hands it to the handler again. Idempotent. With
   * {@link StreamOptions.AckMode#AUTO} the stream does this when the handler returns.
   */
  public void ack() {
    ack.run();
  }

  @Override
  public String toString() {
    return "IncomingMessage[id=" + id() + ", attempt=" + attempt() + "]";
  }
}
