package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.AlertList;
import dev.mailroom.protocol.AlertRuleView;
import dev.mailroom.protocol.AlertView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code mailroom alerts} shows rules and alerts, and the arguments it refuses. */
class AlertsCommandTest {
  @Test
  void rulesAndAlertsBecomeRows() {
    assertThat(
            AlertsCommand.row(new AlertRuleView("disk-free", "disk_free_bytes", 1L << 30, 1.5, 2)))
        .containsExactly("disk-free", "disk_free_bytes", "1073741824", "1.5", "2");
    Instant since = Instant.parse("2026-03-01T12:00:00Z");
    assertThat(
            AlertsCommand.row(new AlertView("backlog", "backlog_pending", "bob/inbox", 6, since)))
        .containsExactly("backlog", "backlog_pending", "bob/inbox", "6", "2026-03-01 12:00:00Z");
    assertThat(AlertsCommand.row(new AlertView("errors", "error_rate", "", 0.25, since)))
        .containsExactly("errors", "error_rate", "-", "0.25", "2026-03-01 12:00:00Z");
  }

  @Test
  void theSummaryNamesTheNodeItsIntervalAndWhatFires() {
    AlertView one = new AlertView("errors", "error_rate", "", 0.25, Instant.EPOCH);
    assertThat(AlertsCommand.summary(new AlertList(List.of(), List.of(one), true, 15, "n1")))
        .isEqualTo("node n1: alerts evaluated every 15 s; 1 alert firing");
    assertThat(AlertsCommand.summary(new AlertList(List.of(), List.of(), false, 0.5, "n1")))
        .isEqualTo("node n1: alerts are disabled (mailroom.alerts.enabled); 0 alerts firing");
  }

  @Test
  void setNeedsItsThresholdsAsFiniteNumbers() {
    Cli cli = Cli.bare();
    Cli.Result missing =
        cli.run("alerts", "set", "r", "--signal", "dead_letters", "--fire-at", "2");
    assertThat(missing.exit()).as("%s", missing).isEqualTo(ExitCode.USAGE.code());
    assertThat(missing.err()).contains("--resolve-at");
    Cli.Result word =
        cli.run("alerts", "set", "r", "--signal", "s", "--fire-at", "many", "--resolve-at", "1");
    assertThat(word.exit()).as("%s", word).isEqualTo(ExitCode.USAGE.code());
    // Refused before any request: no server listens on this port.
    Cli.Result infinite =
        cli.run(
            "alerts",
            "set",
            "r",
            "--signal",
            "s",
            "--fire-at",
            "Infinity",
            "--resolve-at",
            "1",
            "--server",
            "http://127.0.0.1:9");
    assertThat(infinite.exit()).as("%s", infinite).isEqualTo(ExitCode.USAGE.code());
    assertThat(infinite.err()).contains("finite numbers");
    assertThat(cli.run("alerts", "remove").exit()).isEqualTo(ExitCode.USAGE.code());
  }
}
