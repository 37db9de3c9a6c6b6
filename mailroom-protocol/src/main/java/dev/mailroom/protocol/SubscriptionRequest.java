package dev.mailroom.protocol;

import java.util.Optional;

/**
 * The body of {@code POST /v1/subscriptions} and, without {@code pattern}, of {@code POST
 * /v1/topics/{name}/join}. Absent fields take the server's defaults.
 *
 * @param pattern a name or a pattern with {@code *} and {@code **}; absent for a join
 * @param deliveryMode {@code realtime}, {@code batch} or {@code polling}
 * @param filter what a message must pass to be delivered
 * @param maxQueueSize how many pending deliveries the subscription holds
 * @param autoAck a push counts as acknowledged once written
 * @param batchSize batch mode: push when this many wait
 * @param batchWindowSeconds batch mode: push when the oldest waiting one is this old
 */
public record SubscriptionRequest(
    Optional<String> pattern,
    Optional<String> deliveryMode,
    Optional<SubscriptionView.Filter> filter,
    Optional<Integer> maxQueueSize,
    Optional<Boolean> autoAck,
    Optional<Integer> batchSize,
    Optional<Double> batchWindowSeconds) {}
