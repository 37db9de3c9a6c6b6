package dev.mailroom.core;

import dev.mailroom.core.access.Action;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.core.blob.BlobService;
import dev.mailroom.core.delivery.InboxSignals;
import dev.mailroom.core.delivery.NodeViews;
import dev.mailroom.core.delivery.SubscriptionIndex;
import dev.mailroom.core.delivery.TopicService;
import dev.mailroom.core.delivery.TopicSettings;
import dev.mailroom.core.receipt.ObligationService;
import dev.mailroom.core.search.SearchService;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Sending and reading on behalf of authenticated callers: routing, defaults, limits and the read
 * rules. Thread-safe; it holds no state of its own beyond its collaborators.
 *
 * <p>Who may send where and read what is the access policy's ({@link Permissions}): by default an
 * admin reads everything; a caller reads its own mailbox, every shared mailbox and topic history,
 * and any message it sent; another agent's personal mailbox is forbidden. A message to a shared
 * mailbox or topic reaches only subscribers who may read there.
 */
public final class MessageService {
  private final Storage storage;
  private final InstantSource clock;
  private final Limits limits;
  private final SubscriptionIndex subscriptions;
  private final TopicService topics;
  private final InboxSignals signals;
  private final Permissions permissions;
  private final BlobService blobs;
  private final ThreadService threads;
  private final SearchService search;
  private final ObligationService obligations;

  /**
   * @param subscriptions who messages to shared mailboxes and topics reach
   * @param topics topic settings (retention, creation on publish)
   * @param signals what long polls wait on ({@link NodeViews} wakes them for every inbox a send
   *     reaches)
   * @param permissions who may send where and read what
   * @param blobs the uploads a send's attachments name
   */
  public MessageService(
      Storage storage,
      InstantSource clock,
      Limits limits,
      SubscriptionIndex subscriptions,
      TopicService topics,
      InboxSignals signals,
      Permissions permissions,
      BlobService blobs) {
    this.blobs = blobs;
    this.storage = storage;
    this.clock = clock;
    this.limits = limits;
    this.subscriptions = subscriptions;
    this.topics = topics;
    this.signals = signals;
    this.permissions = permissions;
    this.threads = new ThreadService(storage.messages(), permissions);
    this.search = new SearchService(storage.messages(), permissions, clock);
    this.obligations = new ObligationService(storage, clock, permissions);
  }

  /** A service whose attachments have the default {@link BlobLimits}. */
  public MessageService(
      Storage storage,
      InstantSource clock,
      Limits limits,
      SubscriptionIndex subscriptions,
      TopicService topics,
      InboxSignals signals,
      Permissions permissions) {
    this(
        storage,
        clock,
        limits,
        subscriptions,
        topics,
        signals,
        permissions,
        new BlobService(storage.blobs(), storage.messages(), clock, BlobLimits.DEFAULTS));
  }

  /**
   * A service with no subscriptions yet loaded beyond the store's, default topic settings
   * (retention from the limits, no subscriber cap, a week's idle cleanup) and topics created on
   * publish, and the access policy's built-in defaults.
   */
  public static MessageService create(Storage storage, InstantSource clock, Limits limits) {
    SubscriptionIndex index = SubscriptionIndex.load(storage.deliveries());
    TopicSettings defaults =
        new TopicSettings(limits.defaultTtl(), Integer.MAX_VALUE, Duration.ofDays(7));
    Permissions permissions = Permissions.defaults(storage.agents(), storage.messages());
    return new MessageService(
        storage,
        clock,
        limits,
        index,
        new TopicService(storage, index, clock, defaults, true, permissions),
        new InboxSignals(),
        permissions);
  }

  public Limits limits() {
    return limits;
  }

  /** Obligations and receipts as callers see them. */
  public ObligationService obligations() {
    return obligations;
  }

  /** Threads as callers see them. */
  public ThreadService threads() {
    return threads;
  }

  /** Full-text search over what callers may read. */
  public SearchService search() {
    return search;
  }

  /**
   * Sends a draft from the caller. Returns once the message is durable.
   *
   * @throws MailroomException.InvalidRequest if the time to live exceeds the maximum
   * @throws MailroomException.LimitExceeded if the payload exceeds the inline limit, or (quota) if
   *     the send would create a topic beyond its sender's cap of topics
   * @throws MailroomException.Conflict if a direct target is a topic or a topic target is a mailbox
   * @throws MailroomException.NotFound if the topic does not exist and topics are not created on
   *     publish
   * @throws MailroomException.Forbidden if the caller may not send there
   */
  public SendResult send(Principal from, Draft draft) {
    Prepared p = prepare(from, draft, true);
    SendResult result = storage.messages().send(p.message(), p.route());
    obligations.sent(from, p.message(), result);
    return result;
  }

