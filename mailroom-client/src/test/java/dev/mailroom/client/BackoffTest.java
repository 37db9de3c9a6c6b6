package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2, 0.5);

  @Test
  void withoutRandomnessTheWaitGrowsByTheMultiplierUpToTheMaximum() {
    assertThat(backoff.delay(1, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(2, 0)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(5, 0)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.delay(6, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(1000, 0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterTakesAtMostItsShareOffAndNeverAddsToTheMaximum() {
    assertThat(backoff.delay(3, 0.999)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofMillis(300));
    assertThat(backoff.delay(50, 0.999)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 0.5, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 2, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
