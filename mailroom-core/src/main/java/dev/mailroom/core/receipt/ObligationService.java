package dev.mailroom.core.receipt;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Priority;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.receipt.Obligation.Fulfilment;
import dev.mailroom.core.spi.ObligationStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Obligations and receipts as callers see them: opened by a send that asks for them, met by the
 * recipient's acknowledgement or reply, listed from either side, swept into overdue notices; and
 * each recipient's receipt of a message, put together from the message, its readers, its marks and
 * its thread.
 */
public final class ObligationService {
  /** How many unmet obligations of one thread a reply is checked against. */
  static final int MAX_THREAD_OBLIGATIONS = 100;

  /** How many readers, marks and thread messages a receipt listing looks at, at most. */
  public static final int MAX_RECEIPT_SCAN = 10_000;

  private final Storage storage;
  private final InstantSource clock;
  private final Permissions permissions;

  public ObligationService(Storage storage, InstantSource clock, Permissions permissions) {
    this.storage = storage;
    this.clock = clock;
    this.permissions = permissions;
  }

  private ObligationStore store() {
    return storage.obligations();
  }

  /**
   * Refuses an obligation a send cannot carry: on a broadcast (nobody in particular owes it), a
   * deadline not in the future, or one after the message expires.
   *
   * @throws MailroomException.InvalidRequest naming {@code ack_required} or {@code reply_by}
   */
  public void validate(Draft draft, Duration ttl) {
    if (!draft.hasObligation()) {
      return;
    }
    String field = draft.replyBy().isPresent() ? "reply_by" : "ack_required";
    if (draft.mode() == SendMode.BROADCAST) {
      throw MailroomException.InvalidRequest.field(field, "is not allowed on a broadcast");
    }
    if (draft.replyBy().isPresent()) {
      Instant now = clock.instant();
      Instant by = draft.replyBy().get();
      if (!by.isAfter(now)) {
        throw MailroomException.InvalidRequest.field("reply_by", "must be in the future");
      }
      if (by.isAfter(now.plus(ttl))) {
        throw MailroomException.InvalidRequest.field(
            "reply_by", "must not be after the message expires (ttl " + ttl.toSeconds() + " s)");
      }
    }
  }

  /**
   * After a send: meets the sender's unmet obligations in the message's thread. (The message's own
   * obligation the store stored with it.) A repeated send meets nothing again, and a spooled one
   * meets nothing: it is not stored yet.
   */
  public void sent(Principal from, OutgoingMessage message, SendResult result) {
    sentAll(from, List.of(message), List.of(result));
  }

