package dev.mailroom.cli;

import dev.mailroom.client.MailroomClientException;
import dev.mailroom.protocol.FieldErrorView;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mailroom} command: {@code serve} runs a server; the client commands call one through
 * the SDK. Each class of error has its own exit code ({@link ExitCode}, listed in every command's
 * help).
 */
@Command(
    name = "mailroom",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Mailroom: a mailbox and messaging server for LLM agents.",
      "",
      "Client commands call the server at --server or MAILROOM_URL (default"
          + " http://127.0.0.1:8080) with the token of --token or MAILROOM_TOKEN; --json prints the"
          + " server's answers as JSON."
    },
    subcommands = {
      ServeCommand.class,
      SendCommand.class,
      InboxCommand.class,
      ReadCommand.class,
      ThreadCommand.class,
      ThreadsCommand.class,
      SearchCommand.class,
      ReceiptsCommand.class,
      ObligationsCommand.class,
      AttachmentCommand.class,
      WatchCommand.class,
      TopicsCommand.class,
      SubscriptionsCommand.class,
      DlqCommand.class,
      AgentsCommand.class,
      EnrollCommand.class,
      EnrollmentsCommand.class,
      AclCommand.class,
      RolesCommand.class,
      AuditCommand.class,
      LogLevelCommand.class,
      AlertsCommand.class,
      StatsCommand.class,
      ReservationsCommand.class,
      McpCommand.class,
      HookCommand.class,
      HooksCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Terminal terminal;

  Main(Terminal terminal) {
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    System.exit(run(Terminal.system(), args));
  }

  /** Runs the command line on the process's streams and returns its exit code. */
  public static int run(String... args) {
    return run(Terminal.system(), args);
  }

  /** Runs the command line on these streams and environment and returns its exit code. */
  static int run(Terminal terminal, String... args) {
    return commandLine(terminal).execute(args);
  }

  static CommandLine commandLine(Terminal terminal) {
    CommandLine cmd =
        new CommandLine(new Main(terminal))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setOut(terminal.out())
            .setErr(terminal.err())
            .setExecutionExceptionHandler((e, c, parsed) -> failed(e, c.getErr()))
            .setExecutionStrategy(Main::execute);
    listExitCodes(cmd, ExitCode.table());
    return cmd;
  }

  /**
   * Runs the command parsed, as picocli does by default, but refuses arguments it did not match
   * also when help was asked for: picocli ignores them then, so {@code mailroom sned --help} would
   * print the main help and exit 0 instead of naming {@code sned} and exiting 2.
   */
  private static int execute(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (!p.unmatched().isEmpty()) {
        throw new CommandLine.UnmatchedArgumentException(
            p.commandSpec().commandLine(), p.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  private static void listExitCodes(CommandLine cmd, Map<String, String> codes) {
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    cmd.getSubcommands().values().forEach(sub -> listExitCodes(sub, codes));
  }

  /** Prints a failure for people on standard error and answers its exit code. */
  private static int failed(Exception e, PrintWriter err) {
    ExitCode code;
    if (e instanceof MailroomClientException m) {
      code = ExitCode.of(m.kind());
      err.println("mailroom: " + describe(m));
      for (FieldErrorView f : m.fieldErrors()) {
        err.println("  " + f.field() + ": " + f.message());
      }
      m.retryAfter().ifPresent(d -> err.println("  retry after " + d.toSeconds() + " s"));
      m.requestId().ifPresent(id -> err.println("  request id: " + id));
    } else {
      code = e instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.FAILURE;
      err.println("mailroom: " + e.getMessage());
    }
    err.flush();
    return code.code();
  }

  /** The problem's title and detail; the title alone when the fields follow one per line. */
  private static String describe(MailroomClientException e) {
    return e.problem()
        .map(p -> e.fieldErrors().isEmpty() ? p.title() + ": " + p.detail() : p.title())
        .orElse(e.detail());
  }

  Terminal terminal() {
    return terminal;
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
