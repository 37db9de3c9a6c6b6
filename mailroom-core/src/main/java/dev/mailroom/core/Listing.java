package dev.mailroom.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A listing request as a caller makes it: a filter, an optional maximum age (resolved against the
 * clock when the listing runs), a cursor position, an order and a page size.
 */
public record Listing(
    MessageFilter filter,
    Optional<Duration> maxAge,
    Optional<MessageId> position,
    Order order,
    int limit) {

  public Listing {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(order, "order");
  }

  /** The first page of everything, oldest first. */
  public static Listing all(int limit) {
    return new Listing(MessageFilter.NONE, Optional.empty(), Optional.empty(), Order.ASC, limit);
  }

  /** The query for one mailbox at {@code now}: the maximum age becomes a lower time bound. */
  public MessageQuery toQuery(MailboxName mailbox, AgentId reader, Instant now) {
    return new MessageQuery(mailbox, reader, filterAt(now), position, order, limit);
  }

  /** The filter at {@code now}: the maximum age becomes a lower time bound. */
  public MessageFilter filterAt(Instant now) {
    MessageFilter f = filter;
    if (maxAge.isPresent()) {
      // An age reaching before the epoch means "everything"; now.minus could leave Instant's range.
      Instant oldest =
          maxAge.get().compareTo(Duration.between(Instant.EPOCH, now)) >= 0
              ? Instant.EPOCH
              : now.minus(maxAge.get());
      Instant since = f.since().filter(s -> s.isAfter(oldest)).orElse(oldest);
      f = f.withSince(since);
    }
    return f;
  }
}
