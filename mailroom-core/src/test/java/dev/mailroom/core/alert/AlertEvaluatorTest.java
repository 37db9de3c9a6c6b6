package dev.mailroom.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailroomException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {
  private Instant now = Instant.parse("2026-12-06T12:00:00Z");
  private final Map<Signal, List<Reading>> values = new HashMap<>();
  private final List<Set<String>> asked = new ArrayList<>();

  private int rounds;

  private final AlertEvaluator.Readings readings =
      new AlertEvaluator.Readings() {
        @Override
        public List<Reading> read(Signal signal, Set<String> firing) {
          asked.add(firing);
          List<Reading> v = values.get(signal);
          if (v == null) {
            throw new MailroomException.Unavailable("the store is down", null);
          }
          return v;
        }

        @Override
        public void beginRound() {
          rounds++;
        }
      };

  private AlertEvaluator evaluator(AlertRule... rules) {
    return new AlertEvaluator(List.of(rules), () -> now);
  }

  private List<AlertEvent> round(AlertEvaluator e) {
    now = now.plus(Duration.ofSeconds(15));
    return e.evaluate(readings);
  }

  private static List<String> states(List<AlertEvent> events) {
    return events.stream().map(e -> e.subject() + ":" + e.state()).toList();
  }

  @Test
  void firesOnceWhileOverAndResolvesOnlyPastTheResolveThreshold() {
    AlertEvaluator e = evaluator(new AlertRule("dlq", Signal.DEAD_LETTERS, 100, 50));
    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(99)));
    assertThat(round(e)).isEmpty();

    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(100)));
    List<AlertEvent> fired = round(e);
    assertThat(states(fired)).containsExactly(":FIRING");
    assertThat(fired.getFirst().value()).isEqualTo(100);
    Instant since = fired.getFirst().since();

    // Over, under the fire threshold but above the resolve one, over again: no new event.
    for (double v : new double[] {150, 99, 51, 120}) {
      values.put(Signal.DEAD_LETTERS, List.of(Reading.of(v)));
      assertThat(round(e)).as("at %s", v).isEmpty();
    }
    assertThat(e.firing()).singleElement().satisfies(f -> assertThat(f.value()).isEqualTo(120));
    assertThat(e.firingCount("dlq")).isEqualTo(1);

    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(50)));
    List<AlertEvent> resolved = round(e);
    assertThat(states(resolved)).containsExactly(":RESOLVED");
    assertThat(resolved.getFirst().since()).isEqualTo(since);
    assertThat(resolved.getFirst().at()).isAfter(since);
    assertThat(e.firing()).isEmpty();
  }

  @Test
  void aSignalBadBelowFiresAtOrUnderItsThreshold() {
    AlertEvaluator e = evaluator(new AlertRule("disk", Signal.DISK_FREE_BYTES, 1_000, 2_000));
    values.put(Signal.DISK_FREE_BYTES, List.of(Reading.of(1_000)));
    assertThat(states(round(e))).containsExactly(":FIRING");
    values.put(Signal.DISK_FREE_BYTES, List.of(Reading.of(1_999)));
    assertThat(round(e)).isEmpty();
    values.put(Signal.DISK_FREE_BYTES, List.of(Reading.of(2_000)));
    assertThat(states(round(e))).containsExactly(":RESOLVED");
  }

  @Test
  void perSubjectRulesFireAndResolveEachSubjectOnItsOwn() {
    AlertEvaluator e = evaluator(new AlertRule("backlog", Signal.BACKLOG_PENDING, 10, 2));
    values.put(
        Signal.BACKLOG_PENDING,
        List.of(new Reading("a/inbox", 12), new Reading("b/sub_1", 10), new Reading("c/x", 3)));
    assertThat(states(round(e))).containsExactly("a/inbox:FIRING", "b/sub_1:FIRING");

    // b drained: the store lists it no more, which counts as 0; a is still over.
    values.put(Signal.BACKLOG_PENDING, List.of(new Reading("a/inbox", 11)));
    assertThat(states(round(e))).containsExactly("b/sub_1:RESOLVED");
    assertThat(asked.getLast()).containsExactly("a/inbox", "b/sub_1");
    assertThat(e.firing()).extracting(AlertEvaluator.Firing::subject).containsExactly("a/inbox");
  }

  @Test
  void anUnreadableSignalLeavesItsAlertsAsTheyWere() {
    AlertEvaluator e =
        evaluator(
            new AlertRule("dlq", Signal.DEAD_LETTERS, 1, 0),
            new AlertRule("spool", Signal.SPOOL_DEPTH, 5, 1));
    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(3)));
    values.put(Signal.SPOOL_DEPTH, List.of(Reading.of(0)));
    assertThat(states(round(e))).containsExactly(":FIRING");

    values.remove(Signal.DEAD_LETTERS);
    values.put(Signal.SPOOL_DEPTH, List.of(Reading.of(7)));
    assertThat(round(e)).extracting(ev -> ev.rule().name()).containsExactly("spool");
    assertThat(e.firingCount("dlq")).isEqualTo(1);

    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(0)));
    assertThat(round(e)).extracting(ev -> ev.rule().name()).containsExactly("dlq");
  }

  @Test
  void aSignalWatchedByTwoRulesIsReadOnce() {
    AlertEvaluator e =
        evaluator(
            new AlertRule("warn", Signal.DEAD_LETTERS, 10, 5),
            new AlertRule("page", Signal.DEAD_LETTERS, 100, 50));
    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(100)));
    assertThat(round(e)).extracting(ev -> ev.rule().name()).containsExactly("warn", "page");
    assertThat(asked).hasSize(1);
    assertThat(rounds).as("the reader is told each evaluation begins").isEqualTo(1);
  }

  @Test
  void changingThresholdsKeepsAlertsAndChangingTheSignalForgetsThem() {
    AlertEvaluator e = evaluator(new AlertRule("r", Signal.DEAD_LETTERS, 10, 5));
    values.put(Signal.DEAD_LETTERS, List.of(Reading.of(20)));
    values.put(Signal.SPOOL_DEPTH, List.of(Reading.of(20)));
    assertThat(round(e)).hasSize(1);

    assertThat(e.put(new AlertRule("r", Signal.DEAD_LETTERS, 30, 25))).isFalse();
    assertThat(e.firingCount("r")).isEqualTo(1);
    assertThat(states(round(e))).containsExactly(":RESOLVED"); // 20 is under the new 25

    assertThat(round(e)).isEmpty();
    e.put(new AlertRule("r", Signal.DEAD_LETTERS, 10, 5));
    assertThat(round(e)).hasSize(1);
    e.put(new AlertRule("r", Signal.SPOOL_DEPTH, 10, 5));
    assertThat(e.firingCount("r")).isZero();
    assertThat(states(round(e))).containsExactly(":FIRING");

    assertThat(e.remove("r")).isTrue();
    assertThat(e.remove("r")).isFalse();
    assertThat(e.firing()).isEmpty();
    assertThat(round(e)).isEmpty();
  }

  @Test
  void aRuleFiresForAtMostAHundredSubjects() {
    AlertEvaluator e = evaluator(new AlertRule("backlog", Signal.BACKLOG_PENDING, 1, 0));
    List<Reading> many = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      many.add(new Reading("agent" + i + "/inbox", 5));
    }
    values.put(Signal.BACKLOG_PENDING, many);
    assertThat(round(e)).hasSize(AlertEvaluator.MAX_FIRING_PER_RULE);
    assertThat(round(e)).isEmpty();
  }

  @Test
  void rulesAreCheckedAndCapped() {
    assertThatThrownBy(() -> new AlertRule("Bad Name", Signal.DEAD_LETTERS, 2, 1))
        .hasMessageContaining("mailroom.alerts.<name>");
    assertThatThrownBy(() -> new AlertRule("r", Signal.DEAD_LETTERS, 2, 2))
        .hasMessageContaining("must be below fire_at");
    assertThatThrownBy(() -> new AlertRule("r", Signal.DISK_FREE_BYTES, 2, 1))
        .hasMessageContaining("must be above fire_at");
    assertThatThrownBy(() -> new AlertRule("r", Signal.ERROR_RATE, Double.NaN, 0))
        .hasMessageContaining("must be a number");
    assertThatThrownBy(() -> new AlertRule("r", Signal.ERROR_RATE, 1, -1))
        .hasMessageContaining("0 or more");
    AlertEvaluator e = evaluator();
    for (int i = 0; i < AlertRule.MAX_RULES; i++) {
      e.put(new AlertRule("r" + i, Signal.DEAD_LETTERS, 2, 1));
    }
    assertThatThrownBy(() -> e.put(new AlertRule("one-more", Signal.DEAD_LETTERS, 2, 1)))
        .isInstanceOf(IllegalStateException.class);
    e.put(new AlertRule("r0", Signal.DEAD_LETTERS, 3, 1)); // replacing one is fine
    assertThat(e.rules()).hasSize(AlertRule.MAX_RULES);
    assertThat(AlertRule.DEFAULTS).extracting(AlertRule::signal).containsExactly(Signal.values());
  }
}
