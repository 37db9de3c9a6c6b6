package dev.mailroom.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The web console a node serves at {@code /console}.
 *
 * @param enabled whether it serves it at all ({@code false}: {@code /console} answers 404, and no
 *     session cookie is accepted)
 * @param sessionTtl how long a console session lasts after sign-in; it ends sooner when the person
 *     signs out or the token it was opened with is replaced or revoked
 */
public record ConsoleSettings(boolean enabled, Duration sessionTtl) {
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);
  public static final ConsoleSettings DEFAULTS = new ConsoleSettings(true, DEFAULT_SESSION_TTL);

  public ConsoleSettings {
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    if (sessionTtl.compareTo(Duration.ofMinutes(1)) < 0
        || sessionTtl.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException(
          "a console session lasts 1 minute to 30 days, not " + sessionTtl);
    }
  }
}
