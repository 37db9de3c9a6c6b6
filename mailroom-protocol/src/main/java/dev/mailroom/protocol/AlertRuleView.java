package dev.mailroom.protocol;

/**
 * An alert rule on the answering node ({@code /v1/admin/alerts}).
 *
 * @param name the rule's name; its alerts are published to the topic {@code mailroom.alerts.<name>}
 * @param signal what it watches: {@code dead_letters}, {@code backlog_pending}, {@code
 *     backlog_oldest_seconds}, {@code spool_depth}, {@code error_rate} or {@code disk_free_bytes}
 * @param fireAt the value at which an alert fires (at or above it; at or below it for {@code
 *     disk_free_bytes})
 * @param resolveAt the value past which a firing alert resolves (below {@code fire_at}; above it
 *     for {@code disk_free_bytes})
 * @param firing how many of its alerts fire now on the answering node
 */
public record AlertRuleView(
    String name, String signal, double fireAt, double resolveAt, int firing) {}
