package dev.mailroom.protocol;

import java.util.List;

/** The body of {@code POST /v1/messages/batch}: the messages to send, in order (at most 100). */
public record SendBatchRequest(List<SendRequest> messages) {
  /** The most messages one batch may carry. */
  public static final int MAX_MESSAGES = 100;

  public SendBatchRequest {
    messages = List.copyOf(messages);
  }
}
