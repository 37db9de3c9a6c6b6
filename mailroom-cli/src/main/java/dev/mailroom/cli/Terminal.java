package dev.mailroom.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a command reads and writes: standard output for results, standard error for messages and
 * progress, standard input for payloads, and the environment (read once, here, at start-up).
 *
 * @param interactive whether standard error is a terminal a person watches (progress is shown only
 *     then)
 */
record Terminal(
    PrintWriter out,
    PrintWriter err,
    InputStream in,
    Map<String, String> environment,
    boolean interactive) {

  Terminal {
    environment = Map.copyOf(environment);
  }

  /** The process's own streams and environment. */
  static Terminal system() {
    return new Terminal(
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        System.in,
        System.getenv(),
        isTerminal(System.console()));
  }

  /**
   * From JDK 22 {@link System#console()} answers a console even when the streams are redirected,
   * and {@code Console.isTerminal()} tells the difference; on JDK 21 a console means a terminal.
   */
  private static boolean isTerminal(@Nullable Console console) {
    if (console == null) {
      return false;
    }
    try {
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
