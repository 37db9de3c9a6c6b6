package dev.mailroom.cli;

import java.io.PrintWriter;

/**
 * A one-line count of a long operation on standard error, rewritten in place, shown only when
 * standard error is a terminal (never in scripts or pipes). Not thread-safe.
 */
final class Progress implements AutoCloseable {
  private final PrintWriter err;
  private final boolean shown;
  private final String what;
  private long count;
  private boolean written;

  Progress(Terminal terminal, String what) {
    this.err = terminal.err();
    this.shown = terminal.interactive();
    this.what = what;
  }

  /** Counts {@code n} more done and shows the total. */
  void advance(long n) {
    count += n;
    if (shown) {
      err.print("\r" + what + ": " + count);
      err.flush();
      written = true;
    }
  }

  long count() {
    return count;
  }

  /** Ends the line. */
  @Override
  public void close() {
    if (written) {
      err.println();
      err.flush();
    }
  }
}
