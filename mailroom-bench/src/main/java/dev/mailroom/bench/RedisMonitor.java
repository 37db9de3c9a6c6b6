package dev.mailroom.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what a Redis server is asked to do, with {@code MONITOR} on a plain socket: every command
 * of every client, and every command a script runs, with its arguments as bytes. The ceiling run
 * takes the send script's exact arguments from here, so it replays what Mailroom sends rather than
 * a reconstruction of it.
 */
final class RedisMonitor implements AutoCloseable {
  /** One command as the server saw it: from a client, or from inside a script ({@code lua}). */
  record Command(boolean fromScript, List<byte[]> words) {
    String name() {
      return new String(words.get(0), StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
    }

    String word(int i) {
      return new String(words.get(i), StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final List<Command> commands = new ArrayList<>();
  private final Thread reader;

  RedisMonitor(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String ok = line(in);
    if (!"+OK".equals(ok)) {
      socket.close();
      throw new IOException("MONITOR answered " + ok);
    }
    reader =
        Thread.ofPlatform()
            .name("redis-monitor")
            .start(
                () -> {
                  try {
                    for (String l = line(in); l != null; l = line(in)) {
                      Command c = parse(l);
                      if (c != null) {
                        synchronized (commands) {
                          commands.add(c);
                        }
                      }
                    }
                  } catch (IOException e) {
                    // Closed.
                  }
                });
  }

  /** The commands seen so far. */
  List<Command> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A reply line without its CR LF, or null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        byte[] bytes = out.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      out.write(b);
    }
    return null;
  }

  /**
   * Parses a MONITOR line, {@code +1700000000.123456 [0 127.0.0.1:5000] "SET" "k" "v\x00"}: the
   * words are quoted with Redis's escapes ({@code \\ \" \n \r \t \a \b \xHH}). Null for anything
   * else.
   */
  static Command parse(String line) {
    int open = line.indexOf('[');
    int close = line.indexOf("] ", open);
    if (!line.startsWith("+") || open < 0 || close < 0) {
      return null;
    }
    boolean lua = line.substring(open + 1, close).endsWith(" lua");
    List<byte[]> words = new ArrayList<>();
    int i = close + 2;
    while (i < line.length()) {
      if (line.charAt(i) != '"') {
        i++;
        continue;
      }
      ByteArrayOutputStream word = new ByteArrayOutputStream();
      i++;
      while (line.charAt(i) != '"') {
        char c = line.charAt(i++);
        if (c != '\\') {
          word.write(c);
          continue;
        }
        char e = line.charAt(i++);
        switch (e) {
          case 'n' -> word.write('\n');
          case 'r' -> word.write('\r');
          case 't' -> word.write('\t');
          case 'a' -> word.write(7);
          case 'b' -> word.write('\b');
          case 'x' -> {
            word.write(Integer.parseInt(line.substring(i, i + 2), 16));
            i += 2;
          }
          default -> word.write(e);
        }
      }
      i++;
      words.add(word.toByteArray());
    }
    return words.isEmpty() ? null : new Command(lua, words);
  }
}
