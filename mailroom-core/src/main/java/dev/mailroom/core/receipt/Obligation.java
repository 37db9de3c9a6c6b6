package dev.mailroom.core.receipt;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.spi.Route;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the sender of a message asked for in return, and whether it came. One per message, owed by
 * the message's target: the agent for an agent's mailbox; for a shared mailbox or a topic, any
 * agent other than the sender that may read it, the first one to answer meeting it for all.
 *
 * <p>A reply (a message of the recipient's in the message's thread) always meets it; an
 * acknowledgement meets it only when {@code ackRequired}. With {@code replyBy} it is overdue from
 * that instant until it is met; met after it, it is met late. Without {@code replyBy} it never goes
 * overdue.
 *
 * @param message the message that asks
 * @param sender who asked: the party it is owed to
 * @param target the mailbox or topic it was sent to: the party that owes it
 * @param kind the target's kind
 * @param thread the thread a reply is looked for in (the message's own, or one named after it)
 * @param ackRequired whether an acknowledgement meets it
 * @param replyBy the deadline, if any
 * @param expiresAt when the message expires; the obligation is removed with it
 * @param met who met it, how and when; empty while it is owed
 * @param noticedAt when the sender was sent the notice that it is overdue; empty until then
 */
public record Obligation(
    MessageId message,
    AgentId sender,
    MailboxName target,
    MailboxKind kind,
    ThreadId thread,
    boolean ackRequired,
    Optional<Instant> replyBy,
    Instant expiresAt,
    Optional<Fulfilment> met,
    Optional<Instant> noticedAt) {

  public Obligation {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(replyBy, "replyBy");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(met, "met");
    Objects.requireNonNull(noticedAt, "noticedAt");
    if (!ackRequired && replyBy.isEmpty()) {
      throw new IllegalArgumentException("an obligation asks for an ack or a reply by a deadline");
    }
  }

  /** An obligation just opened: not met, no notice sent. */
  public static Obligation opened(
      MessageId message,
      AgentId sender,
      MailboxName target,
      MailboxKind kind,
      ThreadId thread,
      boolean ackRequired,
      Optional<Instant> replyBy,
      Instant expiresAt) {
    return new Obligation(
        message,
        sender,
        target,
        kind,
        thread,
        ackRequired,
        replyBy,
        expiresAt,
        Optional.empty(),
        Optional.empty());
  }

  /**
   * The obligation a message stored under {@code id} asks for: present when its draft asks for an
   * acknowledgement or a reply by a deadline and it goes to one mailbox or topic (a broadcast, owed
   * by nobody in particular, never has one). What {@link dev.mailroom.core.spi.MessageStore#send}
   * stores with the message.
   */
  public static Optional<Obligation> askedBy(OutgoingMessage message, Route route, MessageId id) {
    Draft draft = message.draft();
    if (!draft.hasObligation() || !(route instanceof Route.ToMailbox to)) {
      return Optional.empty();
    }
    return Optional.of(
        opened(
            id,
            message.sender(),
            to.name(),
            to.kind(),
            draft.threadId().orElseGet(() -> ThreadId.of(id.toString())),
            draft.ackRequired(),
            draft.replyBy(),
            id.timestamp().plus(message.ttl())));
  }

  /** Where an obligation stands. */
  public enum State {
    /** Owed, and its deadline (if any) has not passed. */
    OPEN,
    /** Owed past its deadline. */
    OVERDUE,
    /** Met (possibly late). */
    MET;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The state a wire name names. */
    public static State fromWire(String name) {
      for (State s : values()) {
        if (s.wireName().equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("must be one of open, overdue, met");
    }
  }

  /** How an obligation was met. */
  public enum Means {
    ACK,
    REPLY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * That {@code by} met the obligation at {@code at}, by an acknowledgement or by the reply {@code
   * reply}.
   */
  public record Fulfilment(AgentId by, Means means, Instant at, Optional<MessageId> reply) {
    public Fulfilment {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(means, "means");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reply, "reply");
      if ((means == Means.REPLY) != reply.isPresent()) {
        throw new IllegalArgumentException("a reply, and only a reply, names its message");
      }
    }

    /** Met by acknowledging. */
    public static Fulfilment ack(AgentId by, Instant at) {
      return new Fulfilment(by, Means.ACK, at, Optional.empty());
    }

    /** Met by the reply {@code reply}, sent at its id's time. */
    public static Fulfilment reply(AgentId by, MessageId reply) {
      return new Fulfilment(by, Means.REPLY, reply.timestamp(), Optional.of(reply));
    }
  }

  /** Where it stands at {@code now}. */
  public State state(Instant now) {
    if (met.isPresent()) {
      return State.MET;
    }
    return replyBy.isPresent() && !now.isBefore(replyBy.get()) ? State.OVERDUE : State.OPEN;
  }

  /** Whether it was met after its deadline. */
  public boolean metLate() {
    return met.isPresent() && replyBy.isPresent() && met.get().at().isAfter(replyBy.get());
  }

  /** Whether this way of answering meets it: a reply always, an acknowledgement when asked for. */
  public boolean meetsBy(Means means) {
    return means == Means.REPLY || ackRequired;
  }

  /** Whether it is owed by one agent alone (sent to that agent's mailbox). */
  public boolean owedBy(AgentId agent) {
    return kind == MailboxKind.AGENT && target.value().equals(agent.value());
  }

  /** This obligation, met. */
  public Obligation withMet(Fulfilment fulfilment) {
    return new Obligation(
        message,
        sender,
        target,
        kind,
        thread,
        ackRequired,
        replyBy,
        expiresAt,
        Optional.of(fulfilment),
        noticedAt);
  }

  /** This obligation, its overdue notice sent at {@code at}. */
  public Obligation withNoticedAt(Instant at) {
    return new Obligation(
        message,
        sender,
        target,
        kind,
        thread,
        ackRequired,
        replyBy,
        expiresAt,
        met,
        Optional.of(at));
  }
}
