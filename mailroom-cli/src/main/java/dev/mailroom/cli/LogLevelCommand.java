package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.LogLevelList;
import dev.mailroom.protocol.LogLevelView;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code mailroom log-level}: the server's log levels, read and changed while it runs (admins). */
@Command(
    name = "log-level",
    mixinStandardHelpOptions = true,
    description = {
      "Show or change the log levels of the server process at --server, at once and without a"
          + " restart (admins). A change applies to that node only: on several nodes, run it"
          + " against each. Levels: TRACE, DEBUG, INFO, WARN, ERROR, OFF; ROOT is the root logger.",
      "",
      "  mailroom log-level                              the loggers with a level of their own",
      "  mailroom log-level dev.mailroom.server          one logger",
      "  mailroom log-level dev.mailroom.server DEBUG    set its level",
      "  mailroom log-level dev.mailroom.server --reset  clear it: it inherits again"
    })
final class LogLevelCommand extends ClientCommand {
  static final List<String> HEADER = List.of("LOGGER", "LEVEL", "EFFECTIVE");

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "LOGGER",
      description = "A logger's name, such as dev.mailroom.server, or ROOT.")
  @Nullable String logger;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "LEVEL",
      description = "The level to set: TRACE, DEBUG, INFO, WARN, ERROR or OFF (any case).")
  @Nullable String level;

  @Option(
      names = "--reset",
      description = "Clear the logger's own level, so that it inherits its parent's again.")
  boolean reset;

  static List<String> row(LogLevelView v) {
    return List.of(v.logger(), v.level().orElse("-"), v.effectiveLevel());
  }

  @Override
  ExitCode run(MailroomClient client, Output out) {
    if (logger == null) {
      if (reset) {
        throw new ParameterException(spec.commandLine(), "--reset needs the LOGGER to clear");
      }
      LogLevelList list = client.logLevels().list();
      if (out.json()) {
        out.json(list);
      } else {
        out.table(HEADER, list.loggers().stream().map(LogLevelCommand::row).toList());
        terminal().err().println("node " + list.node());
      }
      return ExitCode.OK;
    }
    if (reset && level != null) {
      throw new ParameterException(
          spec.commandLine(), "give a LEVEL to set or --reset to clear it, not both");
    }
    if (level == null && !reset) {
      LogLevelView v = client.logLevels().get(logger);
      if (out.json()) {
        out.json(v);
      } else {
        out.table(HEADER, List.of(row(v)));
      }
      return ExitCode.OK;
    }
    LogLevelView v =
        reset ? client.logLevels().reset(logger) : client.logLevels().set(logger, level);
    String node = v.node().map(n -> " on node " + n).orElse("");
    out.either(
        v,
        reset
            ? "log level of "
                + v.logger()
                + " cleared"
                + node
                + "; it inherits "
                + v.effectiveLevel()
            : "log level of " + v.logger() + " set to " + v.effectiveLevel() + node);
    return ExitCode.OK;
  }
}
