package dev.mailroom.core.alert;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the alert rules and which alerts fire, and turns each round of readings into the alerts
 * that fired or resolved, with hysteresis (see {@link AlertRule}). The rules may change at any time
 * from any thread; {@link #evaluate} must be called by one thread at a time.
 *
 * <p>A per-subject rule fires for at most {@link #MAX_FIRING_PER_RULE} subjects at once; a subject
 * that no longer has a reading (its backlog drained, so the store lists it no more) counts as
 * having the value 0. Changing a rule's signal, or removing it, forgets its alerts without
 * resolving them; changing only its thresholds keeps them, judged by the new ones.
 */
public final class AlertEvaluator {
  /** The most subjects one per-subject rule fires for at once. */
  public static final int MAX_FIRING_PER_RULE = 100;

  /** Reads a signal's current values. */
  @FunctionalInterface
  public interface Readings {
    /**
     * The signal's values now.
     *
     * @param firing the subjects of the signal whose alerts fire now: a per-subject reader must
     *     include these even if it reads only the largest values
     */
    List<Reading> read(Signal signal, Set<String> firing);

    /**
     * An evaluation begins: what the reader read for the last one is stale. A reader may keep what
     * two signals share (the largest backlogs) for the length of one evaluation.
     */
    default void beginRound() {}
  }

  /** An alert firing now. */
  public record Firing(AlertRule rule, String subject, double value, Instant since) {}

  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

  private final InstantSource clock;
  // Only the evaluating thread touches it.
  private final Set<Signal> unreadable = EnumSet.noneOf(Signal.class);
  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private final Map<String, AlertRule> rules = new LinkedHashMap<>();
  private final Map<String, Map<String, Firing>> firing = new HashMap<>();

  public AlertEvaluator(Collection<AlertRule> rules, InstantSource clock) {
    this.clock = clock;
    for (AlertRule r : rules) {
      put(r);
    }
  }

  /** The rules, in the order they were first added. */
  public List<AlertRule> rules() {
    lock.lock();
    try {
      return List.copyOf(rules.values());
    } finally {
      lock.unlock();
    }
  }

  public Optional<AlertRule> rule(String name) {
    lock.lock();
    try {
      return Optional.ofNullable(rules.get(name));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a rule, or replaces the one of the same name.
   *
   * @return true if it is new
   * @throws IllegalStateException if it is new and {@link AlertRule#MAX_RULES} rules exist
   */
  public boolean put(AlertRule rule) {
    lock.lock();
    try {
      AlertRule before = rules.get(rule.name());
      if (before == null && rules.size() >= AlertRule.MAX_RULES) {
        throw new IllegalStateException(
            "a node holds at most " + AlertRule.MAX_RULES + " alert rules; remove one first");
      }
      rules.put(rule.name(), rule);
      Map<String, Firing> was = firing.remove(rule.name());
      if (was != null && before.signal() == rule.signal()) {
        Map<String, Firing> kept = new HashMap<>();
        was.forEach((s, f) -> kept.put(s, new Firing(rule, s, f.value(), f.since())));
        firing.put(rule.name(), kept);
      }
      return before == null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes a rule and forgets its alerts; returns false if there was none of that name. */
  public boolean remove(String name) {
    lock.lock();
    try {
      firing.remove(name);
      return rules.remove(name) != null;
    } finally {
      lock.unlock();
    }
  }

  /** The alerts firing now, by rule and then subject. */
  public List<Firing> firing() {
    lock.lock();
    try {
      List<Firing> all = new ArrayList<>();
      for (AlertRule r : rules.values()) {
        Map<String, Firing> f = firing.getOrDefault(r.name(), Map.of());
        new TreeSet<>(f.keySet()).forEach(s -> all.add(f.get(s)));
      }
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** How many alerts of the rule fire now. */
  public int firingCount(String rule) {
    lock.lock();
    try {
      return firing.getOrDefault(rule, Map.of()).size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads every signal a rule watches (each once), and returns the alerts that fired or resolved,
   * rule by rule in order. A signal whose reading throws (the store is down) is skipped this round:
   * its alerts stay as they were. The first failure of a signal is logged at {@code WARN}, and its
   * first reading after failures at {@code INFO}.
   */
  public List<AlertEvent> evaluate(Readings readings) {
    List<AlertRule> current = rules();
    readings.beginRound();
    Map<Signal, List<Reading>> read = new HashMap<>();
    for (AlertRule r : current) {
      if (read.containsKey(r.signal())) {
        continue;
      }
      try {
        read.put(r.signal(), readings.read(r.signal(), firingSubjects(r.signal())));
        if (unreadable.remove(r.signal())) {
          LOG.info("alert signal {} is read again", r.signal().wireName());
        }
      } catch (RuntimeException e) {
        read.put(r.signal(), null);
        if (unreadable.add(r.signal())) {
          LOG.warn(
              "alert signal {} cannot be read; its alerts stay as they are until it can: {}",
              r.signal().wireName(),
              e.toString());
        }
      }
    }
    Instant now = clock.instant();
    List<AlertEvent> events = new ArrayList<>();
    lock.lock();
    try {
      for (AlertRule r : current) {
        List<Reading> values = read.get(r.signal());
        if (values != null && rules.get(r.name()) == r) { // not changed meanwhile
          judge(r, values, now, events);
        }
      }
    } finally {
      lock.unlock();
    }
    return events;
  }

  private void judge(AlertRule rule, List<Reading> values, Instant now, List<AlertEvent> events) {
    Map<String, Firing> active = firing.computeIfAbsent(rule.name(), k -> new HashMap<>());
    Map<String, Double> bySubject = new HashMap<>();
    for (Reading v : values) {
      bySubject.merge(v.subject(), v.value(), Math::max);
    }
    for (var it = active.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      Firing f = entry.getValue();
      double value = bySubject.getOrDefault(f.subject(), absent(rule));
      if (rule.resolves(value)) {
        it.remove();
        events.add(
            new AlertEvent(rule, f.subject(), AlertEvent.State.RESOLVED, value, f.since(), now));
      } else {
        entry.setValue(new Firing(rule, f.subject(), value, f.since()));
      }
    }
    for (String subject : new TreeSet<>(bySubject.keySet())) {
      double value = bySubject.get(subject);
      if (active.containsKey(subject) || !rule.fires(value)) {
        continue;
      }
      if (active.size() >= MAX_FIRING_PER_RULE) {
        break;
      }
      active.put(subject, new Firing(rule, subject, value, now));
      events.add(new AlertEvent(rule, subject, AlertEvent.State.FIRING, value, now, now));
    }
  }

  /** The value a subject without a reading has: nothing pending, nothing bad. */
  private static double absent(AlertRule rule) {
    return rule.signal().direction() == Signal.Direction.ABOVE ? 0 : Double.MAX_VALUE;
  }

  private Set<String> firingSubjects(Signal signal) {
    lock.lock();
    try {
      Set<String> subjects = new TreeSet<>();
      for (AlertRule r : rules.values()) {
        if (r.signal() == signal) {
          subjects.addAll(firing.getOrDefault(r.name(), Map.of()).keySet());
        }
      }
      return subjects;
    } finally {
      lock.unlock();
    }
  }
}
