package dev.mailroom.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A message as one reader sees it in a listing.
 *
 * @param message the message
 * @param readAt when this reader marked it read; empty while unread
 */
public record Envelope(Message message, Optional<Instant> readAt) {
  public boolean isRead() {
    return readAt.isPresent();
  }
}