  /**
   * Sends drafts from the caller, in order, and returns their results in that order once all are
   * durable (on SQLite in one commit). Every draft is checked (limits, permissions) before any is
   * routed, and routed before any is stored: a draft that would be refused refuses the whole batch,
   * with its index in the message and its fields named {@code <item>[i].field}, and nothing is
   * stored. Only a topic created on publish for an earlier draft stays when a later one is refused
   * while routing (its topic would exceed the sender's topic cap).
   *
   * @param item how the request names its list, such as {@code messages}
   * @throws MailroomException as {@link #send} does, for the first draft refused
   */
  public List<SendResult> sendAll(Principal from, List<Draft> drafts, String item) {
    for (int i = 0; i < drafts.size(); i++) {
      try {
        prepare(from, drafts.get(i), false);
      } catch (MailroomException e) {
        throw e.forItem(item + "[" + i + "]");
      }
    }
    List<MessageStore.Send> sends = new ArrayList<>(drafts.size());
    for (int i = 0; i < drafts.size(); i++) {
      try {
        Prepared p = prepare(from, drafts.get(i), true);
        sends.add(new MessageStore.Send(p.message(), p.route()));
      } catch (MailroomException e) {
        throw e.forItem(item + "[" + i + "]");
      }
    }
    List<SendResult> results = storage.messages().sendAll(sends);
    obligations.sentAll(from, sends.stream().map(MessageStore.Send::message).toList(), results);
    return results;
  }

  private record Prepared(OutgoingMessage message, Route route) {}

  /**
   * Checks a draft against the limits and the caller's permissions, and routes it; a topic that
   * does not exist is created on publish only with {@code create} (else the route is computed as if
   * it existed, and nothing is written).
   */
  private Prepared prepare(Principal from, Draft draft, boolean create) {
    if (draft.payload().size() > limits.maxPayloadBytes()) {
      throw MailroomException.LimitExceeded.tooLarge(
          "payload is "
              + draft.payload().size()
              + " bytes; the inline limit is "
              + limits.maxPayloadBytes());
    }
    if (draft.ttl().isPresent() && draft.ttl().get().compareTo(limits.maxTtl()) > 0) {
      throw MailroomException.InvalidRequest.field(
          "ttl_seconds", "must be at most " + limits.maxTtl().toSeconds());
    }
    Draft threaded = inheritThread(from, draft);
    Duration ttl = threaded.ttl().orElseGet(() -> defaultTtl(threaded));
    obligations.validate(threaded, ttl);
    Route route = routeOf(from, threaded, create);
    // Attaching marks each blob used: done once, when the send is about to be stored.
    List<Attachment> attachments =
        create ? blobs.attach(from, draft.attachments()) : blobs.resolve(from, draft.attachments());
    return new Prepared(new OutgoingMessage(from.id(), threaded, ttl, attachments), route);
  }

  /** The attachments' blobs and limits. */
  public BlobService blobs() {
    return blobs;
  }

  private Duration defaultTtl(Draft draft) {
    if (draft.mode() == SendMode.TOPIC) {
      return topics.settings(draft.target().orElseThrow()).retention();
    }
    return limits.defaultTtl();
  }

  private Route routeOf(Principal from, Draft draft, boolean create) {
    return switch (draft.mode()) {
      case BROADCAST -> {
        if (!from.isAdmin() && !from.roles().contains(Role.AGENT)) {
          throw new MailroomException.Forbidden("only admins and agents may broadcast");
        }
        yield new Route.ToAllAgents(from.id());
      }
      case TOPIC -> {
        MailboxName topic = draft.target().orElseThrow();
        TopicService.requireNotReserved(from, topic);
        permissions.require(from, Action.WRITE, topic, MailboxKind.TOPIC);
        if (create) {
          topics.requirePublishable(from, topic);
        }
        yield toSubscribers(from, draft, topic, MailboxKind.TOPIC);
      }
      case DIRECT -> {
        MailboxName target = draft.target().orElseThrow();
        boolean isAgent =
            target.isAgentShaped() && storage.agents().find(AgentId.of(target.value())).isPresent();
        MailboxKind kind = isAgent ? MailboxKind.AGENT : MailboxKind.SHARED;
        TopicService.requireNotReserved(from, target);
        permissions.require(from, Action.WRITE, target, kind);
        yield isAgent
            ? new Route.ToMailbox(target, MailboxKind.AGENT)
            : toSubscribers(from, draft, target, MailboxKind.SHARED);
      }
    };
  }

