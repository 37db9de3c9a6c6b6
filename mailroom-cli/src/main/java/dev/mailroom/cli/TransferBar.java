package dev.mailroom.cli;

import dev.mailroom.client.TransferProgress;
import java.io.PrintWriter;

/**
 * A progress bar of an upload or a download on standard error, one line rewritten in place, shown
 * only when standard error is a terminal (never in scripts or pipes). Its label is shown as {@link
 * SafeText} writes it: file names come from other agents. The SDK calls it from its own threads,
 * one update at a time; it redraws only when the shown percentage changes.
 */
final class TransferBar implements TransferProgress, AutoCloseable {
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private final boolean shown;
  private final String label;
  private int percent = -1;
  private boolean written;

  TransferBar(Terminal terminal, String label) {
    this.err = terminal.progress();
    this.shown = terminal.interactive();
    this.label = SafeText.of(label);
  }

  @Override
  public synchronized void update(long done, long total) {
    int now = total <= 0 ? 100 : (int) (done * 100 / total);
    if (!shown || now == percent) {
      return;
    }
    percent = now;
    int filled = now * WIDTH / 100;
    err.print(
        "\r"
            + label
            + " ["
            + "#".repeat(filled)
            + ".".repeat(WIDTH - filled)
            + "] "
            + String.format("%3d%%", now)
            + "  "
            + Formats.bytes(done)
            + " / "
            + Formats.bytes(total));
    err.flush();
    written = true;
  }

  /** Ends the line. */
  @Override
  public synchronized void close() {
    if (written) {
      err.println();
      err.flush();
    }
  }
}
