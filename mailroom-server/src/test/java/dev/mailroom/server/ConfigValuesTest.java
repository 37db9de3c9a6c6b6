package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValuesTest {

  @ParameterizedTest
  @CsvSource({
    "30s, PT30S",
    "7d, PT168H",
    "PT1H, PT1H",
    "pt15m, PT15M",
    "P7D, PT168H",
    "500ms, PT0.5S",
    "15m, PT15M",
    "1h30m, PT1H30M",
    "2d12h, PT60H",
    "90, PT1M30S",
    "' 10s ', PT10S"
  })
  void durationsAreReadInEveryDocumentedForm(String text, String expected) {
    assertThat(ConfigValues.duration(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "10x", "s10", "1.5h", "PT", "10 s", "h", "1h-5m"})
  void malformedDurationsAreRefused(String text) {
    assertThatThrownBy(() -> ConfigValues.duration(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"1048576, 1048576", "512KiB, 524288", "1MiB, 1048576", "2MB, 2000000", "7B, 7"})
  void sizesAreReadWithOrWithoutUnits(String text, int expected) {
    assertThat(ConfigValues.size(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "big", "-1", "1.5MiB", "3GiB", "1 TB"})
  void malformedOrHugeSizesAreRefused(String text) {
    assertThatThrownBy(() -> ConfigValues.size(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "3GiB, 3221225472", "1048576, 1048576", "8000000000GiB, 8589934592000000000"})
  void largeSizesAreReadPast2GiB(String text, long expected) {
    assertThat(ConfigValues.bytes(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "1.5GiB", "9000000000GiB", "99999999999999999999"})
  void malformedOrOverflowingLargeSizesAreRefused(String text) {
    assertThatThrownBy(() -> ConfigValues.bytes(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "-1", "11", "99999999999"})
  void integersOutOfRangeAreRefused(String text) {
    assertThatThrownBy(() -> ConfigValues.integer(text, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 10");
  }
}
