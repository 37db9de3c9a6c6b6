package dev.mailroom.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliverySettingsTest {
  private final DeliverySettings defaults = DeliverySettings.DEFAULTS;

  @Test
  void theDefaultBackoffDoublesFromOneSecondUpToAMinute() {
    assertThat(defaults.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(defaults.backoff(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.backoff(40)).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.maxAttempts()).isEqualTo(3);
  }

  @Test
  void jitterScalesTheBackoffWithinItsBand() {
    assertThat(defaults.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(1600));
    assertThat(defaults.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(2000));
    assertThat(defaults.backoff(2, 0.999999))
        .isBetween(Duration.ofMillis(2399), Duration.ofMillis(2400));
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(
            () ->
                new DeliverySettings(
                    Duration.ZERO,
                    2,
                    Duration.ofSeconds(1),
                    0,
                    3,
                    Duration.ofSeconds(1),
                    1,
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new DeliverySettings(
                    Duration.ofSeconds(1),
                    0.5,
                    Duration.ofSeconds(1),
                    0,
                    3,
                    Duration.ofSeconds(1),
                    1,
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new DeliverySettings(
                    Duration.ofSeconds(1),
                    2,
                    Duration.ofSeconds(1),
                    1.0,
                    3,
                    Duration.ofSeconds(1),
                    1,
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new DeliverySettings(
                    Duration.ofSeconds(1),
                    2,
                    Duration.ofSeconds(1),
                    0,
                    0,
                    Duration.ofSeconds(1),
                    1,
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
