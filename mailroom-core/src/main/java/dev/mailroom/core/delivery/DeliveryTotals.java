package dev.mailroom.core.delivery;

/**
 * Counts across every agent.
 *
 * @param pending pending deliveries (deliveries of expired messages may count until the cleaner
 *     removes them)
 * @param deadLetters dead letters held
 * @param subscriptions subscriptions stored
 */
public record DeliveryTotals(long pending, long deadLetters, long subscriptions) {}
