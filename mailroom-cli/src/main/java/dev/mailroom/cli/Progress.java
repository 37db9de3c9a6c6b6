package dev.mailroom.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

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
    this.err = terminal.progress();
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

  /**
   * Fetches every page, handing each item to {@code each} and counting the items on standard error
   * as it goes.
   */
  static <P, T> void walk(
      Terminal terminal,
      String what,
      Iterator<P> pages,
      Function<P, List<T>> items,
      Consumer<T> each) {
    try (Progress progress = new Progress(terminal, what)) {
      while (pages.hasNext()) {
        List<T> page = items.apply(pages.next());
        page.forEach(each);
        progress.advance(page.size());
      }
    }
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
