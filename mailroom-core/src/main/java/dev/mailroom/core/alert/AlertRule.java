package dev.mailroom.core.alert;

import dev.mailroom.core.MailroomException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A threshold on a signal, with hysteresis: an alert fires when the signal reaches {@code fireAt}
 * and resolves only once it is back past {@code resolveAt}, so a value hovering at the threshold
 * does not fire again and again. For a signal bad {@linkplain Signal.Direction#ABOVE above} its
 * threshold, {@code resolveAt} is below {@code fireAt}; for one bad below (free disk), above it.
 *
 * @param name 1–64 characters of {@code a-z 0-9 _ -}; alerts are published to the topic {@code
 *     mailroom.alerts.<name>}
 */
public record AlertRule(String name, Signal signal, double fireAt, double resolveAt) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");

  /** The most rules one node holds. */
  public static final int MAX_RULES = 64;

  /** The rules a node starts with when its configuration names none. */
  public static final List<AlertRule> DEFAULTS =
      List.of(
          new AlertRule("dead-letters", Signal.DEAD_LETTERS, 100, 50),
          new AlertRule("backlog", Signal.BACKLOG_PENDING, 1_000, 500),
          new AlertRule("backlog-age", Signal.BACKLOG_OLDEST_SECONDS, 900, 300),
          new AlertRule("spool", Signal.SPOOL_DEPTH, 10_000, 1_000),
          new AlertRule("errors", Signal.ERROR_RATE, 0.05, 0.01),
          new AlertRule("disk-free", Signal.DISK_FREE_BYTES, 1L << 30, 3L << 29));

  /** What a rule's name must be, as a problem's field message says it. */
  public static final String NAME_RULE =
      "must be 1-64 characters of a-z 0-9 _ - (it names the topic mailroom.alerts.<name>)";

  public AlertRule {
    if (!validName(name)) {
      throw MailroomException.InvalidRequest.field("name", NAME_RULE);
    }
    if (!Double.isFinite(fireAt) || fireAt < 0) {
      throw MailroomException.InvalidRequest.field("fire_at", "must be a number, 0 or more");
    }
    if (!Double.isFinite(resolveAt) || resolveAt < 0) {
      throw MailroomException.InvalidRequest.field("resolve_at", "must be a number, 0 or more");
    }
    if (signal.direction() == Signal.Direction.ABOVE && resolveAt >= fireAt) {
      throw MailroomException.InvalidRequest.field(
          "resolve_at", "must be below fire_at: " + signal.wireName() + " is bad above it");
    }
    if (signal.direction() == Signal.Direction.BELOW && resolveAt <= fireAt) {
      throw MailroomException.InvalidRequest.field(
          "resolve_at", "must be above fire_at: " + signal.wireName() + " is bad below it");
    }
  }

  /** Whether {@code name} may name a rule. */
  public static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Whether {@code value} is bad enough to fire. */
  boolean fires(double value) {
    return signal.direction() == Signal.Direction.ABOVE ? value >= fireAt : value <= fireAt;
  }

  /** Whether {@code value} is good enough to resolve a firing alert. */
  boolean resolves(double value) {
    return signal.direction() == Signal.Direction.ABOVE ? value <= resolveAt : value >= resolveAt;
  }

  /** The topic its alerts are published to. */
  public String topic() {
    return "mailroom.alerts." + name;
  }
}
