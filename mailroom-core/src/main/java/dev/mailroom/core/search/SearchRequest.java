package dev.mailroom.core.search;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageQuery;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a search, as a store answers it ({@link dev.mailroom.core.spi.MessageStore#search}).
 *
 * @param query what must match
 * @param reader whose read state the {@code unread} filter and read times use
 * @param everywhere true: every live message; false: only the reader's ({@link
 *     dev.mailroom.core.spi.MessageStore#search} says which)
 * @param mailbox only messages in this mailbox, when given
 * @param filter the listing filters, all of which a hit passes
 * @param after continue strictly after this position (from a cursor)
 * @param limit at most this many hits, 1–{@link MessageQuery#MAX_LIMIT}
 */
public record SearchRequest(
    SearchQuery query,
    AgentId reader,
    boolean everywhere,
    Optional<MailboxName> mailbox,
    MessageFilter filter,
    Optional<SearchPosition> after,
    int limit) {
  public SearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(mailbox, "mailbox");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(after, "after");
    if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
  }

  /** This request continuing after another position, for another number of hits. */
  public SearchRequest continuing(Optional<SearchPosition> position, int size) {
    return new SearchRequest(query, reader, everywhere, mailbox, filter, position, size);
  }
}
