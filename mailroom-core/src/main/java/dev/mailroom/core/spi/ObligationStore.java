package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.ReceiptMark;
import dev.mailroom.core.receipt.ReceiptTimes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Obligations of messages (an acknowledgement or a reply asked for) and the receipt marks of their
 * recipients (delivered, acknowledged). Both go with their message: {@link #purgeExpired} removes
 * those whose message has expired. Implementations are thread-safe; {@link #meet} and {@link
 * #noticed} are atomic across every node sharing the backend, so of two concurrent calls exactly
 * one changes the obligation. Every method may throw {@link
 * dev.mailroom.core.MailroomException.Unavailable} when the backend is down.
 */
public interface ObligationStore {

  /** The side of an obligation a listing is of. */
  sealed interface Party {
    /** The obligations of the messages this agent sent: owed to it. */
    record Sender(AgentId agent) implements Party {}

    /** The obligations of the messages sent to this mailbox or topic: owed by it. */
    record Target(MailboxName mailbox) implements Party {}
  }

  /**
   * Stores a new obligation, unless its message has one already (a send repeated with its
   * idempotency key opens it again).
   *
   * @return whether it was stored
   */
  boolean open(Obligation obligation);

  /** The obligation of a message, if it has one. */
  Optional<Obligation> find(MessageId message);

  /**
   * The obligations of those of {@code messages} that have one, in one read, in no particular
   * order: what a batch of acknowledgements checks.
   */
  List<Obligation> findAll(List<MessageId> messages);

  /**
   * One party's obligations in one of {@code states} at {@code now}, newest message first, strictly
   * before {@code before} when given, at most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<Obligation> list(
      Party party,
      Set<Obligation.State> states,
      Instant now,
      Optional<MessageId> before,
      int limit);

  /** The obligations of one thread that are not met yet, oldest first, at most {@code limit}. */
  List<Obligation> unmet(ThreadId thread, int limit);

  /**
   * Records that an obligation was met, unless it was met already: the first fulfilment stays.
   *
   * @return the obligation as it now stands, if the message has one
   */
  Optional<Obligation> meet(MessageId message, Obligation.Fulfilment fulfilment);

  /**
   * Obligations not met whose deadline is at or before {@code now} and whose sender has not been
   * sent the notice: earliest deadline first, at most {@code limit}.
   */
  List<Obligation> due(Instant now, int limit);

  /**
   * Records that the overdue notice of an obligation went out at {@code at}, unless one did
   * already.
   *
   * @return whether this call recorded it
   */
  boolean noticed(MessageId message, Instant at);

  /**
   * Records receipt marks, in one write, keeping for each message, agent and kind the first time
   * recorded: a mark that has one already changes nothing.
   */
  void record(List<ReceiptMark> marks);

  /**
   * The marks of one message's recipients, by agent, strictly after {@code after} when given, at
   * most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit} is less than 1
   */
  List<ReceiptTimes> marks(MessageId message, Optional<AgentId> after, int limit);

  /**
   * Removes the obligations and marks whose message expired at or before {@code now}, at most about
   * {@code maxRows} of each.
   *
   * @return how many it removed; a backend may count only those it saw
   */
  int purgeExpired(Instant now, int maxRows);
}
