package dev.mailroom.client;

import dev.mailroom.protocol.AckResult;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.ReaderList;
import dev.mailroom.protocol.SendRequest;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.UnreadCount;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Sending, reading and listing messages, read state and acknowledgements: {@code /v1/messages},
 * {@code /v1/inbox} and {@code /v1/mailboxes/{name}/messages}. Immutable and thread-safe. Every
 * method throws {@link MailroomClientException} on failure.
 */
public final class Messages {
  private final Rest rest;

  Messages(Rest rest) {
    this.rest = rest;
  }

  /**
   * Sends a message ({@code POST /v1/messages}); answers once it is durably stored. A send that
   * repeats an idempotency key answers the original with {@code duplicate} set.
   */
  public SendResponse send(Draft draft) {
    return send(draft.toRequest());
  }

  /** Sends a message from its wire body. */
  public SendResponse send(SendRequest request) {
    return rest.post("v1", "messages").body(request).fetch(SendResponse.class);
  }

  /** One message, if the caller may read it ({@code GET /v1/messages/{id}}). */
  public MessageView get(String id) {
    return rest.get("v1", "messages", id).fetch(MessageView.class);
  }

  /** One page of the caller's mailbox ({@code GET /v1/inbox}). */
  public MessagePage inbox(ListQuery query) {
    return rest.get("v1", "inbox").query(query.parameters()).fetch(MessagePage.class);
  }

  /**
   * One page of the caller's mailbox, waiting up to {@code wait} (at most 60 s, whole seconds) for
   * the first message when the page would be empty: a long poll.
   */
  public MessagePage inbox(ListQuery query, Duration wait) {
    return rest.get("v1", "inbox")
        .query(query.parameters())
        .query("wait_seconds", Long.toString(wait.toSeconds()))
        .waiting(wait)
        .fetch(MessagePage.class);
  }

  /** Every page of the caller's mailbox from {@code query}'s position, fetched as iterated. */
  public Iterator<MessagePage> inboxPages(ListQuery query) {
    return pages(query, this::inbox);
  }

  /** Every message of the caller's mailbox that passes {@code query}, fetched page by page. */
  public Stream<MessageView> inboxAll(ListQuery query) {
    return Pager.items(inboxPages(query), MessagePage::messages);
  }

  /** One page of a mailbox's or topic's history ({@code GET /v1/mailboxes/{name}/messages}). */
  public MessagePage history(String mailbox, ListQuery query) {
    return rest.get("v1", "mailboxes", mailbox, "messages")
        .query(query.parameters())
        .fetch(MessagePage.class);
  }

  /** Every page of a mailbox's history from {@code query}'s position, fetched as iterated. */
  public Iterator<MessagePage> historyPages(String mailbox, ListQuery query) {
    return pages(query, q -> history(mailbox, q));
  }

  /** Every message of a mailbox's history that passes {@code query}, fetched page by page. */
  public Stream<MessageView> historyAll(String mailbox, ListQuery query) {
    return Pager.items(historyPages(mailbox, query), MessagePage::messages);
  }

  /** How many live messages of its mailbox the caller has not read. */
  public UnreadCount unreadCount() {
    return rest.get("v1", "inbox", "unread_count").fetch(UnreadCount.class);
  }

  /** Marks a message read for the caller; this also acknowledges its delivery. */
  public void markRead(String id) {
    rest.post("v1", "messages", id, "read").send();
  }

  /** Marks a message unread again for the caller. */
  public void markUnread(String id) {
    rest.delete("v1", "messages", id, "read").send();
  }

  /** Who read a message, and when. */
  public ReaderList readers(String id) {
    return rest.get("v1", "messages", id, "readers").fetch(ReaderList.class);
  }

  /** Acknowledges the caller's delivery of a message, whether or not a stream is open. */
  public AckResult ack(String id) {
    return rest.post("v1", "messages", id, "ack").fetch(AckResult.class);
  }

  private static Iterator<MessagePage> pages(
      ListQuery query, Function<ListQuery, MessagePage> fetch) {
    return new Pager<>(
        cursor -> fetch.apply(cursor.map(query::withCursor).orElse(query)),
        MessagePage::nextCursor);
  }
}
