package dev.mailroom.protocol;

import java.time.Instant;
import java.util.Optional;

/**
 * One mailbox's statistics ({@code GET /v1/mailboxes/{name}/stats}).
 *
 * @param kind {@code agent}, {@code shared} or {@code topic}
 * @param size live messages it holds
 * @param total messages it ever received, dropped and expired ones included
 * @param dropped messages dropped because it was full
 * @param pending deliveries of its messages not yet acknowledged, to every agent
 * @param unread its live messages the reader has not marked read: the mailbox's agent for an agent
 *     mailbox, else the caller
 * @param oldestUnreadAt when the oldest of those was sent
 * @param oldestUnreadAgeSeconds how long it has been unread
 * @param oldestMessageAt when its oldest live message was sent
 * @param lastMessageAt when its latest message arrived
 * @param subscribers subscriptions whose pattern matches it (for an agent mailbox, 1: its agent)
 */
public record MailboxStatsView(
    String name,
    String kind,
    long size,
    long total,
    long dropped,
    long pending,
    long unread,
    Optional<Instant> oldestUnreadAt,
    Optional<Double> oldestUnreadAgeSeconds,
    Optional<Instant> oldestMessageAt,
    Optional<Instant> lastMessageAt,
    Instant createdAt,
    int subscribers) {}
