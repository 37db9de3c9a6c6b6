package dev.mailroom.core.alert;

/**
 * One value of a signal.
 *
 * @param subject what the value is about: for a {@linkplain Signal#perSubject per-subject} signal,
 *     {@code <agent>/<way in>} (such as {@code ci-bot/inbox} or {@code ci-bot/sub_1}); for the
 *     others, the empty string
 */
public record Reading(String subject, double value) {
  /** The one value of a signal that is not per subject. */
  public static Reading of(double value) {
    return new Reading("", value);
  }
}
