package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that calls a server through the SDK: it takes the connection options and {@code
 * --json}, and its failures become exit codes in {@link Main}.
 */
abstract class ClientCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(names = "--json", description = "Print the server's answers as JSON, one per line.")
  boolean json;

  @Override
  public final Integer call() throws Exception {
    Terminal terminal = terminal();
    try (MailroomClient client = connection.client(terminal)) {
      return run(client, new Output(terminal.out(), json)).code();
    }
  }

  /** Runs the command; an SDK failure thrown here becomes its exit code. */
  abstract ExitCode run(MailroomClient client, Output out) throws Exception;

  Terminal terminal() {
    return ((Main) spec.root().userObject()).terminal();
  }
}