  /** A route to the subscribers of a shared mailbox or topic who may read there. */
  private Route toSubscribers(Principal from, Draft draft, MailboxName target, MailboxKind kind) {
    List<Recipient> matched = subscriptions.recipients(target, from.id(), draft);
    return new Route.ToMailbox(target, kind, permissions.readers(target, kind, matched));
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
            .filter(m -> permissions.mayRead(from, m))
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
    if (!permissions.mayRead(caller, message)) {
      throw new MailroomException.Forbidden("you may not read message " + id);
    }
    return message;
  }

  /**
   * A page of the caller's own mailbox. Messages routed there from a mailbox or topic it may no
   * longer read are left out (the page may then be short; its cursor still continues after it).
   */
  public Page<Envelope> inbox(Principal caller, Listing listing) {
    Page<Envelope> page =
        storage
            .messages()
            .query(listing.toQuery(caller.id().mailbox(), caller.id(), clock.instant()));
    if (permissions.policy().rules().isEmpty()) {
      return page;
    }
    List<Envelope> readable =
        page.items().stream().filter(e -> permissions.mayRead(caller, e.message())).toList();
    return readable.size() == page.items().size() ? page : page.withItems(readable);
  }

  /**
   * A page of one mailbox's or topic's history.
   *
   * @throws MailroomException.NotFound if there is no such mailbox
   * @throws MailroomException.Forbidden if the caller may not read it (by default: another agent's
   *     personal mailbox)
   */
  public Page<Envelope> history(Principal caller, MailboxName mailbox, Listing listing) {
    readable(caller, mailbox);
    return storage.messages().query(listing.toQuery(mailbox, caller.id(), clock.instant()));
  }

  /** The longest an {@link #ask} waits for its reply. */
  public static final Duration MAX_ASK_WAIT = Duration.ofSeconds(60);

  /**
   * Sends a draft and waits up to {@code wait} for the first reply: the first message of the sent
   * message's thread that reaches the caller's mailbox after it, whoever sent it and through
   * whichever node (the wait is a long poll of the mailbox, woken by the store's change events).
   *
   * @throws MailroomException.InvalidRequest if {@code wait} is negative or longer than {@link
   *     #MAX_ASK_WAIT}
   * @throws InterruptedException if the waiting thread is interrupted
   * @see #send
   */
  public Asked ask(Principal caller, Draft draft, Duration wait) throws InterruptedException {
    if (wait.isNegative() || wait.compareTo(MAX_ASK_WAIT) > 0) {
      throw MailroomException.InvalidRequest.field(
          "timeout_seconds", "must be between 0 and " + MAX_ASK_WAIT.toSeconds());
    }
    SendResult sent = send(caller, draft);
    ThreadId thread =
        storage
            .messages()
            .find(sent.id())
            .flatMap(Message::threadId)
            .or(() -> inheritThread(caller, draft).threadId())
            .orElse(ThreadId.of(sent.id().toString()));
    MessageFilter replies = MessageFilter.NONE.withThread(thread).withAfterId(sent.id());
    Page<Envelope> page =
        inbox(caller, new Listing(replies, Optional.empty(), Optional.empty(), Order.ASC, 1), wait);
    return new Asked(sent, thread, page.items().stream().findFirst());
  }

  /**
   * What an {@link #ask} did.
   *
   * @param sent the send's result
   * @param thread the thread the reply was awaited in
   * @param reply the first reply, or empty when the wait ended without one
   */
  public record Asked(SendResult sent, ThreadId thread, Optional<Envelope> reply) {}

  /**
   * A page of the caller's own mailbox, waiting up to {@code wait} for the first matching message
   * when there is none yet (a long poll). Returns the empty page when the wait ends without one.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public Page<Envelope> inbox(Principal caller, Listing listing, Duration wait)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      long version = signals.version(caller.id());
      Page<Envelope> page = inbox(caller, listing);
      Duration left = Duration.between(clock.instant(), deadline);
      if (!page.items().isEmpty() || left.isNegative() || left.isZero()) {
        return page;
      }
      signals.await(caller.id(), version, left);
    }
  }

  /**
   * The version of a mailbox's signal, to pass to {@link #awaitMailbox} after reading it: only an
   * agent's personal mailbox is signalled (when a send reaches that agent, on any node); any other
   * mailbox has none, and its readers look again after a pause of their own.
   */
  public OptionalLong mailboxVersion(MailboxName mailbox) {
    return personal(mailbox)
        .map(a -> OptionalLong.of(signals.version(a)))
        .orElse(OptionalLong.empty());
  }

