package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The receipts of a message ({@code GET /v1/messages/{id}/receipts}): its obligation, if it asked
 * for one, and a page of its recipients by agent id, each with the furthest step it reached and the
 * time of every step.
 *
 * @param messageId the message
 * @param sender who sent it
 * @param sentAt when it was stored
 * @param obligation what it asked for and where that stands; absent when it asked for nothing
 * @param receipts one per recipient, by agent id
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record ReceiptList(
    String messageId,
    String sender,
    Instant sentAt,
    Optional<ObligationView> obligation,
    List<Receipt> receipts,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public ReceiptList {
    receipts = List.copyOf(receipts);
  }

  /**
   * One recipient's receipt.
   *
   * @param agentId the recipient
   * @param state the furthest step: {@code queued}, {@code delivered}, {@code read}, {@code
   *     acknowledged} or {@code replied}
   * @param queuedAt when the message was stored for it
   * @param deliveredAt when it was first handed to the agent (a page of its inbox, or the message
   *     fetched by id)
   * @param readAt when the agent first marked it read
   * @param acknowledgedAt when the agent first acknowledged it
   * @param repliedAt when the agent's first message in the message's thread was sent
   * @param replyId that message
   */
  public record Receipt(
      String agentId,
      String state,
      Instant queuedAt,
      Optional<Instant> deliveredAt,
      Optional<Instant> readAt,
      Optional<Instant> acknowledgedAt,
      Optional<Instant> repliedAt,
      Optional<String> replyId) {}
}
