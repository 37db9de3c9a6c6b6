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
 * progress, standard input for payloads, and the environment (read once, here, at start-up). What
 * commands print on either output shows control characters as escapes ({@link SafeText}): other
 * agents wrote most of it.
 */
final class Terminal {
  private final PrintWriter out;
  private final PrintWriter err;
  private final PrintWriter progress;
  private final InputStream in;
  private final Map<String, String> environment;
  private final boolean interactive;

  /**
   * @param interactive whether standard error is a terminal a person watches (progress is shown
   *     only then)
   */
  Terminal(
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Map<String, String> environment,
      boolean interactive) {
    this.out = new PrintWriter(new SafeText(out), true);
    this.err = new PrintWriter(new SafeText(err), true);
    this.progress = err;
    this.in = in;
    this.environment = Map.copyOf(environment);
    this.interactive = interactive;
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

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /**
   * Standard error as it is, for the CLI's own progress line (which rewrites itself with a carriage
   * return); never for text that came from the server.
   */
  PrintWriter progress() {
    return progress;
  }

  InputStream in() {
    return in;
  }

  Map<String, String> environment() {
    return environment;
  }

  boolean interactive() {
    return interactive;
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
