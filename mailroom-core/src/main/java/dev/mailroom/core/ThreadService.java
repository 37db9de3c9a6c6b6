package dev.mailroom.core;

import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.spi.MessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Threads as a caller sees them: the messages of a thread it may read, wherever they are, and
 * summaries of the threads in its mailbox. Thread-safe; it holds no state of its own.
 */
public final class ThreadService {
  /** The most store pages one page of a thread reads before it answers short, with a cursor. */
  static final int MAX_STORE_PAGES = 10;

  /** The most messages a summary counts; a longer thread's summary says it is incomplete. */
  public static final int SUMMARY_MESSAGES = 10_000;

  /** The most participants a summary names (the first to write in the thread). */
  public static final int SUMMARY_PARTICIPANTS = 50;

  /** The most inbox entries one page of summaries walks before it answers short. */
  static final int INBOX_ENTRIES = 5_000;

  /** The most summaries in one page. */
  public static final int MAX_SUMMARIES = 100;

  private final MessageStore messages;
  private final Permissions permissions;

  public ThreadService(MessageStore messages, Permissions permissions) {
    this.messages = messages;
    this.permissions = permissions;
  }

  /**
   * One page of the messages of a thread the caller may read, in {@code order} of id, strictly
   * after {@code position} when given. Messages it may not read are left out; a page that had to
   * skip many may be short, but its cursor ({@link Page#next()}) continues after everything it
   * looked at, so following cursors yields the whole thread.
   *
   * @throws MailroomException.InvalidRequest if {@code limit} is not between 1 and 1000
   */
  public Page<Envelope> messages(
      Principal caller, ThreadId thread, Optional<MessageId> position, Order order, int limit) {
    if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
      throw MailroomException.InvalidRequest.field(
          "limit", "must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
    Readable readable = new Readable(caller);
    List<Envelope> items = new ArrayList<>(Math.min(limit, 64));
    Optional<MessageId> at = position;
    for (int pages = 0; pages < MAX_STORE_PAGES; pages++) {
      Page<Envelope> page = messages.thread(thread, caller.id(), at, order, limit);
      for (int i = 0; i < page.items().size(); i++) {
        Envelope e = page.items().get(i);
        if (readable.test(e.message())) {
          items.add(e);
          if (items.size() == limit) {
            boolean more = i < page.items().size() - 1 || page.next().isPresent();
            return new Page<>(items, more ? Optional.of(e.message().id()) : Optional.empty());
          }
        }
      }
      if (page.next().isEmpty()) {
        return new Page<>(items, Optional.empty());
      }
      at = page.next();
    }
    return new Page<>(items, at);
  }

  /**
   * A thread as the caller sees it: how many of its messages it may read, who wrote them, when, and
   * how many of those sent by others it has not marked read. Counts at most {@link
   * #SUMMARY_MESSAGES} messages.
   *
   * @throws MailroomException.NotFound if the caller may read no message of the thread
   */
  public ThreadSummary summary(Principal caller, ThreadId thread) {
    return summarize(caller, thread, new Readable(caller))
        .orElseThrow(
            () -> new MailroomException.NotFound("no thread " + thread + " that you may read"));
  }

  private Optional<ThreadSummary> summarize(Principal caller, ThreadId thread, Readable readable) {
    long count = 0;
    long unread = 0;
    Set<AgentId> participants = new LinkedHashSet<>();
    Optional<Message> first = Optional.empty();
    Optional<Message> last = Optional.empty();
    Optional<MessageId> at = Optional.empty();
    boolean complete = true;
    while (true) {
      Page<Envelope> page =
          messages.thread(thread, caller.id(), at, Order.ASC, MessageQuery.MAX_LIMIT);
      for (Envelope e : page.items()) {
        Message m = e.message();
        if (!readable.test(m)) {
          continue;
        }
        count++;
        if (first.isEmpty()) {
          first = Optional.of(m);
        }
        last = Optional.of(m);
        if (participants.size() < SUMMARY_PARTICIPANTS) {
          participants.add(m.sender());
        }
        if (!e.isRead() && !m.sender().equals(caller.id())) {
          unread++;
        }
      }
      if (page.next().isEmpty()) {
        break;
      }
      if (count >= SUMMARY_MESSAGES) {
        complete = false;
        break;
      }
      at = page.next();
    }
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ThreadSummary(
            thread,
            count,
            unread,
            List.copyOf(participants),
            first.get().id(),
            last.get().id(),
            last.get().sender(),
            complete));
  }

