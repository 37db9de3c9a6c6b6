package dev.mailroom.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The client's input to the stdio transport, one line at a time, split as the SDK's reader splits
 * it (a line ends at {@code \n}, {@code \r} or {@code \r\n}, and at the end of the input), so that
 * each line handed on is one line to the SDK too. At most {@code max} bytes of a line are held: a
 * longer line is read to its end, dropped, and reported as {@link Overlong}. Read by one thread at
 * a time.
 */
final class StdioLines {
  /** What the largest line held leaves in memory once read: larger buffers are let go. */
  private static final int KEPT_BUFFER = 64 * 1024;

  /** One line of the input. */
  sealed interface Line {}

  /** A line of at most the limit, without its line break (possibly empty). */
  record Text(byte[] bytes) implements Line {}

  /** A line over the limit, of which nothing was kept. */
  record Overlong() implements Line {}

  private final InputStream in;
  private final int max;
  private final byte[] chunk = new byte[8192];
  private int at;
  private int end;
  private boolean ended;
  private boolean afterCarriageReturn;
  private ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean overlong;

  /**
   * @param max the longest line held, in bytes
   */
  StdioLines(InputStream in, int max) {
    this.in = in;
    this.max = max;
  }

  /**
   * The next line, blocking until it ends; empty once the input has ended.
   *
   * @throws IOException if reading the input fails
   */
  Optional<Line> next() throws IOException {
    while (true) {
      if (at == end) {
        int n = ended ? -1 : in.read(chunk);
        if (n < 0) {
          ended = true;
          return line.size() > 0 || overlong ? Optional.of(take()) : Optional.empty();
        }
        at = 0;
        end = n;
        continue;
      }
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (chunk[at] == '\n') {
          at++; // the second half of a \r\n ends no line of its own
          continue;
        }
      }
      int start = at;
      while (at < end && chunk[at] != '\n' && chunk[at] != '\r') {
        at++;
      }
      hold(start, at);
      if (at < end) {
        afterCarriageReturn = chunk[at] == '\r';
        at++;
        return Optional.of(take());
      }
    }
  }

  /** Closes the input. */
  void close() throws IOException {
    in.close();
  }

  private void hold(int from, int to) {
    if (overlong) {
      return;
    }
    if (line.size() + (to - from) > max) {
      overlong = true;
      line = new ByteArrayOutputStream();
    } else {
      line.write(chunk, from, to - from);
    }
  }

  private Line take() {
    Line taken = overlong ? new Overlong() : new Text(line.toByteArray());
    overlong = false;
    if (line.size() > KEPT_BUFFER) {
      line = new ByteArrayOutputStream();
    } else {
      line.reset();
    }
    return taken;
  }
}
