package dev.mailroom.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mailroom hook inbox}: prints the caller's inbox summary as text ({@code GET
 * /v1/inbox/summary?format=text}) for a coding agent's hook to put in the model's context at the
 * next turn. It must never break the agent's turn: whatever goes wrong, it prints one short line
 * and exits 0. The launchers answer this command in the shell with {@code curl} when they can,
 * because starting a JVM costs more than the whole answer (docs/BENCHMARKS.md); this is the same
 * command for machines without {@code curl}, with the same output.
 */
@Command(
    name = "inbox",
    mixinStandardHelpOptions = true,
    description = {
      "Print a short summary of the agent's unread mail for a coding agent's hook: count, top"
          + " senders, newest subjects. Always exits 0; a failure is one line of explanation.",
      "Reads and ignores standard input (the JSON object hooks receive)."
    })
final class HookInboxCommand implements Callable<Integer> {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** How long standard input may take to end before the command stops waiting for it. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() throws InterruptedException {
    Terminal terminal = ((Main) spec.root().userObject()).terminal();
    // Run by a person at a terminal, there is no input to wait for.
    Optional<Thread> drain =
        terminal.interactive()
            ? Optional.empty()
            : Optional.of(Thread.ofVirtual().start(() -> drain(terminal.in())));
    terminal.out().print(summary(terminal));
    terminal.out().flush();
    if (drain.isPresent()) {
      drain.get().join(DRAIN_TIMEOUT);
    }
    return ExitCode.OK.code();
  }

  private String summary(Terminal terminal) throws InterruptedException {
    Optional<String> token = connection.token(terminal);
    if (token.isEmpty()) {
      return unavailable("MAILROOM_TOKEN is not set");
    }
    URI base;
    try {
      base = connection.uri(terminal);
    } catch (IllegalArgumentException e) {
      return unavailable("MAILROOM_URL is not a URL");
    }
    String root = base.toString().replaceAll("/+$", "");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(root + "/v1/inbox/summary?format=text"))
              .timeout(TIMEOUT)
              .header("Authorization", "Bearer " + token.get())
              .header("Accept", "text/plain")
              .build();
      HttpResponse<String> r =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return r.statusCode() == 200
          ? r.body()
          : unavailable("the server answered HTTP " + r.statusCode());
    } catch (IOException | IllegalArgumentException e) {
      return unavailable("no answer from " + root);
    }
  }

  private static String unavailable(String why) {
    return "Mailroom: no inbox summary (" + why + ").\n";
  }

  /** Reads standard input to its end, so that the hook's caller never fails writing to it. */
  private static void drain(InputStream in) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // nothing to do: the input was only read so that its writer is not refused
    }
  }
}
