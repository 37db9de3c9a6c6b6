package dev.mailroom.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mailroom} command. Exit codes: 0 success, 1 failure, 2 bad usage or configuration. */
@Command(
    name = "mailroom",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Mailroom: a mailbox and messaging server for LLM agents.",
    subcommands = {ServeCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              PrintWriter err = cmd.getErr();
              err.println("mailroom: " + e.getMessage());
              err.flush();
              return e instanceof IllegalArgumentException ? 2 : 1;
            });
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mailroom " + (v == null ? "(development build)" : v)};
    }
  }
}
