package dev.mailroom.bench;

import dev.mailroom.bench.compare.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What metrics, alerts and tracing cost a durable send (issue 17): the closed-loop sends of {@link
 * SendThroughput} against two server processes on the embedded store, started side by side from the
 * command-line jar ({@link BenchServer#startProcess}) and measured in alternation in one run, so
 * that whatever else the machine does meanwhile falls on both alike:
 *
 * <ul>
 *   <li><b>on</b>: {@code --set metrics.enabled=true --set alerts.enabled=true --set
 *       alerts.interval=15s} (the defaults; {@code --alerts-interval 1s} evaluates the rules every
 *       second instead, a stress test of the evaluator), and every send carries a new W3C {@code
 *       traceparent} header ({@code 00-<trace id>-<parent id>-01}), which the server checks, puts
 *       in its log MDC and copies into the message's metadata;
 *   <li><b>off</b>: {@code --set metrics.enabled=false --set alerts.enabled=false}, and no {@code
 *       traceparent}.
 * </ul>
 *
 * <p>Before anything is measured each server is checked, and the scenario fails if one is not what
 * it should be: {@code GET /metrics} answers 200 on and 404 off; {@code GET /v1/admin/alerts} says
 * {@code "enabled":true} (at the interval asked) on and {@code "enabled":false} off; a message sent
 * with a {@code traceparent} to the "on" server carries it in its metadata when its recipient reads
 * it. Then each server is warmed up (its recipients' inboxes filled to their bound, {@link
 * SendThroughput#FILL_SENDS}, then {@code warmup} of sends), and the runs alternate: on, off, on,
 * off, ... {@code runs} of each, every one a fresh set of connections warmed up for {@code warmup}
 * and measured for {@code measure}, the machine's write-back flushed before it. While one server
 * fills, warms up or is measured, the other is stopped (SIGSTOP, then SIGCONT), so that its
 * background work, the "on" server's alert evaluator above all, takes no CPU from the one measured
 * (the two share two cores with the load generator). Each run reports the server's CPU (its
 * process's, over the run's warm-up and measurement, {@link ServerWatch}), the CPU of its busiest
 * threads and of its alert evaluator over the same window, and the CPU the other, idle server used
 * meanwhile; the summary the median sends/s of each server and their ratio.
 */
final class Observability {
  /** The ratio on ÷ off the issue asks for. */
  static final double TARGET = 0.95;

  private static final Pattern ENABLED = Pattern.compile("\"enabled\"\\s*:\\s*(true|false)");
  private static final Pattern INTERVAL =
      Pattern.compile("\"interval_?[sS]econds\"\\s*:\\s*([0-9.]+)");
  private static final Pattern RULE = Pattern.compile("\"rule\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Observability() {}

  /**
   * The scenario's settings.
   *
   * @param runs how many measured runs each server gets
   * @param clients closed-loop connections (sender agents) per run
   * @param warmup unmeasured sends at the start of every run, and after the fill
   * @param measure how long each run is measured
   * @param payloadBytes the size of each message's payload
   * @param alertsInterval the "on" server's {@code alerts.interval}
   * @param traceparent whether the "on" server's sends carry a {@code traceparent} (without, the
   *     two servers differ in metrics and alerts alone: the cost of tracing is the difference)
   * @param serverHeap each server's {@code -Xmx}
   * @param serverJavaOptions more options for both servers' JVMs (e.g. a flight recording), split
   *     at spaces
   */
  record Options(
      int runs,
      int clients,
      Duration warmup,
      Duration measure,
      int payloadBytes,
      String alertsInterval,
      boolean traceparent,
      String serverHeap,
      String serverJavaOptions) {}

  /** One of the two servers. */
  private enum Mode {
    ON,
    OFF;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A server process with its agents. */
  private record Server(
      Mode mode, ServerProcess process, List<String> senders, SendThroughput.Headers headers) {}

  /** Runs the scenario, emitting each result to {@code out} as it comes; returns them all. */
  static List<Report> run(Path dir, Path out, Options o) throws Exception {
    Path work = dir.resolve("observability");
    List<Report> reports = new ArrayList<>();
    try (ServerProcess onProcess =
            BenchServer.startProcess(
                "mailroom-observability-on",
                work.resolve("on"),
                o.serverHeap(),
                o.serverJavaOptions(),
                List.of(
                    "--set",
                    "metrics.enabled=true",
                    "--set",
                    "alerts.enabled=true",
                    "--set",
                    "alerts.interval=" + o.alertsInterval()));
        ServerProcess offProcess =
            BenchServer.startProcess(
                "mailroom-observability-off",
                work.resolve("off"),
                o.serverHeap(),
                o.serverJavaOptions(),
                List.of("--set", "metrics.enabled=false", "--set", "alerts.enabled=false"))) {
      Server on =
          prepare(
              Mode.ON,
              onProcess,
              o,
              o.traceparent() ? Observability::traceparentHeader : SendThroughput.NO_HEADERS);
      Server off = prepare(Mode.OFF, offProcess, o, SendThroughput.NO_HEADERS);
      try {
        reports.add(emit(check(on, o), out));
        reports.add(emit(check(off, o), out));
        for (Server s : List.of(on, off)) {
          settle();
          pause(other(s, on, off));
          Report warm =
              SendThroughput.closedLoop(
                  new Report("observability_warmup").put("mode", s.mode().label()),
                  List.of(s.process().port()),
                  s.senders(),
                  o.warmup(),
                  Duration.ofSeconds(1),
                  o.payloadBytes(),
                  SendThroughput.FILL_SENDS,
                  Optional.empty(),
                  s.headers());
          resume(other(s, on, off));
          reports.add(emit(warm, out));
        }
        List<Report> runs = new ArrayList<>();
        for (int r = 1; r <= o.runs(); r++) {
          for (Server s : List.of(on, off)) {
            settle();
            pause(other(s, on, off));
            Report run =
                new Report("observability_run")
                    .put("mode", s.mode().label())
                    .put("run", r)
                    .put("server_pid", s.process().pid());
            long otherPid = other(s, on, off).process().pid();
            long[] otherBefore = ServerWatch.cpuTicks(otherPid);
            Map<String, Long> threadsBefore = threadTicks(s.process().pid());
            long threadsStart = System.nanoTime();
            ServerWatch watch =
                ServerWatch.start(
                    s.process().port(),
                    s.process().pid(),
                    s.process().dir().resolve("gc.log"),
                    Duration.ZERO);
            SendThroughput.closedLoop(
                run,
                List.of(s.process().port()),
                s.senders(),
                o.warmup(),
                o.measure(),
                o.payloadBytes(),
                0,
                Optional.empty(),
                s.headers());
            watch.stop(run, "");
            threads(
                run,
                threadsBefore,
                threadTicks(s.process().pid()),
                (System.nanoTime() - threadsStart) / 1e9);
            long[] otherAfter = ServerWatch.cpuTicks(otherPid);
            // The idle server is stopped: its own work (the alert evaluator of "on") would be CPU
            // the measured one did not get. This says it used none.
            run.put(
                "other_server_cpu_cores",
                Math.round(
                        (otherAfter[0] + otherAfter[1] - otherBefore[0] - otherBefore[1])
                            / 100.0
                            / ((System.nanoTime() - threadsStart) / 1e9)
                            * 1000)
                    / 1000.0);
            run.put(
                "server_cpu_us_per_send",
                Report.round(run.number("server_cpu_cores") * 1e6 / run.number("sends_per_s")));
            if (run.number("failed") > 0) {
              System.err.println(
                  "observability: " + (long) run.number("failed") + " sends failed in " + s.mode());
            }
            resume(other(s, on, off));
            runs.add(emit(run, out));
          }
        }
        reports.addAll(runs);
        // Alerts were evaluated throughout on one and never on the other: say so once more.
        reports.add(emit(alertState(on), out));
        reports.add(emit(alertState(off), out));
        reports.add(emit(summary(runs, o), out));
      } finally {
        resume(on);
        resume(off);
      }
    }
    return reports;
  }

  /**
   * The CPU time of each of the process's threads so far, in clock ticks, summed by name (digits
   * replaced by {@code N}, so a pool's threads add up), from {@code /proc/<pid>/task}. Linux keeps
   * 15 characters of a name: the SQLite writer and checkpointer are both {@code mailroom-sqlite}.
   */
  static Map<String, Long> threadTicks(long pid) throws IOException {
    Map<String, Long> ticks = new TreeMap<>();
    Path tasks = Path.of("/proc/" + pid + "/task");
    try (var list = Files.list(tasks)) {
      for (Path task : list.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "N");
          long[] cpu = ServerWatch.cpuTicks(pid, task.getFileName().toString());
          ticks.merge(name, cpu[0] + cpu[1], Long::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return ticks;
  }

  /**
   * Puts the CPU of the threads that used the most between {@code before} and {@code after} ({@code
   * seconds} apart) into {@code report}, in cores, and that of the alert evaluator ({@code
   * mailroom-alerts}) on its own: where a difference in the server's CPU went.
   */
  private static void threads(
      Report report, Map<String, Long> before, Map<String, Long> after, double seconds) {
    Map<String, Double> cores = new TreeMap<>();
    after.forEach(
        (name, ticks) ->
            cores.put(name, (ticks - before.getOrDefault(name, 0L)) / 100.0 / seconds));
    report.put(
        "alerts_thread_cpu_cores",
        Math.round(cores.getOrDefault("mailroom-alerts", 0.0) * 1000) / 1000.0);
    report.put(
        "threads_cpu_cores",
        cores.entrySet().stream()
            .filter(e -> e.getValue() >= 0.005)
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(8)
            .map(e -> e.getKey().replace(' ', '_') + ":" + Math.round(e.getValue() * 100) / 100.0)
            .collect(Collectors.joining(" ")));
  }

  private static Server other(Server s, Server on, Server off) {
    return s == on ? off : on;
  }

  /**
   * Stops the server's process (SIGSTOP) while the other one is measured, so that its background
   * work, the "on" server's alert evaluator above all, takes no CPU from the other's measurement.
   * It has no connections open then. The scenario resumes both servers before it ends, however it
   * ends.
   */
  private static void pause(Server s) throws Exception {
    signal("-STOP", s.process().pid());
  }

  /** Resumes a server {@link #pause}d (SIGCONT). */
  private static void resume(Server s) throws Exception {
    signal("-CONT", s.process().pid());
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill " + signal + " " + pid + " exited " + kill.exitValue());
    }
  }

  private static Report emit(Report report, Path out) throws IOException {
    report.emit(out);
    return report;
  }

  /** Creates the server's senders and recipients. */
  private static Server prepare(
      Mode mode, ServerProcess process, Options o, SendThroughput.Headers headers)
      throws IOException {
    int port = process.port();
    List<String> senders =
        BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "sender", o.clients(), 8);
    BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "rcpt", SendThroughput.RECIPIENTS, 1);
    return new Server(mode, process, senders, headers);
  }

  /**
   * Checks that the server is what its mode says, and fails loudly if not: so that the comparison
   * cannot silently compare two alike servers.
   */
  private static Report check(Server s, Options o) throws IOException {
    boolean on = s.mode() == Mode.ON;
    int port = s.process().port();
    String name = "the \"" + s.mode().label() + "\" server";
    StringBuilder body = new StringBuilder();
    Report report = new Report("observability_check").put("mode", s.mode().label());
    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
      int metrics = http.exchange("GET", "/metrics", BenchServer.ADMIN_TOKEN, new byte[0], body);
      if (metrics != (on ? 200 : 404)) {
        throw new IllegalStateException(
            name + " answered " + metrics + " on GET /metrics: " + head(body));
      }
      if (on && body.indexOf("mailroom_") < 0) {
        throw new IllegalStateException(name + "'s /metrics has no mailroom_ series");
      }
      report.put("metrics_status", metrics);

      int alerts =
          http.exchange("GET", "/v1/admin/alerts", BenchServer.ADMIN_TOKEN, new byte[0], body);
      Matcher enabled = ENABLED.matcher(body);
      if (alerts != 200 || !enabled.find() || Boolean.parseBoolean(enabled.group(1)) != on) {
        throw new IllegalStateException(
            name + " answered " + alerts + " on GET /v1/admin/alerts: " + head(body));
      }
      report.put("alerts_enabled", enabled.group(1));
      Matcher interval = INTERVAL.matcher(body);
      if (interval.find()) {
        double seconds = Double.parseDouble(interval.group(1));
        if (on && seconds > o.measure().toSeconds()) {
          throw new IllegalStateException(
              name
                  + " evaluates alerts every "
                  + seconds
                  + " s: not once in a run's "
                  + o.measure().toSeconds()
                  + " s (--alerts-interval)");
        }
        report.put("alerts_interval_s", seconds);
      } else if (on) {
        throw new IllegalStateException(name + "'s alerts answer has no interval: " + head(body));
      }

      // The trace: one send with a traceparent (on) or without (off), read back by its recipient.
      String recipient =
          BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "trace-check", 1, 1).get(0);
      String traceparent = on ? traceparentHeader() : "";
      byte[] send =
          "{\"mode\":\"direct\",\"target\":\"trace-check0\",\"content_type\":\"text/plain\",\"payload\":\"t\"}"
              .getBytes(StandardCharsets.UTF_8);
      int sent = http.exchange("POST", "/v1/messages", s.senders().get(0), traceparent, send, body);
      Matcher id = ID.matcher(body);
      if (sent != 201 || !id.find()) {
        throw new IllegalStateException(name + " did not take a send: " + sent + " " + head(body));
      }
      int read = http.exchange("GET", "/v1/messages/" + id.group(1), recipient, new byte[0], body);
      if (read != 200) {
        throw new IllegalStateException(
            name + " did not give the message back: " + read + " " + head(body));
      }
      String value = on ? traceparent.substring(traceparent.indexOf(':') + 2) : "";
      boolean carried = on ? body.indexOf(value) >= 0 : body.indexOf("traceparent") >= 0;
      if (carried != on) {
        throw new IllegalStateException(
            name
                + (on ? " did not copy the traceparent " + value : " has a traceparent")
                + " into the message's metadata: "
                + head(body));
      }
      report.put("traceparent_in_metadata", carried ? "yes" : "no");
    }
    return report;
  }

  /** The server's alert state after the runs: enabled or not, and how many alerts fire. */
  private static Report alertState(Server s) throws IOException {
    StringBuilder body = new StringBuilder();
    try (RawHttp http = new RawHttp("127.0.0.1", s.process().port())) {
      int status =
          http.exchange("GET", "/v1/admin/alerts", BenchServer.ADMIN_TOKEN, new byte[0], body);
      Matcher enabled = ENABLED.matcher(body);
      if (status != 200 || !enabled.find()) {
        throw new IllegalStateException("GET /v1/admin/alerts answered " + status + ": " + body);
      }
      int firing = body.indexOf("\"firing\"");
      String tail = firing < 0 ? "" : body.substring(firing);
      java.util.Map<String, Long> byRule =
          RULE.matcher(tail)
              .results()
              .collect(
                  Collectors.groupingBy(
                      m -> m.group(1), java.util.TreeMap::new, Collectors.counting()));
      return new Report("observability_alerts")
          .put("mode", s.mode().label())
          .put("alerts_enabled", enabled.group(1))
          .put("alerts_firing", byRule.values().stream().mapToLong(Long::longValue).sum())
          .put("alerts_firing_by_rule", byRule.toString());
    }
  }

  /** The medians of each server's runs, and their ratio. */
  private static Report summary(List<Report> runs, Options o) {
    Report summary =
        new Report("observability")
            .put("runs", o.runs())
            .put("clients", o.clients())
            .put("seconds", o.measure().toSeconds())
            .put("warmup", o.warmup().toSeconds())
            .put("on_traceparent", o.traceparent() ? "yes" : "no");
    double[] medians = new double[2];
    for (Mode m : Mode.values()) {
      List<Report> mine = runs.stream().filter(r -> r.text("mode").equals(m.label())).toList();
      medians[m.ordinal()] = median(mine, "sends_per_s");
      summary
          .put(m.label() + "_sends_per_s", String.join(" ", texts(mine, "sends_per_s")))
          .put(m.label() + "_median_sends_per_s", Report.round(medians[m.ordinal()]))
          .put(m.label() + "_median_p99_ms", median(mine, "p99_ms"))
          .put(m.label() + "_median_server_cpu_cores", median(mine, "server_cpu_cores"))
          .put(
              m.label() + "_median_alerts_thread_cpu_cores",
              median(mine, "alerts_thread_cpu_cores"))
          .put(
              m.label() + "_median_server_cpu_us_per_send",
              Report.round(median(mine, "server_cpu_us_per_send")));
    }
    double ratio = medians[Mode.ON.ordinal()] / medians[Mode.OFF.ordinal()];
    return summary
        .put("ratio_on_off", Math.round(ratio * 1000) / 1000.0)
        .put("target", TARGET)
        .put("met", ratio >= TARGET ? "yes" : "no");
  }

  private static List<String> texts(List<Report> runs, String key) {
    return runs.stream().map(r -> r.text(key)).collect(Collectors.toList());
  }

  private static double median(List<Report> runs, String key) {
    double[] v = runs.stream().mapToDouble(r -> r.number(key)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * A {@code traceparent} request header line with a new random trace id and parent id, sampled:
   * {@code traceparent: 00-<32 hex>-<16 hex>-01}. Neither id is all zeros.
   */
  static String traceparentHeader() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder line = new StringBuilder(68).append("traceparent: 00-");
    hex(line, random.nextLong());
    hex(line, random.nextLong() | 1);
    line.append('-');
    hex(line, random.nextLong() | 1);
    return line.append("-01").toString();
  }

  private static void hex(StringBuilder sb, long v) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      sb.append(HEX[(int) (v >>> shift) & 15]);
    }
  }

  private static String head(CharSequence body) {
    return body.length() <= 300 ? body.toString() : body.subSequence(0, 300) + "...";
  }

  /** Flushes the machine's write-back, so that no run pays for the writes of the one before. */
  private static void settle() throws Exception {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }
}
