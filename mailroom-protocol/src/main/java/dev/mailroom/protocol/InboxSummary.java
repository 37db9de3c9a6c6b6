package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to {@code GET /v1/inbox/summary}: what an agent should know about its unread mail at
 * the start of a turn, small enough to put in a model's context every time.
 *
 * @param agentId the caller
 * @param unread how many messages in the caller's mailbox it has not marked read
 * @param examined how many of the newest unread messages the senders were counted over (at most a
 *     fixed bound, so the summary costs the same whatever the backlog)
 * @param topSenders the senders of the examined messages, most messages first, then by name
 * @param newest the newest unread messages, newest first
 * @param overdue obligations past their deadline, owed by the caller and owed to it
 */
public record InboxSummary(
    String agentId,
    long unread,
    int examined,
    List<SenderCount> topSenders,
    List<Item> newest,
    Overdue overdue) {
  public InboxSummary {
    topSenders = List.copyOf(topSenders);
    newest = List.copyOf(newest);
    overdue = overdue == null ? Overdue.NONE : overdue;
  }

  /** A summary without overdue obligations. */
  public InboxSummary(
      String agentId, long unread, int examined, List<SenderCount> topSenders, List<Item> newest) {
    this(agentId, unread, examined, topSenders, newest, Overdue.NONE);
  }

  /**
   * Overdue obligations, newest message first, a few of each side.
   *
   * @param owedByMe messages to the caller whose reply (or acknowledgement) is past its deadline
   * @param owedToMe the caller's messages whose recipients are past the deadline
   * @param more true when either side has more than are listed
   */
  public record Overdue(List<Obligation> owedByMe, List<Obligation> owedToMe, boolean more) {
    public static final Overdue NONE = new Overdue(List.of(), List.of(), false);

    public Overdue {
      owedByMe = owedByMe == null ? List.of() : List.copyOf(owedByMe);
      owedToMe = owedToMe == null ? List.of() : List.copyOf(owedToMe);
    }
  }

  /**
   * One overdue obligation, briefly.
   *
   * @param messageId the message that asked
   * @param counterpart for one owed by the caller, the agent that asked; for one owed to it, the
   *     mailbox or topic that owes it
   * @param replyBy the deadline that passed
   * @param ackRequired whether an acknowledgement would meet it (else only a reply)
   */
  public record Obligation(
      String messageId, String counterpart, Instant replyBy, boolean ackRequired) {}

  /**
   * How many of the examined messages one agent sent.
   *
   * @param sender the sending agent
   * @param count how many
   */
  public record SenderCount(String sender, long count) {}

  /**
   * One unread message, briefly.
   *
   * @param id the message id
   * @param sender the sending agent
   * @param timestamp when it was sent
   * @param priority its priority
   * @param contentType its payload's content type
   * @param subject the metadata's {@code subject} if it has a text one, else the first line of a
   *     text or markdown payload, shortened; absent for other payloads
   */
  public record Item(
      String id,
      String sender,
      Instant timestamp,
      String priority,
      String contentType,
      Optional<String> subject) {}
}
