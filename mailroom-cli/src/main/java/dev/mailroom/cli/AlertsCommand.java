package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AlertList;
import dev.mailroom.protocol.AlertRuleView;
import dev.mailroom.protocol.AlertView;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code mailroom alerts}: the server's alert rules and firing alerts, read and changed (admins).
 */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {
      "Show the alert rules of the server process at --server and the alerts firing on it, or"
          + " add, change or remove a rule at once, without a restart (admins). Each node"
          + " evaluates its own rules and publishes what fires and resolves to the topic"
          + " mailroom.alerts.<rule>; a change applies to that node only, until it restarts: on"
          + " several nodes, run it against each.",
      "Signals: dead_letters, backlog_pending, backlog_oldest_seconds, spool_depth, error_rate,"
          + " disk_free_bytes.",
      "",
      "  mailroom alerts                                  rules, then alerts firing",
      "  mailroom alerts set backlog --signal backlog_pending --fire-at 1000 --resolve-at 500",
      "  mailroom alerts remove backlog"
    },
    subcommands = {AlertsCommand.SetRule.class, AlertsCommand.RemoveRule.class})
final class AlertsCommand extends ClientCommand {
  static final List<String> RULE_HEADER =
      List.of("RULE", "SIGNAL", "FIRE AT", "RESOLVE AT", "FIRING");
  static final List<String> ALERT_HEADER = List.of("RULE", "SIGNAL", "SUBJECT", "VALUE", "SINCE");

  static List<String> row(AlertRuleView r) {
    return List.of(
        r.name(),
        r.signal(),
        StatsViews.number(r.fireAt()),
        StatsViews.number(r.resolveAt()),
        Integer.toString(r.firing()));
  }

  static List<String> row(AlertView a) {
    return List.of(
        a.rule(),
        a.signal(),
        a.subject().isEmpty() ? "-" : a.subject(),
        StatsViews.number(a.value()),
        Formats.time(a.since()));
  }

  /** What the node says of itself, for standard error. */
  static String summary(AlertList list) {
    String state =
        list.enabled()
            ? "alerts evaluated every " + StatsViews.number(list.intervalSeconds()) + " s"
            : "alerts are disabled (mailroom.alerts.enabled)";
    int n = list.firing().size();
    return "node "
        + list.node()
        + ": "
        + state
        + "; "
        + n
        + (n == 1 ? " alert" : " alerts")
        + " firing";
  }

  @Override
  ExitCode run(MailroomClient client, Output out) {
    AlertList list = client.alerts().list();
    if (out.json()) {
      out.json(list);
      return ExitCode.OK;
    }
    out.table(RULE_HEADER, list.rules().stream().map(AlertsCommand::row).toList());
    if (!list.firing().isEmpty()) {
      out.line("");
      out.table(ALERT_HEADER, list.firing().stream().map(AlertsCommand::row).toList());
    }
    terminal().err().println(summary(list));
    return ExitCode.OK;
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Add a rule, or replace the rule of that name (admins). An alert fires when the signal"
            + " reaches --fire-at (falls to it, for disk_free_bytes) and resolves once it is back"
            + " past --resolve-at, which must be below --fire-at (above it, for disk_free_bytes).",
        "",
        "  mailroom alerts set dlq --signal dead_letters --fire-at 100 --resolve-at 50"
      })
  static final class SetRule extends ClientCommand {
    @Parameters(
        paramLabel = "NAME",
        description =
            "1-64 characters of a-z 0-9 _ -; alerts go to the topic mailroom.alerts.NAME.")
    String name = "";

    @Option(
        names = "--signal",
        required = true,
        paramLabel = "SIGNAL",
        description =
            "dead_letters, backlog_pending, backlog_oldest_seconds, spool_depth, error_rate or"
                + " disk_free_bytes.")
    String signal = "";

    @Option(
        names = "--fire-at",
        required = true,
        paramLabel = "X",
        description = "The value at which an alert fires; 0 or more.")
    double fireAt;

    @Option(
        names = "--resolve-at",
        required = true,
        paramLabel = "Y",
        description = "The value past which a firing alert resolves; 0 or more.")
    double resolveAt;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      if (!Double.isFinite(fireAt) || !Double.isFinite(resolveAt)) {
        throw new ParameterException(
            spec.commandLine(), "--fire-at and --resolve-at must be finite numbers");
      }
      AlertRuleView r = client.alerts().put(name, signal, fireAt, resolveAt);
      out.either(
          r,
          "alert rule "
              + r.name()
              + " set: "
              + r.signal()
              + " fires at "
              + StatsViews.number(r.fireAt())
              + ", resolves at "
              + StatsViews.number(r.resolveAt()));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a rule (admins); the alerts it had firing are forgotten.")
  static final class RemoveRule extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The rule.")
    String name = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.alerts().remove(name);
      out.either(Map.of("deleted", name), "deleted alert rule " + name);
      return ExitCode.OK;
    }
  }
}
