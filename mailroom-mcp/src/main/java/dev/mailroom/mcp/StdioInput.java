package dev.mailroom.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stdio transport's input as the SDK reads it: the client's lines that {@link JsonRpcChecks}
 * accepts, unchanged and in order, each shown to an observer just before the SDK can read it (which
 * may answer it instead). A refused line never reaches the SDK (which stops reading for good at the
 * first line it cannot read): it is answered on the output with a JSON-RPC error, and reading goes
 * on with the next line. Blank lines are no messages and are skipped. The end of the input is
 * reported once. Read by one thread at a time (the SDK's reading thread, on which the observer and
 * the refusals run).
 */
final class StdioInput extends InputStream {
  /** The name refusals give a line at fault as a whole. */
  private static final String LINE = "line";

  private static final byte[] NOTHING = {};

  private final StdioLines lines;
  private final JsonRpcChecks checks;
  private final StdioOutput output;
  private final Function<McpSchema.JSONRPCMessage, Optional<String>> observer;
  private final Runnable ended;
  private final int max;
  private byte[] pending = NOTHING;
  private int at;
  private boolean done;

  /**
   * @param max the longest line read, in bytes; a longer one is refused without being held
   * @param json the SDK's mapper, as the SDK reads with it
   */
  StdioInput(
      InputStream in,
      int max,
      McpJsonMapper json,
      StdioOutput output,
      Function<McpSchema.JSONRPCMessage, Optional<String>> observer,
      Runnable ended) {
    this.lines = new StdioLines(in, max);
    this.max = max;
    this.checks = new JsonRpcChecks(json, LINE);
    this.output = output;
    this.observer = observer;
    this.ended = ended;
  }

  @Override
  public int read() throws IOException {
    return fill() ? pending[at++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, pending.length - at);
    System.arraycopy(pending, at, b, off, n);
    at += n;
    return n;
  }

  /**
   * Makes sure an accepted line is pending, reading lines as needed; false at the end. A failure
   * (to read the input or to answer on the output) ends the input too: the SDK reads no further.
   */
  private boolean fill() throws IOException {
    try {
      return next();
    } catch (IOException | RuntimeException e) {
      end();
      throw e;
    }
  }

  private boolean next() throws IOException {
    while (at == pending.length) {
      Optional<StdioLines.Line> next = done ? Optional.empty() : lines.next();
      if (next.isEmpty()) {
        end();
        return false;
      }
      switch (next.get()) {
        case StdioLines.Overlong o ->
            output.refuse(
                new JsonRpcChecks.Refused(
                    413,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    Optional.empty(),
                    LINE,
                    "is longer than " + max + " bytes"));
        case StdioLines.Text t when blank(t.bytes()) -> {}
        case StdioLines.Text t -> check(t.bytes());
      }
    }
    return true;
  }

  private void check(byte[] line) throws IOException {
    switch (checks.read(line)) {
      case JsonRpcChecks.Refused r -> output.refuse(r);
      case JsonRpcChecks.Accepted a when a.ignored() -> {} // a notification with nothing to do
      case JsonRpcChecks.Accepted a -> {
        Optional<String> answered = observer.apply(a.message());
        if (answered.isPresent()) {
          output.answer(answered.get());
          return;
        }
        pending = Arrays.copyOf(line, line.length + 1);
        pending[line.length] = '\n';
        at = 0;
      }
    }
  }

  private static boolean blank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private void end() {
    if (!done) {
      done = true;
      ended.run();
    }
  }

  @Override
  public void close() throws IOException {
    end();
    lines.close();
  }
}
