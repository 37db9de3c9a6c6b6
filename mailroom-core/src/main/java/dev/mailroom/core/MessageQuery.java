package dev.mailroom.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One page's worth of a mailbox listing.
 *
 * @param mailbox the mailbox to list
 * @param reader whose read state the {@code unread} filter and {@link Envelope#readAt()} use
 * @param filter what to include
 * @param position continue strictly after this id in the listing's order (from a cursor)
 * @param order ascending or descending id order
 * @param limit at most this many items, 1–1000
 */
public record MessageQuery(
    MailboxName mailbox,
    AgentId reader,
    MessageFilter filter,
    Optional<MessageId> position,
    Order order,
    int limit) {

  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 50;

  public MessageQuery {
    Objects.requireNonNull(mailbox, "mailbox");
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(order, "order");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw MailroomException.InvalidRequest.field("limit", "must be between 1 and " + MAX_LIMIT);
    }
  }

  /** Whether a message id lies beyond the cursor position in this query's order. */
  public boolean isPastPosition(MessageId id) {
    return position.isEmpty()
        || (order == Order.ASC
            ? id.compareTo(position.get()) > 0
            : id.compareTo(position.get()) < 0);
  }
}
