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
 */
public record InboxSummary(
    String agentId, long unread, int examined, List<SenderCount> topSenders, List<Item> newest) {
  public InboxSummary {
    topSenders = List.copyOf(topSenders);
    newest = List.copyOf(newest);
  }

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