  /**
   * One page of summaries of the threads in the caller's own mailbox, the thread of its newest
   * message first, continuing after {@code position} (an inbox message id, from a cursor). Walks at
   * most {@link #INBOX_ENTRIES} inbox messages per page, so a page may be short and still have a
   * cursor.
   *
   * @throws MailroomException.InvalidRequest if {@code limit} is not between 1 and {@link
   *     #MAX_SUMMARIES}
   */
  public Page<ThreadSummary> list(Principal caller, Optional<MessageId> position, int limit) {
    if (limit < 1 || limit > MAX_SUMMARIES) {
      throw MailroomException.InvalidRequest.field(
          "limit", "must be between 1 and " + MAX_SUMMARIES);
    }
    Readable readable = new Readable(caller);
    Map<ThreadId, MessageId> found = new LinkedHashMap<>();
    Optional<MessageId> at = position;
    int walked = 0;
    Optional<MessageId> next = Optional.empty();
    walk:
    while (walked < INBOX_ENTRIES) {
      MessageQuery query =
          new MessageQuery(
              caller.id().mailbox(),
              caller.id(),
              MessageFilter.NONE,
              at,
              Order.DESC,
              MessageQuery.MAX_LIMIT);
      Page<Envelope> page = messages.query(query);
      for (int i = 0; i < page.items().size(); i++) {
        Message m = page.items().get(i).message();
        walked++;
        Optional<ThreadId> thread = m.threadId();
        if (thread.isPresent()
            && !found.containsKey(thread.get())
            && readable.test(m)
            && !(position.isPresent() && hasNewer(caller, thread.get(), m.id()))) {
          found.put(thread.get(), m.id());
          if (found.size() == limit) {
            boolean more = i < page.items().size() - 1 || page.next().isPresent();
            next = more ? Optional.of(m.id()) : Optional.empty();
            break walk;
          }
        }
      }
      if (page.next().isEmpty()) {
        next = Optional.empty();
        break;
      }
      at = page.next();
      next = at;
    }
    List<ThreadSummary> summaries = new ArrayList<>(found.size());
    for (ThreadId thread : found.keySet()) {
      summarize(caller, thread, readable).ifPresent(summaries::add);
    }
    return new Page<>(summaries, next);
  }

  /**
   * Whether the caller's mailbox has a message of the thread newer than {@code id}: then an earlier
   * page listed the thread there (pages go newest first, each thread at its newest message), and a
   * page that continues from a cursor leaves it out.
   */
  private boolean hasNewer(Principal caller, ThreadId thread, MessageId id) {
    MessageFilter newer = MessageFilter.NONE.withThread(thread).withAfterId(id);
    MessageQuery query =
        new MessageQuery(caller.id().mailbox(), caller.id(), newer, Optional.empty(), Order.ASC, 1);
    return !messages.query(query).items().isEmpty();
  }

  /**
   * Whether the caller may read a message, remembering the answer for each mailbox a message was
   * sent to: the messages of one thread are mostly in a few.
   */
  private final class Readable {
    private final Principal caller;
    private final Map<MailboxName, Boolean> byTarget = new HashMap<>();

    Readable(Principal caller) {
      this.caller = caller;
    }

    boolean test(Message m) {
      if (caller.isAdmin() || m.sender().equals(caller.id()) || m.target().isEmpty()) {
        return permissions.mayRead(caller, m);
      }
      return byTarget.computeIfAbsent(m.target().get(), t -> permissions.mayRead(caller, m));
    }
  }

  /**
   * A thread as one caller sees it.
   *
   * @param count the messages it may read (at most {@link #SUMMARY_MESSAGES})
   * @param unread those of them sent by others that it has not marked read
   * @param participants who wrote them, in the order they first did (at most {@link
   *     #SUMMARY_PARTICIPANTS})
   * @param first the oldest of them
   * @param last the newest of them, whose time is the thread's last activity
   * @param lastSender who wrote the newest
   * @param complete false when the thread has more messages than a summary counts
   */
  public record ThreadSummary(
      ThreadId thread,
      long count,
      long unread,
      List<AgentId> participants,
      MessageId first,
      MessageId last,
      AgentId lastSender,
      boolean complete) {
    public ThreadSummary {
      participants = List.copyOf(participants);
    }

    public Instant lastActivity() {
      return last.timestamp();
    }
  }
}
