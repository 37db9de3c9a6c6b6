package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;

/** Where a store puts a new message. */
public sealed interface Route {

  /**
   * The recipient count a send reports when it reached {@code mailboxes} mailboxes. A topic's own
   * history is where the message is kept, not someone it was delivered to, so it does not count;
   * subscribers do.
   */
  default int recipients(int mailboxes) {
    return this instanceof ToMailbox to && to.kind() == MailboxKind.TOPIC
        ? mailboxes - 1
        : mailboxes;
  }

  /**
   * Into one mailbox. A store creates the mailbox with {@code kind} if it does not exist, and
   * refuses with {@link dev.mailroom.core.MailroomException.Conflict} if it exists with another
   * kind. An {@link MailboxKind#AGENT} mailbox exists exactly when its agent does.
   */
  record ToMailbox(MailboxName name, MailboxKind kind) implements Route {}

  /** Into every agent's personal mailbox except {@code sender}'s, as of the moment of the send. */
  record ToAllAgents(AgentId sender) implements Route {}
}
