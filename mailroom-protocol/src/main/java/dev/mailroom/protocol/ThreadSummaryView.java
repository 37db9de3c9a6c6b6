package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A thread as the caller sees it ({@code GET /v1/threads}, {@code GET
 * /v1/threads/{thread_id}/summary}).
 *
 * @param threadId the thread
 * @param messageCount how many of its messages the caller may read (counted up to 10,000)
 * @param unreadCount how many of those, sent by others, the caller has not marked read
 * @param participants who wrote them, in the order they first did (at most 50)
 * @param firstMessageId the oldest of them
 * @param lastMessageId the newest of them
 * @param lastSender who wrote the newest
 * @param lastActivity when the newest was sent
 * @param complete false when the thread was too long to count whole
 */
public record ThreadSummaryView(
    String threadId,
    long messageCount,
    long unreadCount,
    List<String> participants,
    String firstMessageId,
    String lastMessageId,
    String lastSender,
    Instant lastActivity,
    boolean complete) {
  public ThreadSummaryView {
    participants = List.copyOf(participants);
  }
}
