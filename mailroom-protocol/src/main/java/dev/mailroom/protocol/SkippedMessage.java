package dev.mailroom.protocol;

import java.util.Optional;

/**
 * A message a client received but could not decode (its payload nested deeper, or a number longer,
 * than the client reads; or a field of a type it does not expect: an older client, a corrupted
 * store). The client leaves it out of what it answers and lists it here instead, so one such
 * message never makes the rest unreadable. A server never sends these.
 *
 * @param id the message's id, when it could be read
 * @param reason what could not be decoded, e.g. {@code payload: is nested deeper than 1008 levels}
 */
public record SkippedMessage(Optional<String> id, String reason) {
  public SkippedMessage {
    id = id == null ? Optional.empty() : id;
  }

  /** The id, or {@code (unknown id)}, for messages to people. */
  public String idOrUnknown() {
    return id.orElse("(unknown id)");
  }
}
