package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import java.util.List;
import java.util.Objects;

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
   * Into one mailbox, and from there to its subscribers. A store creates the mailbox with {@code
   * kind} if it does not exist, and refuses with {@link
   * dev.mailroom.core.MailroomException.Conflict} if it exists with another kind. An {@link
   * MailboxKind#AGENT} mailbox exists exactly when its agent does; a message put there is also
   * queued for that agent's stream under {@link dev.mailroom.core.delivery.SubscriptionId#INBOX}.
   *
   * @param subscribers for shared mailboxes and topics: at most one per agent, none for the sender
   *     nor for an agent that does not exist (the store skips both if given)
   */
  record ToMailbox(MailboxName name, MailboxKind kind, List<Recipient> subscribers)
      implements Route {
    public ToMailbox {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      subscribers = List.copyOf(subscribers);
      if (kind == MailboxKind.AGENT && !subscribers.isEmpty()) {
        throw new IllegalArgumentException("an agent mailbox has no subscribers");
      }
    }

    /** Into one mailbox that nobody subscribes to. */
    public ToMailbox(MailboxName name, MailboxKind kind) {
      this(name, kind, List.of());
    }
  }

  /**
   * Into every agent's personal mailbox except {@code sender}'s, as of the moment of the send, each
   * also queued for that agent's stream under {@link
   * dev.mailroom.core.delivery.SubscriptionId#INBOX}.
   */
  record ToAllAgents(AgentId sender) implements Route {}
}
