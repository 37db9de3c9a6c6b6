package dev.mailroom.client;

import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.ThreadList;
import dev.mailroom.protocol.ThreadSummaryView;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Conversation threads: every message of a thread that the caller may read, wherever it is ({@code
 * GET /v1/threads/{thread_id}}), a thread's summary, and the threads of the caller's mailbox
 * ({@code GET /v1/threads}). To list one mailbox's messages of a thread, use {@link
 * ListQuery.Builder#threadId} with {@link Messages#inbox} or {@link Messages#history}.
 *
 * <p>Thread-safe.
 */
public final class Threads {
  private final Rest rest;

  Threads(Rest rest) {
    this.rest = rest;
  }

  /**
   * One page of a thread's messages, in {@code order} of id. A page may hold fewer messages than
   * asked and still have a {@code nextCursor}: the server leaves out what the caller may not read.
   * A message the SDK cannot decode is listed in {@link MessagePage#skipped()} instead.
   */
  public MessagePage page(String threadId, Order order, PageRequest page) {
    return rest.get("v1", "threads", threadId)
        .query(page.parameters())
        .query("order", order.wireName())
        .fetch(MessagePage.class, Salvage::page);
  }

  /** Every page of a thread from {@code first}, fetched as iterated. */
  public Iterator<MessagePage> pages(String threadId, Order order, PageRequest first) {
    return new Pager<>(
        cursor -> page(threadId, order, cursor.map(first::withCursor).orElse(first)),
        MessagePage::nextCursor);
  }

  /** Every message of a thread the caller may read, oldest first, fetched as the stream is read. */
  public Stream<MessageView> all(String threadId) {
    return Pager.items(pages(threadId, Order.ASC, PageRequest.of(1000)), MessagePage::messages);
  }

  /** A thread as the caller sees it: counts, participants, last activity. */
  public ThreadSummaryView summary(String threadId) {
    return rest.get("v1", "threads", threadId, "summary").fetch(ThreadSummaryView.class);
  }

  /**
   * One page of the threads of the caller's mailbox, most recently active first (at most 100 per
   * page; 20 by default).
   */
  public ThreadList list(PageRequest page) {
    return rest.get("v1", "threads").query(page.parameters()).fetch(ThreadList.class);
  }

  /** Every page of the caller's threads from {@code first}, fetched as iterated. */
  public Iterator<ThreadList> listPages(PageRequest first) {
    return new Pager<>(
        cursor -> list(cursor.map(first::withCursor).orElse(first)), ThreadList::nextCursor);
  }

  /** Every thread of the caller's mailbox, most recently active first, fetched as read. */
  public Stream<ThreadSummaryView> listAll() {
    return Pager.items(listPages(PageRequest.of(100)), ThreadList::threads);
  }
}
