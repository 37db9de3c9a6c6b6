package dev.mailroom.core.delivery;

import dev.mailroom.core.MailboxName;
import java.time.Instant;
import java.util.Optional;

/**
 * What a store knows about one topic's traffic.
 *
 * @param messages how many messages were ever published to it
 * @param lastMessageAt when the latest one was
 * @param peakSubscribers the most subscribers it had at once, as recorded
 * @param createdAt when the topic came into being
 */
public record TopicStats(
    MailboxName name,
    long messages,
    Optional<Instant> lastMessageAt,
    int peakSubscribers,
    Instant createdAt) {}
