package dev.mailroom.protocol;

import java.util.List;

/**
 * The answer to {@code POST /v1/messages/batch}: one {@link SendResponse} per message sent, in the
 * order of the request.
 */
public record SendBatchResponse(List<SendResponse> messages) {
  public SendBatchResponse {
    messages = List.copyOf(messages);
  }
}
