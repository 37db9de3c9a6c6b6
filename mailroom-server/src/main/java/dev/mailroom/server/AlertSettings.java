package dev.mailroom.server;

import dev.mailroom.core.alert.AlertRule;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a node evaluates alert rules.
 *
 * @param enabled whether it evaluates them at all ({@code false}: no rules, no alerts)
 * @param interval how often it evaluates them
 * @param rules the rules it starts with: {@link AlertRule#DEFAULTS} unless a rules file names
 *     others; the admin API changes them at run time on one node
 */
public record AlertSettings(boolean enabled, Duration interval, List<AlertRule> rules) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final AlertSettings DEFAULTS =
      new AlertSettings(true, DEFAULT_INTERVAL, AlertRule.DEFAULTS);

  public AlertSettings {
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException(
          "alerts are evaluated at most every 100 ms, not every " + interval);
    }
    rules = List.copyOf(rules);
    if (rules.size() > AlertRule.MAX_RULES) {
      throw new IllegalArgumentException(
          "a node holds at most " + AlertRule.MAX_RULES + " alert rules, not " + rules.size());
    }
    Set<String> names = new HashSet<>();
    for (AlertRule r : rules) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("two alert rules are named " + r.name());
      }
    }
  }

  public AlertSettings withEnabled(boolean enabled) {
    return new AlertSettings(enabled, interval, rules);
  }

  public AlertSettings withInterval(Duration interval) {
    return new AlertSettings(enabled, interval, rules);
  }

  public AlertSettings withRules(List<AlertRule> rules) {
    return new AlertSettings(enabled, interval, rules);
  }
}
