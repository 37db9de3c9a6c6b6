package dev.mailroom.protocol;

import java.time.Instant;

/**
 * An alert firing on the answering node.
 *
 * @param rule the rule's name
 * @param signal the signal it watches
 * @param subject what it is about: {@code <agent>/<way in>} (such as {@code ci-bot/inbox} or {@code
 *     ci-bot/sub_1}) for the backlog signals, empty for the others
 * @param value the signal's value at the last evaluation
 * @param since when it fired
 */
public record AlertView(String rule, String signal, String subject, double value, Instant since) {}
