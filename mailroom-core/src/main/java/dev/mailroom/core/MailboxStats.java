package dev.mailroom.core;

import java.time.Instant;
import java.util.Optional;

/**
 * What a store counts of one mailbox, for its statistics.
 *
 * @param info its kind, live size and drops
 * @param total how many messages it ever received (dropped and expired ones included)
 * @param createdAt when it came into being
 * @param lastMessageAt when its latest message arrived
 * @param oldestMessage the oldest live message it holds
 * @param pending deliveries of its messages still pending, to every agent and through any way in
 * @param unread how many of its live messages {@code reader} has not marked read
 * @param oldestUnread the oldest of those
 */
public record MailboxStats(
    MailboxInfo info,
    long total,
    Instant createdAt,
    Optional<Instant> lastMessageAt,
    Optional<MessageId> oldestMessage,
    long pending,
    long unread,
    Optional<MessageId> oldestUnread) {}
