package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * {@link MailroomMcp#serveStdio} on a thread of its own, as an MCP client drives it: lines written
 * to its input one at a time, while the input stays open, and the lines of its output collected.
 */
final class StdioSession implements AutoCloseable {
  private static final byte[] END = {};

  private final BlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
  private final List<String> output = new ArrayList<>();
  private final CompletableFuture<Void> served;

  StdioSession(MailroomClient client) {
    served =
        CompletableFuture.runAsync(
            () -> {
              try {
                MailroomMcp.serveStdio(client, new Input(), new Lines());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /** Sends one line (a line break is added). */
  void send(String line) {
    send((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes as they are. */
  void send(byte[] bytes) {
    input.add(bytes);
  }

  /** The lines written so far, each read as JSON. */
  synchronized List<JsonNode> answers() {
    return output.stream().map(Json.mapper()::readTree).toList();
  }

  /** Ends the input and waits for the server to stop (failing if it does not within a minute). */
  @Override
  public void close() throws Exception {
    input.add(END);
    served.get(1, TimeUnit.MINUTES);
  }

  private final class Input extends InputStream {
    private byte[] chunk = {};
    private int at;

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      while (at == chunk.length) {
        if (chunk == END) {
          return -1;
        }
        try {
          chunk = input.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
        at = 0;
      }
      int n = Math.min(len, chunk.length - at);
      System.arraycopy(chunk, at, b, off, n);
      at += n;
      return n;
    }
  }

  private final class Lines extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      synchronized (StdioSession.this) {
        if (b == '\n') {
          output.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    }
  }
}
