package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Limits} and {@link RetentionPolicy}: defaults and validation. */
class PoliciesTest {

  @Test
  void limitDefaultsAreThoseOfTheSpec() {
    assertThat(Limits.DEFAULTS.maxPayloadBytes()).isEqualTo(1024 * 1024);
    assertThat(Limits.DEFAULTS.defaultTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(Limits.DEFAULTS.maxTtl()).isGreaterThanOrEqualTo(Limits.DEFAULTS.defaultTtl());
  }

  @Test
  void limitsRefuseNonsense() {
    Duration day = Duration.ofDays(1);
    assertThatThrownBy(() -> new Limits(0, 100, 1, day, day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(1, 1, 1, day, day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(1, 100, -1, day, day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(1, 100, 1, Duration.ZERO, day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(1, 100, 1, day, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Limits(1, 2, 0, day, day).maxTags()).isZero();
  }

  @Test
  void retentionDefaultsAreThoseOfTheSpec() {
    assertThat(RetentionPolicy.DEFAULTS.maxInboxSize()).isEqualTo(10_000);
    assertThat(RetentionPolicy.DEFAULTS.readStateRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(RetentionPolicy.DEFAULTS.dedupeWindow()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void retentionRefusesNonsense() {
    Duration d = Duration.ofMinutes(1);
    assertThatThrownBy(() -> new RetentionPolicy(0, d, d, d))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetentionPolicy(1, Duration.ZERO, d, d))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetentionPolicy(1, d, d.negated(), d))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetentionPolicy(1, d, d, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withMaxInboxSizeChangesOnlyTheSize() {
    RetentionPolicy small = RetentionPolicy.DEFAULTS.withMaxInboxSize(3);

    assertThat(small.maxInboxSize()).isEqualTo(3);
    assertThat(small.withMaxInboxSize(RetentionPolicy.DEFAULT_MAX_INBOX_SIZE))
        .isEqualTo(RetentionPolicy.DEFAULTS);
  }
}
