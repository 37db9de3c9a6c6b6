package dev.mailroom.protocol;

import java.time.Instant;
import java.util.Optional;

/**
 * What a message asked for in return, and where that stands.
 *
 * @param messageId the message that asks
 * @param sender who asked: whom it is owed to
 * @param owedBy the mailbox or topic the message went to: who owes it (for a shared mailbox or a
 *     topic, the first agent that answers meets it)
 * @param owedByKind {@code agent}, {@code shared} or {@code topic}
 * @param threadId the thread a reply counts in
 * @param ackRequired whether an acknowledgement meets it (a reply always does)
 * @param replyBy the deadline; absent when there is none
 * @param state {@code open}, {@code overdue} or {@code met}
 * @param late true when it was met after its deadline
 * @param metBy the agent that met it
 * @param metHow how: {@code ack} or {@code reply}
 * @param metAt when
 * @param replyId the reply that met it
 * @param noticedAt when the sender was sent the notice that it is overdue
 */
public record ObligationView(
    String messageId,
    String sender,
    String owedBy,
    String owedByKind,
    String threadId,
    boolean ackRequired,
    Optional<Instant> replyBy,
    String state,
    boolean late,
    Optional<String> metBy,
    Optional<String> metHow,
    Optional<Instant> metAt,
    Optional<String> replyId,
    Optional<Instant> noticedAt) {}
