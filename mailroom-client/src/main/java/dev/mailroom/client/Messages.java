package dev.mailroom.client;

import dev.mailroom.protocol.AckResult;
import dev.mailroom.protocol.AskResponse;
import dev.mailroom.protocol.InboxSummary;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.ReaderList;
import dev.mailroom.protocol.ReceiptList;
import dev.mailroom.protocol.SendBatchRequest;
import dev.mailroom.protocol.SendBatchResponse;
import dev.mailroom.protocol.SendRequest;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.UnreadCount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sending, reading and listing messages, read state and acknowledgements: {@code /v1/messages},
 * {@code /v1/inbox} and {@code /v1/mailboxes/{name}/messages}. Immutable and thread-safe. Every
 * method throws {@link MailroomClientException} on failure.
 */
public final class Messages {
  private final Rest rest;
  private final SendRetry retry;

  Messages(Rest rest, SendRetry retry) {
    this.rest = rest;
    this.retry = retry;
  }

  /**
   * Sends a message ({@code POST /v1/messages}); answers once it is durably stored (or, when the
   * server's Redis is down, kept in the node's durable spool: {@code spooled} set). A send that
   * repeats an idempotency key answers the original with {@code duplicate} set.
   *
   * <p>A send that gets no answer, or {@code 502}/{@code 503}/{@code 504}, is retried as the
   * client's {@link SendRetry} says, with the same idempotency key; a send without one is given a
   * fresh random key first, so a retry never stores a second message.
   */
  public SendResponse send(Draft draft) {
    return send(draft.toRequest());
  }

  /** Sends a message from its wire body. */
  public SendResponse send(SendRequest request) {
    SendRequest keyed = keyed(request);
    return retry.run(() -> rest.post("v1", "messages").body(keyed).fetch(SendResponse.class));
  }

  /**
   * Sends a message and waits up to {@code wait} (at most 60 s, whole seconds) for the first reply
   * in its thread ({@code POST /v1/messages/ask}), which may come from any agent through any server
   * of the system. Without a reply in time the answer says {@link AskResponse#timedOut()}; the
   * message stays sent. Retried as {@link #send(Draft)} is, under the same idempotency key: a retry
   * sends nothing twice and waits again.
   */
  public AskResponse ask(Draft draft, Duration wait) {
    SendRequest keyed = keyed(draft.toRequest());
    return retry.run(
        () ->
            rest.post("v1", "messages", "ask")
                .query("timeout_seconds", Long.toString(wait.toSeconds()))
                .waiting(wait)
                .body(keyed)
                .fetch(AskResponse.class));
  }

  /** The request with an idempotency key: its own, or a fresh random one. */
  private SendRequest keyed(SendRequest request) {
    if (request.idempotencyKey().isPresent() || retry.budget().isZero()) {
      return request;
    }
    return request.withIdempotencyKey(freshKey());
  }

  private static String freshKey() {
    return "sdk-" + UUID.randomUUID();
  }

  /**
   * Sends up to {@value SendBatchRequest#MAX_MESSAGES} messages in one request ({@code POST
   * /v1/messages/batch}), stored in order and answered together once all are durable; the answers
   * come in the order of the drafts. All or nothing: if one draft would be refused, nothing is sent
   * and the exception names it ({@code messages[i]}).
   *
   * @throws IllegalArgumentException if there are no drafts or more than a batch holds
   */
  public List<SendResponse> sendAll(List<Draft> drafts) {
    requireBatchSize(drafts.size());
    return sendBatch(new SendBatchRequest(drafts.stream().map(d -> keyed(d.toRequest())).toList()));
  }

  /**
   * {@link #sendAll} from JSON objects as {@code POST /v1/messages} takes them, passed on as they
   * are (the server checks them): for tools that relay bodies written elsewhere, such as the CLI's
   * {@code send --jsonl}.
   */
  public List<SendResponse> sendAllJson(List<ObjectNode> bodies) {
    requireBatchSize(bodies.size());
    List<ObjectNode> keyed = new ArrayList<>(bodies.size());
    for (ObjectNode body : bodies) {
      if (body.has("idempotency_key") || retry.budget().isZero()) {
        keyed.add(body);
      } else {
        ObjectNode copy = body.deepCopy();
        copy.put("idempotency_key", freshKey());
        keyed.add(copy);
      }
    }
    return sendBatch(Map.of("messages", keyed));
  }

  private static void requireBatchSize(int size) {
    if (size < 1 || size > SendBatchRequest.MAX_MESSAGES) {
      throw new IllegalArgumentException(
          "a batch holds 1 to " + SendBatchRequest.MAX_MESSAGES + " messages, not " + size);
    }
  }

