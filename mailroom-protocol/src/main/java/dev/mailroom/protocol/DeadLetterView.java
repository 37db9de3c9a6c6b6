package dev.mailroom.protocol;

import java.time.Instant;

/**
 * A delivery given up on after its last attempt.
 *
 * @param id the message id
 * @param agentId whose delivery it was
 * @param subscriptionId the subscription it came through ({@code inbox} for the agent's own
 *     mailbox)
 * @param attempts how many times it was pushed
 * @param reason why it was given up on
 */
public record DeadLetterView(
    String id,
    String agentId,
    String subscriptionId,
    int attempts,
    String reason,
    Instant deadAt,
    MessageView message) {}
