package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.spi.Recipient;
import java.util.Optional;

/**
 * A mailbox that receives the message being sent, with its size after the send, and the delivery
 * queued with its entry: none for a shared or topic mailbox's own entry.
 */
record Target(String mailbox, MailboxKind kind, long size, Optional<Recipient> via) {

  boolean pushed() {
    return via.isPresent() && via.get().push();
  }
}