  private List<SendResponse> sendBatch(Object body) {
    return retry
        .run(() -> rest.post("v1", "messages", "batch").body(body).fetch(SendBatchResponse.class))
        .messages();
  }

  /**
   * One message, if the caller may read it ({@code GET /v1/messages/{id}}).
   *
   * @throws MailroomClientException of {@link MailroomClientException.Kind#SERVER_ERROR} if the SDK
   *     cannot decode the message (its detail says why), or as every method does
   */
  public MessageView get(String id) {
    return rest.get("v1", "messages", id).fetch(MessageView.class);
  }

  /**
   * One page of the caller's mailbox ({@code GET /v1/inbox}). A message the SDK cannot decode is
   * left out of {@link MessagePage#messages()} and listed in {@link MessagePage#skipped()}.
   */
  public MessagePage inbox(ListQuery query) {
    return rest.get("v1", "inbox")
        .query(query.parameters())
        .fetch(MessagePage.class, Salvage::page);
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
        .fetch(MessagePage.class, Salvage::page);
  }

  /** Every page of the caller's mailbox from {@code query}'s position, fetched as iterated. */
  public Iterator<MessagePage> inboxPages(ListQuery query) {
    return pages(query, this::inbox);
  }

  /**
   * Every message of the caller's mailbox that passes {@code query}, fetched page by page, without
   * those the SDK cannot decode (use the pages to see those).
   */
  public Stream<MessageView> inboxAll(ListQuery query) {
    return Pager.items(inboxPages(query), MessagePage::messages);
  }

  /**
   * One page of a mailbox's or topic's history ({@code GET /v1/mailboxes/{name}/messages}); a
   * message the SDK cannot decode is listed in {@link MessagePage#skipped()} instead.
   */
  public MessagePage history(String mailbox, ListQuery query) {
    return rest.get("v1", "mailboxes", mailbox, "messages")
        .query(query.parameters())
        .fetch(MessagePage.class, Salvage::page);
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

  /**
   * A short summary of the caller's unread mail: the count, the senders of the newest unread
   * messages and the newest few with their subjects ({@code GET /v1/inbox/summary}). Marks nothing
   * read.
   */
  public InboxSummary inboxSummary() {
    return rest.get("v1", "inbox", "summary").fetch(InboxSummary.class);
  }

  /** Marks a message read for the caller; this also acknowledges its delivery. */
  public void markRead(String id) {
    rest.post("v1", "messages", id, "read").send();
  }

  /** Marks a message unread again for the caller. */
  public void markUnread(String id) {
    rest.delete("v1", "messages", id, "read").send();
  }

  /**
   * Everyone who read a message, and when, by read time and then by reader, fetched page by page:
   * one list, with no {@code nextCursor}.
   */
  public ReaderList readers(String id) {
    return new ReaderList(readersAll(id).toList());
  }

  /** One page of who read a message, and when, by read time and then by reader. */
  public ReaderList readers(String id, PageRequest page) {
    return rest.get("v1", "messages", id, "readers")
        .query(page.parameters())
        .fetch(ReaderList.class);
  }

  /** Every page of a message's readers from {@code first}, fetched as iterated. */
  public Iterator<ReaderList> readersPages(String id, PageRequest first) {
    return new Pager<>(
        cursor -> readers(id, cursor.map(first::withCursor).orElse(first)), ReaderList::nextCursor);
  }

  /**
   * Everyone who read a message, by read time and then by reader, fetched as the stream is read.
   */
  public Stream<ReaderList.Reader> readersAll(String id) {
    return Pager.items(readersPages(id, PageRequest.first()), ReaderList::readers);
  }

  /**
   * What became of a message the caller sent at each recipient (queued, delivered, read,
   * acknowledged, replied, with times) and its obligation, if it asked for one ({@code GET
   * /v1/messages/{id}/receipts}): one page of receipts, by agent id. Only the sender (or an admin)
   * may ask.
   */
  public ReceiptList receipts(String id, PageRequest page) {
    return rest.get("v1", "messages", id, "receipts")
        .query(page.parameters())
        .fetch(ReceiptList.class);
  }

  /** Every page of a message's receipts from {@code first}, fetched as iterated. */
  public Iterator<ReceiptList> receiptsPages(String id, PageRequest first) {
    return new Pager<>(
        cursor -> receipts(id, cursor.map(first::withCursor).orElse(first)),
        ReceiptList::nextCursor);
  }

  /** The first page of a message's receipts: "did anyone pick this up?". */
  public ReceiptList receipts(String id) {
    return receipts(id, PageRequest.first());
  }

  /**
   * Acknowledges the caller's delivery of a message, whether or not a stream is open; this also
   * meets the message's obligation when it asked for an acknowledgement.
   */
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
