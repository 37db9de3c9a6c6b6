package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Which server to call and as whom: {@code --server} or {@code MAILROOM_URL} (default {@code
 * http://127.0.0.1:8080}), {@code --token} or {@code MAILROOM_TOKEN}. The token is never printed.
 */
final class ConnectionOptions {
  static final String URL_VARIABLE = "MAILROOM_URL";
  static final String TOKEN_VARIABLE = "MAILROOM_TOKEN";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The server. Default: env MAILROOM_URL, else http://127.0.0.1:8080.")
  @Nullable URI server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The agent's bearer token. Default: env MAILROOM_TOKEN.")
  @Nullable String token;

  /** A client for the server and token given, or taken from the environment. */
  MailroomClient client(Terminal terminal) {
    MailroomClient.Builder b = MailroomClient.builder().baseUri(uri(terminal));
    token(terminal).ifPresent(b::token);
    return b.build();
  }

  /** Whether a token is given, by {@code --token} or the environment. */
  boolean hasToken(Terminal terminal) {
    return token(terminal).isPresent();
  }

  /** The server given, or taken from the environment, or the default. */
  URI uri(Terminal terminal) {
    return server != null
        ? server
        : Optional.ofNullable(terminal.environment().get(URL_VARIABLE))
            .filter(s -> !s.isBlank())
            .map(URI::create)
            .orElse(MailroomClient.DEFAULT_URI);
  }

  /** The token given, or taken from the environment; never to be printed. */
  Optional<String> token(Terminal terminal) {
    return Optional.ofNullable(token)
        .or(() -> Optional.ofNullable(terminal.environment().get(TOKEN_VARIABLE)))
        .filter(t -> !t.isBlank());
  }
}
