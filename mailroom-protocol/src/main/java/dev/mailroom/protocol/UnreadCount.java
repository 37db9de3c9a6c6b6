package dev.mailroom.protocol;

/**
 * The answer to {@code GET /v1/inbox/unread_count}.
 *
 * @param unread how many messages in the caller's mailbox it has not marked read
 */
public record UnreadCount(long unread) {}
