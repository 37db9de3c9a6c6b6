package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Messages, mailboxes and per-reader read state. Implementations are thread-safe and take time from
 * the clock they were created with. Expired messages (past {@link Message#expiresAt()}) are
 * invisible to every read method even before a cleaning pass removes them. Every method may throw
 * {@link dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface MessageStore {

  /**
   * Stores a message and puts it in the mailboxes of its route, all or nothing, and returns only
   * once the message is durable. The store assigns a fresh id greater than every id it assigned
   * before. If the sender used the message's idempotency key within the dedupe window, nothing is
   * stored and the original id comes back as a {@link SendResult.Duplicate}. An agent mailbox that
   * is full drops its oldest entries to make room. The message's obligation ({@link
   * dev.mailroom.core.receipt.Obligation#askedBy}) is stored with it, for {@link
   * Storage#obligations} to find: in the same step where the backend can (memory, SQLite), else
   * right after it, before the send returns (Redis, whose obligations live in a slot of their own).
   *
   * @throws dev.mailroom.core.MailroomException.Conflict if the route's mailbox exists with another
   *     kind, or an agent mailbox is named whose agent does not exist
   */
  SendResult send(OutgoingMessage message, Route route);

  /** One message of {@link #sendAll} and its route. */
  record Send(OutgoingMessage message, Route route) {
    public Send {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(route, "route");
    }
  }

  /**
   * Stores messages as {@link #send} does, in order (ids ascending in list order), and returns
   * their results in that order once all are durable. A store that can make them durable together
   * (one commit, one sync) should: that is the point of a batch. All or nothing: a batch in which
   * one send would be refused stores none of them (a mailbox an earlier send of the batch would
   * create counts). The default sends them one by one, which holds that only while no send can be
   * refused; every store here overrides it (SQLite: one writer task; Redis: one script).
   *
   * @throws dev.mailroom.core.MailroomException.Conflict as {@link #send} does, for the first
   *     message it concerns; nothing is stored
   */
  default List<SendResult> sendAll(List<Send> sends) {
    List<SendResult> results = new ArrayList<>(sends.size());
    for (Send s : sends) {
      results.add(send(s.message(), s.route()));
    }
    return results;
  }

  /** A live message by id. */
  Optional<Message> find(MessageId id);

  /** Whether a live message is in a mailbox. */
  boolean contains(MailboxName mailbox, MessageId id);

  /** A mailbox, if it exists. */
  Optional<MailboxInfo> mailbox(MailboxName name);

  /** A mailbox's statistics, if it exists; unread counts are {@code reader}'s. */
  Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader);

  /**
   * One page of a mailbox's live messages that pass the query's filter, in the query's order,
   * starting after its position. {@link Page#next()} is present exactly when more items follow. An
   * unknown mailbox gives an empty page.
   */
  Page<Envelope> query(MessageQuery query);

  /**
   * One page of a thread's live messages ({@link MessageFilter#inThread}), whichever mailboxes hold
   * them, in {@code order} of id, strictly after {@code position} when given, with {@code reader}'s
   * read times. {@link Page#next()} is present exactly when more follow. Whether the reader may
   * read them is the caller's business: the store answers for every message.
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and {@link
   *     MessageQuery#MAX_LIMIT}
   */
  Page<Envelope> thread(
      ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit);

  /**
   * One page of the live messages that match a full-text query ({@link
   * dev.mailroom.core.search.SearchDocument} says what is indexed) and pass the request's filter,
   * in rank order ({@link dev.mailroom.core.search.Relevance}: highest first, ties by id
   * descending), strictly after {@link SearchRequest#after} when given, with the reader's read
   * times. {@link SearchPage#next()} is present exactly when more follow.
   *
   * <p>Which messages are searched: with {@link SearchRequest#mailbox} given, those in that mailbox
   * (as {@link #contains} says); otherwise every live message when {@link
   * SearchRequest#everywhere}; otherwise the reader's: those it sent, those sent to its own
   * mailbox, broadcasts its mailbox holds, and those sent to a shared mailbox or topic. Whether an
   * access policy lets the reader read them is the caller's business.
   */
  SearchPage search(SearchRequest request);

  /** How many live messages in a mailbox the reader has not marked read. */
  long unreadCount(MailboxName mailbox, AgentId reader);

  /**
   * Marks a live message read for one reader; the first read time is kept when it is marked again.
   * Returns false if there is no such live message.
   */
  boolean markRead(MessageId id, AgentId reader);

  /** Marks a live message unread for one reader. Returns false if there is no such message. */
  boolean markUnread(MessageId id, AgentId reader);

  /**
   * At most {@code limit} of the live message's readers in {@link ReadReceipt#ORDER} (read time,
   * then reader), after {@code after} (exclusive) when given: one page of {@link
   * #readers(MessageId)}. Empty for a message that does not exist or has expired.
   *
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit);

  /** Who has the message marked read, and since when, in {@link ReadReceipt#ORDER}. */
  default List<ReadReceipt> readers(MessageId id) {
    return readers(id, Optional.empty(), Integer.MAX_VALUE);
  }

  /**
   * Which of {@code blobs} a stored message (live, or expired but not yet removed) carries as an
   * attachment. The default says all of them, which keeps every blob; every store here answers
   * exactly.
   */
  default Set<BlobId> referenced(Set<BlobId> blobs) {
    return Set.copyOf(blobs);
  }

  /**
   * Removes expired messages, read state past its retention and idempotency keys past the dedupe
   * window, at most about {@code maxRows} of each in one call.
   */
  CleanupReport purgeExpired(int maxRows);
}
