package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Optional;

/**
 * The answer to a request that waits for its reply ({@code POST /v1/messages/ask}).
 *
 * @param sent the send, as {@code POST /v1/messages} answers it
 * @param threadId the thread the reply was awaited in
 * @param reply the first message of that thread to reach the asker's mailbox after the request;
 *     {@code null} when none came in time
 * @param timedOut whether the wait ended without a reply
 */
public record AskResponse(
    SendResponse sent,
    String threadId,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<MessageView> reply,
    boolean timedOut) {
  public AskResponse {
    reply = reply == null ? Optional.empty() : reply;
  }
}
