package dev.mailroom.cli;

import dev.mailroom.client.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code mailroom} commands in this JVM against a test server, as {@code bin/mailroom} would
 * in a shell, capturing what they print: the server's URL and a token come from the environment
 * ({@code MAILROOM_URL}, {@code MAILROOM_TOKEN}) unless the arguments give them.
 */
final class Cli {
  /** What a command did: its exit code and what it printed. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private final Map<String, String> environment = new HashMap<>();
  private String stdin = "";
  private boolean interactive;

  private Cli() {}

  /** Commands against {@code server} with this token. */
  static Cli as(TestServer server, String token) {
    Cli cli = new Cli();
    cli.environment.put(ConnectionOptions.URL_VARIABLE, server.baseUri().toString());
    cli.environment.put(ConnectionOptions.TOKEN_VARIABLE, token);
    return cli;
  }

  /** Commands with no environment at all. */
  static Cli bare() {
    return new Cli();
  }

  /** Standard input for the next commands. */
  Cli stdin(String text) {
    this.stdin = text;
    return this;
  }

  /** Standard error is a terminal (progress is shown). */
  Cli interactive() {
    this.interactive = true;
    return this;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Terminal terminal =
        new Terminal(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            environment,
            interactive);
    int exit = Main.run(terminal, args);
    return new Result(exit, out.toString(), err.toString());
  }
}
