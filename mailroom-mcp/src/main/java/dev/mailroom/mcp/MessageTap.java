package dev.mailroom.mcp;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The stdio transport's input, unchanged, with each line (one JSON-RPC message each) also shown to
 * an observer as it is read, and the end of the input reported once. Lines longer than {@link
 * #MAX_LINE} bytes are not shown (the messages observed are small). Read by one thread at a time.
 */
final class MessageTap extends FilterInputStream {
  static final int MAX_LINE = 64 * 1024;

  private final Consumer<String> lines;
  private final Runnable ended;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean overlong;
  private boolean done;

  MessageTap(InputStream in, Consumer<String> lines, Runnable ended) {
    super(in);
    this.lines = lines;
    this.ended = ended;
  }

  @Override
  public int read() throws IOException {
    int b = guarded(super.read());
    if (b >= 0) {
      take((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = guarded(super.read(buf, off, len));
    for (int i = 0; i < n; i++) {
      take(buf[off + i]);
    }
    return n;
  }

  private int guarded(int result) {
    if (result < 0) {
      end();
    }
    return result;
  }

  private void take(byte b) {
    if (b == '\n') {
      if (!overlong) {
        lines.accept(line.toString(StandardCharsets.UTF_8));
      }
      line.reset();
      overlong = false;
    } else if (!overlong) {
      if (line.size() >= MAX_LINE) {
        overlong = true;
        line.reset();
      } else {
        line.write(b);
      }
    }
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
    super.close();
  }
}
