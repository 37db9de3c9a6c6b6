package dev.mailroom.core;

import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Sending and reading on behalf of authenticated callers: routing, defaults, limits and the read
 * rules. Thread-safe; it holds no state of its own beyond its collaborators.
 *
 * <p>Read rules: an admin reads everything. Otherwise a caller reads its own mailbox, every shared
 * mailbox and topic history, and any message it sent; another agent's personal mailbox is
 * forbidden.
 */
public final class MessageService {
  private final Storage storage;
  private final InstantSource clock;
  private final Limits limits;

  private MessageService(Storage storage, InstantSource clock, Limits limits) {
    this.storage = storage;
    this.clock = clock;
    this.limits = limits;
  }

  public static MessageService create(Storage storage, InstantSource clock, Limits limits) {
    return new MessageService(storage, clock, limits);
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Sends a draft from the caller. Returns once the message is durable.
   *
   * @throws MailroomException.InvalidRequest if the time to live exceeds the maximum
   * @throws MailroomException.LimitExceeded if the payload exceeds the inline limit
   * @throws MailroomException.Conflict if a direct target is a topic or a topic target is a mailbox
   */
  public SendResult send(Principal from, Draft draft) {
    if (draft.payload().size() > limits.maxPayloadBytes()) {
      throw MailroomException.LimitExceeded.tooLarge(
          "payload is "
              + draft.payload().size()
              + " bytes; the inline limit is "
              + limits.maxPayloadBytes());
    }
    Duration ttl = draft.ttl().orElse(limits.defaultTtl());
    if (ttl.compareTo(limits.maxTtl()) > 0) {
      throw MailroomException.InvalidRequest.field(
          "ttl_seconds", "must be at most " + limits.maxTtl().toSeconds());
    }
    Draft threaded = inheritThread(from, draft);
    return storage
        .messages()
        .send(new OutgoingMessage(from.id(), threaded, ttl), routeOf(from, threaded));
  }

  private Route routeOf(Principal from, Draft draft) {
    return switch (draft.mode()) {
      case BROADCAST -> new Route.ToAllAgents(from.id());
      case TOPIC -> new Route.ToMailbox(draft.target().orElseThrow(), MailboxKind.TOPIC);
      case DIRECT -> {
        MailboxName target = draft.target().orElseThrow();
        boolean isAgent =
            target.isAgentShaped() && storage.agents().find(AgentId.of(target.value())).isPresent();
        yield new Route.ToMailbox(target, isAgent ? MailboxKind.AGENT : MailboxKind.SHARED);
      }
    };
  }

  /** A reply without a thread joins the thread of the message it answers (or starts one there). */
  private Draft inheritThread(Principal from, Draft draft) {
    if (draft.threadId().isPresent() || draft.inReplyTo().isEmpty()) {
      return draft;
    }
    MessageId parent = draft.inReplyTo().get();
    ThreadId thread =
        storage
            .messages()
            .find(parent)
            .filter(m -> mayRead(from, m))
            .flatMap(Message::threadId)
            .orElse(ThreadId.of(parent.toString()));
    return draft.withThreadId(thread);
  }

  /**
   * One message, if the caller may read it.
   *
   * @throws MailroomException.NotFound if there is no such live message
   * @throws MailroomException.Forbidden if the caller may not read it
   */
  public Message get(Principal caller, MessageId id) {
    Message message =
        storage
            .messages()
            .find(id)
            .orElseThrow(() -> new MailroomException.NotFound("no message " + id));
    if (!mayRead(caller, message)) {
      throw new MailroomException.Forbidden("you may not read message " + id);
    }
    return message;
  }

  private boolean mayRead(Principal caller, Message message) {
    if (caller.isAdmin() || caller.id().equals(message.sender())) {
      return true;
    }
    if (storage.messages().contains(caller.id().mailbox(), message.id())) {
      return true;
    }
    return message
        .target()
        .flatMap(t -> storage.messages().mailbox(t))
        .map(box -> box.kind() != MailboxKind.AGENT)
        .orElse(false);
  }

  /** A page of the caller's own mailbox. */
  public Page<Envelope> inbox(Principal caller, Listing listing) {
    return storage
        .messages()
        .query(listing.toQuery(caller.id().mailbox(), caller.id(), clock.instant()));
  }

  /**
   * A page of one mailbox's or topic's history.
   *
   * @throws MailroomException.NotFound if there is no such mailbox
   * @throws MailroomException.Forbidden if it is another agent's personal mailbox
   */
  public Page<Envelope> history(Principal caller, MailboxName mailbox, Listing listing) {
    MailboxInfo box =
        storage
            .messages()
            .mailbox(mailbox)
            .orElseThrow(() -> new MailroomException.NotFound("no mailbox " + mailbox));
    if (box.kind() == MailboxKind.AGENT
        && !caller.isAdmin()
        && !caller.id().mailbox().equals(mailbox)) {
      throw new MailroomException.Forbidden("mailbox " + mailbox + " belongs to another agent");
    }
    return storage.messages().query(listing.toQuery(mailbox, caller.id(), clock.instant()));
  }

  /** How many messages in the caller's mailbox it has not read. */
  public long unreadCount(Principal caller) {
    return storage.messages().unreadCount(caller.id().mailbox(), caller.id());
  }

  /** Marks a message read for the caller. */
  public void markRead(Principal caller, MessageId id) {
    get(caller, id);
    if (!storage.messages().markRead(id, caller.id())) {
      throw new MailroomException.NotFound("no message " + id);
    }
  }

  /** Marks a message unread for the caller. */
  public void markUnread(Principal caller, MessageId id) {
    get(caller, id);
    if (!storage.messages().markUnread(id, caller.id())) {
      throw new MailroomException.NotFound("no message " + id);
    }
  }

  /** Who read a message the caller may read. */
  public List<ReadReceipt> readers(Principal caller, MessageId id) {
    get(caller, id);
    return storage.messages().readers(id);
  }

  /** The caller's own mailbox. */
  public Optional<MailboxInfo> ownMailbox(Principal caller) {
    return storage.messages().mailbox(caller.id().mailbox());
  }
}
