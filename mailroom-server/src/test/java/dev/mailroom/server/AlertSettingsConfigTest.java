package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.alert.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert and metrics settings, and the rules file. */
class AlertSettingsConfigTest {
  @TempDir Path dir;

  private static ServerConfig load(Map<String, String> flags) {
    return ConfigLoader.load(flags, Map.of(), Optional.empty());
  }

  private Path file(String json) throws IOException {
    return Files.writeString(dir.resolve("rules.json"), json);
  }

  @Test
  void byDefaultAlertsAndMetricsAreOnWithTheDefaultRules() {
    ServerConfig c = load(Map.of());
    assertThat(c.alerts()).isEqualTo(AlertSettings.DEFAULTS);
    assertThat(c.alerts().interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.alerts().rules()).isEqualTo(AlertRule.DEFAULTS);
    assertThat(c.metricsEnabled()).isTrue();
  }

  @Test
  void flagsTurnThemOffAndSetTheInterval() {
    ServerConfig c =
        load(
            Map.of("alerts.enabled", "false", "alerts.interval", "2s", "metrics.enabled", "false"));
    assertThat(c.alerts().enabled()).isFalse();
    assertThat(c.alerts().interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.metricsEnabled()).isFalse();
    assertThatThrownBy(() -> load(Map.of("alerts.interval", "50ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alerts")
        .hasMessageContaining("100 ms");
  }

  @Test
  void aRulesFileReplacesTheDefaults() throws IOException {
    Path rules =
        file(
            """
            [{"name":"dlq","signal":"dead_letters","fire_at":5,"resolve_at":1},
             {"name":"disk","signal":"disk_free_bytes","fire_at":1e9,"resolve_at":2e9}]""");
    ServerConfig c = load(Map.of("alerts.rules-file", rules.toString()));
    assertThat(c.alerts().rules())
        .containsExactly(
            new AlertRule("dlq", Signal.DEAD_LETTERS, 5, 1),
            new AlertRule("disk", Signal.DISK_FREE_BYTES, 1e9, 2e9));
    assertThat(load(Map.of("alerts.rules-file", file("[]").toString())).alerts().rules()).isEmpty();
  }

  @Test
  void aBadRulesFileIsRefusedNamingTheFileAndTheRule() throws IOException {
    assertRefused("{}", "must hold a JSON array");
    assertRefused("[1", "is not valid JSON");
    assertRefused(
        "[{\"name\":\"x\",\"signal\":\"dead_letters\",\"fire_at\":5}]", "rule 0: resolve_at");
    assertRefused(
        "[{\"name\":\"x\",\"signal\":\"nope\",\"fire_at\":5,\"resolve_at\":1}]",
        "rule 0: signal must be one of dead_letters");
    assertRefused(
        "[{\"name\":\"x\",\"signal\":\"dead_letters\",\"fire_at\":5,\"resolve_at\":1,\"for\":1}]",
        "unknown field for");
    assertRefused(
        "[{\"name\":\"x\",\"signal\":\"dead_letters\",\"fire_at\":5,\"resolve_at\":9}]",
        "rule 0: resolve_at: must be below fire_at");
    assertRefused(
        "[{\"name\":\"x\",\"signal\":\"dead_letters\",\"fire_at\":5,\"resolve_at\":1},"
            + "{\"name\":\"x\",\"signal\":\"spool_depth\",\"fire_at\":5,\"resolve_at\":1}]",
        "two alert rules are named x");
    assertThatThrownBy(
            () -> load(Map.of("alerts.rules-file", dir.resolve("missing.json").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.json");
  }

  private void assertRefused(String json, String message) throws IOException {
    Path rules = file(json);
    assertThatThrownBy(() -> load(Map.of("alerts.rules-file", rules.toString())))
        .as(json)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid alerts settings")
        .hasMessageContaining(message);
  }

  @Test
  void theDefaultRulesAreValidAndEachSignalHasOne() {
    assertThat(AlertRule.DEFAULTS).extracting(AlertRule::signal).containsExactly(Signal.values());
    assertThat(new AlertSettings(true, Duration.ofSeconds(1), List.of()).rules()).isEmpty();
  }
}
