package dev.mailroom.protocol;

import java.time.Instant;

/**
 * The pending deliveries of one agent through one way in.
 *
 * @param subscription {@code inbox} for the agent's own mailbox (direct messages and broadcasts),
 *     else the id of one of its subscriptions
 * @param pending how many deliveries are pending
 * @param oldestAt when the oldest of them was sent
 * @param oldestAgeSeconds how long it has waited
 */
public record BacklogView(
    String agent, String subscription, long pending, Instant oldestAt, double oldestAgeSeconds) {}
