package dev.mailroom.core.alert;

import java.time.Instant;

/**
 * An alert that fired or resolved at one evaluation.
 *
 * @param subject as in {@link Reading#subject()}
 * @param value the signal's value that crossed the threshold
 * @param since when the alert fired (for a resolution, when the episode began)
 * @param at when this event happened
 */
public record AlertEvent(
    AlertRule rule, String subject, State state, double value, Instant since, Instant at) {

  /** Whether the alert began or ended. */
  public enum State {
    FIRING,
    RESOLVED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
