package dev.mailroom.bench;

import dev.mailroom.bench.compare.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code mailroom hook inbox} takes, as a coding agent's hook runs it at every prompt: the
 * source tree's launcher ({@code bin/mailroom hook inbox}, which answers in the shell with curl),
 * {@code curl} of the same route alone, and the Java command ({@code java -jar mailroom-cli.jar
 * hook inbox}, what a launcher without curl runs), each a new process with the hook's JSON on
 * standard input, in turn within each round so that all three meet the same machine. The server is
 * a process of its own on SQLite; the agent has mail from three senders. Every run's output is
 * checked to be the summary, so an error cannot pass for a fast answer.
 */
final class HookInboxBench {
  private static final String INPUT =
      "{\"session_id\":\"bench\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"go on\"}";
  private static final int MESSAGES = 12;

  /**
   * @param runs how many timed runs of each
   * @param warmups how many runs of each before them, not timed
   * @param javaRuns how many of the rounds also run the Java command (it takes far longer)
   */
  record Options(int runs, int warmups, int javaRuns, String serverHeap) {}

  private HookInboxBench() {}

  static Report run(Path dir, Path out, Options o) throws Exception {
    Path data = dir.resolve("hook-inbox");
    Path launcher = Path.of("bin", "mailroom").toAbsolutePath();
    Path jar =
        Path.of(System.getProperty("mailroom.cli.jar", "mailroom-cli/target/mailroom-cli.jar"))
            .toAbsolutePath();
    try (ServerProcess server =
        BenchServer.startProcess("mailroom-hook", data, o.serverHeap(), "", List.of())) {
      List<String> tokens =
          BenchServer.createAgents(server.port(), BenchServer.ADMIN_TOKEN, "hk", 4, 1);
      String reader = tokens.getFirst();
      try (RawHttp http = new RawHttp("127.0.0.1", server.port())) {
        for (int i = 0; i < MESSAGES; i++) {
          String body =
              "{\"mode\":\"direct\",\"target\":\"hk0\",\"content_type\":\"text/plain\","
                  + "\"payload\":\"Step "
                  + i
                  + " is done, please review\\nDetails follow.\"}";
          int status =
              http.exchange(
                  "POST",
                  "/v1/messages",
                  tokens.get(1 + i % 3),
                  body.getBytes(StandardCharsets.UTF_8),
                  new StringBuilder());
          if (status != 201) {
            throw new IOException("send answered " + status);
          }
        }
      }
      String url = "http://127.0.0.1:" + server.port();
      List<String> launcherCommand = List.of(launcher.toString(), "hook", "inbox");
      List<String> curlCommand =
          List.of(
              "curl",
              "-s",
              "--connect-timeout",
              "1",
              "--max-time",
              "3",
              "-H",
              "@-",
              "-H",
              "Accept: text/plain",
              url + "/v1/inbox/summary?format=text");
      List<String> javaCommand =
          List.of(
              ServerProcess.javaCommand(),
              "--enable-native-access=ALL-UNNAMED",
              "-jar",
              jar.toString(),
              "hook",
              "inbox");
      String expected = "Mailroom: " + MESSAGES + " unread messages for agent hk0.";
      long[] viaLauncher = new long[o.runs()];
      long[] viaCurl = new long[o.runs()];
      long[] viaJava = new long[Math.min(o.javaRuns(), o.runs())];
      for (int i = -o.warmups(); i < o.runs(); i++) {
        long l = timed(launcherCommand, INPUT, url, reader, expected);
        long c =
            timed(curlCommand, "Authorization: Bearer " + reader + "\n", url, reader, expected);
        if (i >= 0) {
          viaLauncher[i] = l;
          viaCurl[i] = c;
          if (i < viaJava.length) {
            viaJava[i] = timed(javaCommand, INPUT, url, reader, expected);
          }
        }
      }
      Report r =
          new Report("hook_inbox")
              .put("runs", o.runs())
              .put("launcher_p50_ms", ms(percentile(viaLauncher, 50)))
              .put("launcher_p90_ms", ms(percentile(viaLauncher, 90)))
              .put("curl_p50_ms", ms(percentile(viaCurl, 50)))
              .put("curl_p90_ms", ms(percentile(viaCurl, 90)))
              .put(
                  "launcher_to_curl",
                  Report.round((double) percentile(viaLauncher, 50) / percentile(viaCurl, 50)))
              .put("java_runs", viaJava.length);
      if (viaJava.length > 0) {
        r.put("java_p50_ms", ms(percentile(viaJava, 50)))
            .put("java_p90_ms", ms(percentile(viaJava, 90)));
      }
      r.emit(out);
      return r;
    }
  }

  /** Runs the command once as a hook runs it and answers its wall time in nanoseconds. */
  private static long timed(
      List<String> command, String input, String url, String token, String expected)
      throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = b.environment();
    env.keySet().removeIf(k -> k.startsWith("MAILROOM_"));
    env.put("MAILROOM_URL", url);
    env.put("MAILROOM_TOKEN", token);
    long start = System.nanoTime();
    Process p = b.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String printed;
    try (InputStream stdout = p.getInputStream()) {
      printed = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " did not end");
    }
    long elapsed = System.nanoTime() - start;
    if (p.exitValue() != 0 || !printed.startsWith(expected)) {
      throw new IOException(command + " exited " + p.exitValue() + " printing: " + printed);
    }
    return elapsed;
  }

  private static long percentile(long[] samples, int p) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  private static double ms(long nanos) {
    return Report.round(nanos / 1e6);
  }
}
