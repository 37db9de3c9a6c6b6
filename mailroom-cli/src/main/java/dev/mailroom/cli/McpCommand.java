package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.mcp.MailroomMcp;
import dev.mailroom.protocol.AgentView;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mailroom mcp}: an MCP server over stdio for one agent, bridging to a Mailroom server. It
 * checks the token first (a bad one ends it with the CLI's exit code), then serves until standard
 * input ends. Standard output carries the protocol only: anything else that would print there goes
 * to standard error, with the logs.
 */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the Model Context Protocol over stdio as one agent, for MCP clients (Claude Desktop,"
          + " Claude Code, ...) that start their servers as commands. See docs/MCP.md.",
      "Standard output carries the protocol only; messages and logs go to standard error."
    })
final class McpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() throws InterruptedException {
    Terminal terminal = ((Main) spec.root().userObject()).terminal();
    PrintStream protocol = System.out;
    System.setOut(System.err); // a stray print must not corrupt the protocol
    try (MailroomClient client = connection.client(terminal)) {
      AgentView me = client.agents().whoami();
      terminal
          .err()
          .println(
              "mailroom mcp: serving MCP over stdio as agent "
                  + me.id()
                  + " of "
                  + client.baseUri());
      MailroomMcp.serveStdio(client, terminal.in(), protocol);
      return ExitCode.OK.code();
    } finally {
      System.setOut(protocol);
    }
  }
}
