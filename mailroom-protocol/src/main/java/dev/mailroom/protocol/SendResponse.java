package dev.mailroom.protocol;

import java.time.Instant;
import java.util.Optional;

/**
 * The answer to a send ({@code POST /v1/messages}).
 *
 * @param id the message id
 * @param timestamp when the message was accepted (the time in its id)
 * @param recipients how many mailboxes it was put in (for a spooled send: how many it was routed
 *     to)
 * @param duplicate {@code true} when the send repeated an idempotency key and nothing new was
 *     stored; left out otherwise
 * @param spooled {@code true} when the server's store (Redis) could not take the message and the
 *     node kept it in its local durable spool, to store it under this id once the store is back;
 *     left out otherwise
 */
public record SendResponse(
    String id,
    Instant timestamp,
    int recipients,
    Optional<Boolean> duplicate,
    Optional<Boolean> spooled) {

  public SendResponse {
    duplicate = duplicate == null ? Optional.empty() : duplicate;
    spooled = spooled == null ? Optional.empty() : spooled;
  }

  /** An answer that was not spooled. */
  public SendResponse(String id, Instant timestamp, int recipients, Optional<Boolean> duplicate) {
    this(id, timestamp, recipients, duplicate, Optional.empty());
  }
}