  /**
   * After a batch ({@code results} in the order of {@code messages}): as {@link #sent} for each,
   * reading each thread's unmet obligations once. A batch is stored at once, so no other message
   * falls between its ids, and its first reply in a thread meets all that its later ones would.
   */
  public void sentAll(Principal from, List<OutgoingMessage> messages, List<SendResult> results) {
    Map<ThreadId, MessageId> firstReply = new LinkedHashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      Optional<ThreadId> thread = messages.get(i).draft().threadId();
      if (thread.isPresent() && results.get(i) instanceof SendResult.Accepted accepted) {
        firstReply.putIfAbsent(thread.get(), accepted.id());
      }
    }
    firstReply.forEach((thread, reply) -> replied(from, thread, reply));
  }

  private void replied(Principal from, ThreadId thread, MessageId reply) {
    for (Obligation o : store().unmet(thread, MAX_THREAD_OBLIGATIONS)) {
      if (o.message().compareTo(reply) < 0 && owes(from.id(), o)) {
        store().meet(o.message(), Fulfilment.reply(from.id(), reply));
      }
    }
  }

  /**
   * Whether the agent is one the obligation is owed by: the agent of the agent's mailbox it was
   * sent to; for a shared mailbox or topic, any agent but the sender that may read the message.
   */
  private boolean owes(AgentId agent, Obligation o) {
    if (agent.equals(o.sender())) {
      return false;
    }
    if (o.kind() == MailboxKind.AGENT) {
      return o.owedBy(agent);
    }
    return storage
        .messages()
        .find(o.message())
        .filter(m -> permissions.mayRead(agent, m))
        .isPresent();
  }

  /**
   * The caller acknowledged a message it may read: records the time, and meets the message's
   * obligation if an acknowledgement does and the caller owes it.
   */
  public void acknowledged(Principal caller, Message message) {
    Instant now = clock.instant();
    store()
        .record(
            List.of(
                new ReceiptMark(
                    message.id(),
                    caller.id(),
                    ReceiptMark.Kind.ACKNOWLEDGED,
                    now,
                    message.expiresAt())));
    Optional<Obligation> o = store().find(message.id());
    if (o.isPresent()
        && o.get().met().isEmpty()
        && o.get().meetsBy(Obligation.Means.ACK)
        && owes(caller.id(), o.get())) {
      store().meet(message.id(), Fulfilment.ack(caller.id(), now));
    }
  }

  /**
   * The agent acknowledged deliveries over its stream (ids only, as a stream's batch of
   * acknowledgements carries them): for those of the messages that carry an obligation (one read
   * for the batch), records the acknowledgement's time and meets the obligation when an
   * acknowledgement does and the agent owes it. Acknowledgements of other messages are not timed:
   * that would cost a read of each message on the stream's hot path.
   */
  public void acknowledged(AgentId agent, List<MessageId> ids) {
    if (ids.isEmpty()) {
      return;
    }
    List<Obligation> found = store().findAll(ids);
    if (found.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    List<ReceiptMark> marks = new ArrayList<>(found.size());
    for (Obligation o : found) {
      marks.add(
          new ReceiptMark(o.message(), agent, ReceiptMark.Kind.ACKNOWLEDGED, now, o.expiresAt()));
    }
    store().record(marks);
    for (Obligation o : found) {
      if (o.met().isEmpty() && o.meetsBy(Obligation.Means.ACK) && owes(agent, o)) {
        store().meet(o.message(), Fulfilment.ack(agent, now));
      }
    }
  }

  /**
   * Records that messages were handed to an agent (a page of its inbox), in one write; the ones it
   * has read already, and its own, need no mark.
   */
  public void delivered(AgentId agent, List<Envelope> page) {
    Instant now = clock.instant();
    List<ReceiptMark> marks = new ArrayList<>();
    for (Envelope e : page) {
      Message m = e.message();
      if (e.readAt().isEmpty() && !m.sender().equals(agent)) {
        marks.add(new ReceiptMark(m.id(), agent, ReceiptMark.Kind.DELIVERED, now, m.expiresAt()));
      }
    }
    if (!marks.isEmpty()) {
      store().record(marks);
    }
  }

  /** Which side of obligations a listing is of. */
  public enum Role {
    /** Obligations of the caller's own messages. */
    OWED_TO_ME,
    /** Obligations of messages sent to the caller (or to the mailbox or topic named). */
    OWED_BY_ME
  }

  /**
   * A page of obligations, newest first: owed to the caller, or owed by it (by its own mailbox, or
   * by a mailbox or topic it may read when {@code mailbox} names one).
   *
   * @throws MailroomException.Forbidden if the caller may not read the mailbox named
   */
  public List<Obligation> list(
      Principal caller,
      Role role,
      Optional<MailboxName> mailbox,
      Set<Obligation.State> states,
      Optional<MessageId> before,
      int limit) {
    ObligationStore.Party party;
    if (role == Role.OWED_TO_ME) {
      if (mailbox.isPresent()) {
        throw MailroomException.InvalidRequest.field(
            "mailbox", "is only allowed with role=owed_by_me");
      }
      party = new ObligationStore.Party.Sender(caller.id());
    } else {
      MailboxName name = mailbox.orElse(caller.id().mailbox());
      if (!name.equals(caller.id().mailbox())) {
        MailboxKind kind =
            storage
                .messages()
                .mailbox(name)
                .orElseThrow(() -> new MailroomException.NotFound("no mailbox " + name))
                .kind();
        permissions.require(caller, dev.mailroom.core.access.Action.READ, name, kind);
      }
      party = new ObligationStore.Party.Target(name);
    }
    return store().list(party, states, clock.instant(), before, limit);
  }

  /** The current time, by which obligation states are told. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * A message's obligation and one page of its receipts.
   *
   * @param message the message
   * @param obligation its obligation, if it asked for one
   * @param receipts up to the limit asked for, by agent
   */
  public record Receipts(
      Message message, Optional<Obligation> obligation, List<Receipt> receipts) {}

  /**
   * The receipts of a message the caller sent (an admin: any message), by agent, strictly after
   * {@code after} when given, at most {@code limit}. The recipients are the agent of an agent's
   * mailbox; for a shared mailbox, a topic or a broadcast, every agent but the sender that has a
   * delivery or acknowledgement recorded, has read it, or has written in its thread (at most
   * {@value #MAX_RECEIPT_SCAN} of each are looked at).
   *
   * @throws MailroomException.NotFound if there is no such live message
   * @throws MailroomException.Forbidden if the caller neither sent it nor is an admin
   */
  public Receipts receipts(Principal caller, MessageId id, Optional<AgentId> after, int limit) {
    Message message =
        storage
            .messages()
            .find(id)
            .orElseThrow(() -> new MailroomException.NotFound("no message " + id));
    if (!caller.isAdmin() && !caller.id().equals(message.sender())) {
      throw new MailroomException.Forbidden("only the sender sees the receipts of message " + id);
    }
    Optional<Obligation> obligation = store().find(id);
    Optional<AgentId> only = soleRecipient(message, obligation);
    Map<AgentId, Optional<Instant>> read = new HashMap<>();
    for (ReadReceipt r : storage.messages().readers(id, Optional.empty(), MAX_RECEIPT_SCAN)) {
      read.put(r.reader(), Optional.of(r.readAt()));
    }
    Map<AgentId, ReceiptTimes> marks = new HashMap<>();
    for (ReceiptTimes t : store().marks(id, Optional.empty(), MAX_RECEIPT_SCAN)) {
      marks.put(t.agent(), t);
    }
    Map<AgentId, MessageId> replies = firstReplies(message);
    TreeSet<AgentId> agents = new TreeSet<>();
    if (only.isPresent()) {
      agents.add(only.get());
    } else {
      agents.addAll(read.keySet());
      agents.addAll(marks.keySet());
      agents.addAll(replies.keySet());
      agents.remove(message.sender());
    }
    List<Receipt> page = new ArrayList<>();
    for (AgentId agent : after.isPresent() ? agents.tailSet(after.get(), false) : agents) {
      if (page.size() == limit) {
        break;
      }
      Optional<ReceiptTimes> t = Optional.ofNullable(marks.get(agent));
      Optional<MessageId> reply = Optional.ofNullable(replies.get(agent));
      page.add(
          new Receipt(
              agent,
              id.timestamp(),
              t.flatMap(ReceiptTimes::deliveredAt),
              read.getOrDefault(agent, Optional.empty()),
              t.flatMap(ReceiptTimes::acknowledgedAt),
              reply.map(MessageId::timestamp),
              reply));
    }
    return new Receipts(message, obligation, page);
  }

  /** The one agent a message to an agent's mailbox is for; empty for every other message. */
  private Optional<AgentId> soleRecipient(Message message, Optional<Obligation> obligation) {
    if (obligation.isPresent()) {
      return obligation.get().kind() == MailboxKind.AGENT
          ? Optional.of(AgentId.of(obligation.get().target().value()))
          : Optional.empty();
    }
    if (message.mode() != SendMode.DIRECT || !message.target().orElseThrow().isAgentShaped()) {
      return Optional.empty();
    }
    AgentId agent = AgentId.of(message.target().get().value());
    return storage.agents().find(agent).isPresent() ? Optional.of(agent) : Optional.empty();
  }

  /** Each agent's first message in the message's thread after it (at most a scan's worth). */
  private Map<AgentId, MessageId> firstReplies(Message message) {
    ThreadId thread = message.threadId().orElseGet(() -> ThreadId.of(message.id().toString()));
    Map<AgentId, MessageId> first = new TreeMap<>();
    Optional<MessageId> position = Optional.of(message.id());
    int seen = 0;
    while (seen < MAX_RECEIPT_SCAN) {
      Page<Envelope> page =
          storage.messages().thread(thread, message.sender(), position, Order.ASC, 1000);
      for (Envelope e : page.items()) {
        first.putIfAbsent(e.message().sender(), e.message().id());
        position = Optional.of(e.message().id());
      }
      seen += page.items().size();
      if (page.next().isEmpty() || page.items().isEmpty()) {
        break;
      }
    }
    first.remove(message.sender());
    return first;
  }

  /**
   * One pass of the sweeper: for each obligation past its deadline whose sender has had no notice
   * (at most {@code max}), puts one notice in the sender's mailbox, sent by {@code noticeSender}.
   * The notice carries an idempotency key named after the obligation, so nodes sweeping at once
   * store it once; the notice is recorded after it is stored, so a node that stops in between
   * leaves it to the next pass.
   *
   * @return how many notices were recorded
   */
  public int sweep(AgentId noticeSender, Duration noticeTtl, int max) {
    Instant now = clock.instant();
    int sent = 0;
    for (Obligation o : store().due(now, max)) {
      if (storage.agents().find(o.sender()).isPresent()) {
        storage.messages().send(notice(noticeSender, noticeTtl, o), toSender(o));
      }
      if (store().noticed(o.message(), now)) {
        sent++;
      }
    }
    return sent;
  }

  private static Route toSender(Obligation o) {
    return new Route.ToMailbox(o.sender().mailbox(), MailboxKind.AGENT);
  }

  private static OutgoingMessage notice(AgentId from, Duration ttl, Obligation o) {
    String owed = o.ackRequired() ? "an acknowledgement or a reply" : "a reply";
    String json =
        "{\"type\":\"obligation_overdue\",\"message_id\":\""
            + o.message()
            + "\",\"owed_by\":\""
            + o.target().value()
            + "\",\"thread_id\":\""
            + o.thread().value()
            + "\",\"reply_by\":\""
            + o.replyBy().orElseThrow()
            + "\",\"owed\":\""
            + owed
            + "\"}";
    Draft draft =
        new Draft(
            SendMode.DIRECT,
            Optional.of(o.sender().mailbox()),
            ContentType.APPLICATION_JSON,
            Optional.empty(),
            Payload.ofText(json),
            Priority.HIGH,
            List.of(Tag.of("obligation"), Tag.of("overdue")),
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.of(o.message()),
            Optional.of("obligation-overdue-" + o.message()));
    return new OutgoingMessage(from, draft, ttl);
  }
}
