package dev.mailroom.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The stdio transport's output, written to by two threads: the SDK's, which writes its messages to
 * {@link #sdkStream()} (a message, then its line break, as two writes), and the reading thread,
 * which answers refused lines with {@link #refuse} (and what Mailroom answers itself with {@link
 * #answer}). Each message goes out as one whole line, written and flushed under one lock, so no two
 * messages interleave. Thread-safe.
 */
final class StdioOutput {
  /** What the largest message held leaves in memory once written: larger buffers are let go. */
  private static final int KEPT_BUFFER = 64 * 1024;

  private final OutputStream out;
  private final McpJsonMapper json;
  private final ReentrantLock lock = new ReentrantLock();

  StdioOutput(OutputStream out, McpJsonMapper json) {
    this.out = out;
    this.json = json;
  }

  /**
   * Answers a refused line with its JSON-RPC error, as one line.
   *
   * @throws IOException if writing the output fails
   */
  void refuse(JsonRpcChecks.Refused refused) throws IOException {
    answer(json.writeValueAsString(JsonRpcAnswers.error(refused)));
  }

  /**
   * Writes one JSON-RPC message of Mailroom's own (an answer in the SDK's stead), as one line.
   *
   * @throws IOException if writing the output fails
   */
  void answer(String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    lock.lock();
    try {
      out.write(bytes);
      out.write('\n');
      out.flush();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The stream to give the SDK: what it writes is held until a line break, then written as one
   * line. Not thread-safe (the SDK writes from one thread); closing it does not close the output.
   * What it holds is bounded by the SDK's largest message, which Mailroom's own tools produce.
   */
  OutputStream sdkStream() {
    return new OutputStream() {
      private ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int start = off;
        for (int i = off; i < off + len; i++) {
          if (b[i] == '\n') {
            line.write(b, start, i - start);
            writeLine();
            start = i + 1;
          }
        }
        line.write(b, start, off + len - start);
      }

      private void writeLine() throws IOException {
        lock.lock();
        try {
          line.writeTo(out);
          out.write('\n');
          out.flush();
        } finally {
          lock.unlock();
        }
        if (line.size() > KEPT_BUFFER) {
          line = new ByteArrayOutputStream();
        } else {
          line.reset();
        }
      }
    };
  }
}
