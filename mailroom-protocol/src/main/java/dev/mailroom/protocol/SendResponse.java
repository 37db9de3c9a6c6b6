package dev.mailroom.protocol;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer to a send ({@code POST /v1/messages}).
 *
 * @param id the message id
 * @param timestamp when the message was stored
 * @param recipients how many mailboxes it was put in
 * @param duplicate {@code true} when the send repeated an idempotency key and nothing new was
 *     stored; left out otherwise
 */
public record SendResponse(
    String id, Instant timestamp, int recipients, Optional<Boolean> duplicate) {

  public SendResponse {
    duplicate = duplicate == null ? Optional.empty() : duplicate;
  }
}
