package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The filter property: on random messages, read marks and clock moves, every random combination of
 * filters, order and page size pages through the storage under test exactly as through {@link
 * InMemoryStorage}, the plain reference. A backend runs it by subclassing with its factory:
 *
 * <pre>{@code
 * class FileFilterProperties extends StorageFilterProperties {
 *   protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
 *     return FileStorage.open(freshTempFile(), clock, retention);
 *   }
 * }
 * }</pre>
 *
 * <p>Each try creates a new storage (and a new reference) on a fresh {@link MutableClock} and
 * closes both at the end of the try. Both stores see the same operations at the same clock
 * readings; results are compared by which send a message came from, not by raw id.
 */
public abstract class StorageFilterProperties {
  /** Where the clock of every try starts. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * A new, empty storage, called once per try and closed at its end.
   *
   * @param clock the only source of time the storage may use
   * @param retention the policy the storage keeps to
   */
  protected abstract Storage createStorage(InstantSource clock, RetentionPolicy retention);

  @Property(tries = 80)
  void pagedListingsMatchTheReference(@ForAll("scenarios") FilterScenario scenario) {
    check(scenario, RetentionPolicy.DEFAULTS);
  }

  /**
   * The same with agent mailboxes of {@value #SMALL_INBOX} messages, so that sends keep dropping
   * each agent's oldest, wherever it came from (a direct message, a broadcast, a subscription).
   */
  @Property(tries = 40)
  void pagedListingsMatchTheReferenceWhenInboxesOverflow(
      @ForAll("scenarios") FilterScenario scenario) {
    check(scenario, RetentionPolicy.DEFAULTS.withMaxInboxSize(SMALL_INBOX));
  }

  private static final int SMALL_INBOX = 3;

  private void check(FilterScenario scenario, RetentionPolicy retention) {
    MutableClock clock = MutableClock.of(START);
    try (Storage reference = InMemoryStorage.create(clock, retention);
        Storage subject = createStorage(clock, retention)) {
      ScenarioRun run =
          new ScenarioRun(
              clock,
              START,
              reference,
              subject,
              retention.maxInboxSize() < RetentionPolicy.DEFAULT_MAX_INBOX_SIZE);
      run.registerAgents();
      scenario.steps().forEach(run::apply);
      clock.advance(Duration.ofMillis(scenario.finalAdvanceMillis()));
      run.compareVisibility();
      scenario.listings().forEach(run::compare);
      assertThat(run.comparedPages()).isPositive();
    }
  }

  @Provide
  Arbitrary<FilterScenario> scenarios() {
    return FilterScenario.scenarios();
  }
}