  /**
   * Waits until a send may have reached an agent's personal mailbox since {@code version} (from
   * {@link #mailboxVersion}, which has one only for such a mailbox) was read, or {@code timeout}
   * has passed. Returns false on timeout.
   *
   * @throws IllegalArgumentException if the mailbox is no agent's, so has no signal
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitMailbox(MailboxName mailbox, long version, Duration timeout)
      throws InterruptedException {
    AgentId agent =
        personal(mailbox)
            .orElseThrow(() -> new IllegalArgumentException(mailbox + " has no signal"));
    return signals.await(agent, version, timeout);
  }

  /** The agent a mailbox name could be the personal mailbox of: a single segment, short enough. */
  private static Optional<AgentId> personal(MailboxName mailbox) {
    String name = mailbox.value();
    return name.length() <= Names.MAX_AGENT_ID && Names.SEGMENT.matcher(name).matches()
        ? Optional.of(AgentId.of(name))
        : Optional.empty();
  }

  /** How many messages in the caller's mailbox it has not read. */
  public long unreadCount(Principal caller) {
    return storage.messages().unreadCount(caller.id().mailbox(), caller.id());
  }

  /**
   * Marks a message read for the caller. Reading a message also acknowledges its delivery to the
   * caller, so it is not pushed again.
   */
  public void markRead(Principal caller, MessageId id) {
    get(caller, id);
    if (!storage.messages().markRead(id, caller.id())) {
      throw new MailroomException.NotFound("no message " + id);
    }
    storage.deliveries().acknowledge(caller.id(), List.of(id));
  }

  /** Marks a message unread for the caller. */
  public void markUnread(Principal caller, MessageId id) {
    get(caller, id);
    if (!storage.messages().markUnread(id, caller.id())) {
      throw new MailroomException.NotFound("no message " + id);
    }
  }

  /** Who read a message the caller may read, in {@link ReadReceipt#ORDER}. */
  public List<ReadReceipt> readers(Principal caller, MessageId id) {
    return readers(caller, id, Optional.empty(), Integer.MAX_VALUE);
  }

  /**
   * A page of who read a message the caller may read: at most {@code limit} readers in {@link
   * ReadReceipt#ORDER}, after {@code after} when given.
   *
   * @throws MailroomException.NotFound if there is no such message (or it expired)
   * @throws MailroomException.Forbidden if the caller may not read it
   */
  public List<ReadReceipt> readers(
      Principal caller, MessageId id, Optional<ReadReceipt> after, int limit) {
    get(caller, id);
    return storage.messages().readers(id, after, limit);
  }

  /**
   * A mailbox's statistics. Its unread counts are its agent's for an agent's mailbox, the caller's
   * for the others.
   *
   * @throws MailroomException.NotFound if there is no such mailbox
   * @throws MailroomException.Forbidden if the caller may not read it
   */
  public MailboxStats mailboxStats(Principal caller, MailboxName mailbox) {
    MailboxInfo box = readable(caller, mailbox);
    AgentId reader = box.kind() == MailboxKind.AGENT ? AgentId.of(mailbox.value()) : caller.id();
    return storage
        .messages()
        .mailboxStats(mailbox, reader)
        .orElseThrow(() -> new MailroomException.NotFound("no mailbox " + mailbox));
  }

  /**
   * A mailbox the caller may read.
   *
   * @throws MailroomException.NotFound if there is no such mailbox
   * @throws MailroomException.Forbidden if the caller may not read it
   */
  private MailboxInfo readable(Principal caller, MailboxName mailbox) {
    MailboxInfo box =
        storage
            .messages()
            .mailbox(mailbox)
            .orElseThrow(() -> new MailroomException.NotFound("no mailbox " + mailbox));
    permissions.require(caller, Action.READ, mailbox, box.kind());
    return box;
  }

  /** The caller's own mailbox. */
  public Optional<MailboxInfo> ownMailbox(Principal caller) {
    return storage.messages().mailbox(caller.id().mailbox());
  }
}
