package dev.mailroom.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Watches a server process while one phase of a benchmark runs: its heap, sampled from its {@code
 * /metrics} at an interval (the sum of {@code jvm_memory_used_bytes} over the heap pools); the
 * pauses its GC log ({@code -Xlog:gc:file=...}) records meanwhile, with the heap each left behind;
 * and the CPU time the process and the machine spent, from {@code /proc}.
 *
 * <p>A sampled maximum depends on when the collector ran: the heap fills to near its limit between
 * collections whatever the live data. The heap after a collection does not, so the largest of those
 * is the high-water mark of what the server kept, independent of the collector's timing.
 *
 * <p>A scrape is not free: on the machine of docs/BENCHMARKS.md one took about 8 ms of the server's
 * CPU, so sampling every 100 ms takes about 8 % of a core from the server under test.
 *
 * <p>One thread samples; {@link #stop(Report, String)} is called once, by the thread that started
 * the watch.
 */
final class ServerWatch {
  /** {@code 120M->20M(256M) 3.456ms} of a unified GC log's pause line. */
  private static final Pattern PAUSE =
      Pattern.compile("Pause.*\\b(\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

  /** Linux reports process CPU time in clock ticks of 1/100 s. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final int port;
  private final long pid;
  private final Path gcLog;
  private final long gcLogStart;
  private final long[] cpuTicksStart;
  private final long benchCpuStart = benchCpuNanos();
  private final long[] machineStart;
  private final long startNanos = System.nanoTime();
  private final Duration interval;
  private final Thread sampler;
  private volatile boolean stopping;
  private volatile long maxHeapUsed;
  private volatile int samples;
  private volatile int failedSamples;

  private ServerWatch(int port, long pid, Path gcLog, Duration interval) throws IOException {
    this.port = port;
    this.interval = interval;
    this.pid = pid;
    this.gcLog = gcLog;
    this.gcLogStart = Files.exists(gcLog) ? Files.size(gcLog) : 0;
    this.cpuTicksStart = cpuTicks(pid);
    this.machineStart = machineTicks();
    this.sampler = Thread.ofPlatform().daemon().name("server-watch").unstarted(this::sample);
  }

  /**
   * Starts watching the server process {@code pid}, listening on {@code port}, sampling its heap
   * every {@code interval} (never, if zero).
   */
  static ServerWatch start(int port, long pid, Path gcLog, Duration interval) throws IOException {
    ServerWatch watch = new ServerWatch(port, pid, gcLog, interval);
    if (interval.isPositive()) {
      watch.sampler.start();
    }
    return watch;
  }

  /**
   * Stops sampling and puts what was seen into {@code report}, each field name prefixed with {@code
   * prefix}: the sampled heap maximum, the pauses and the heap after each, the server's CPU (in
   * cores, and its user and system seconds) and this JVM's, and the machine's busy and I/O-wait
   * shares.
   */
  void stop(Report report, String prefix) throws Exception {
    // The window ends now, not once the sampler has woken up from its wait.
    long endNanos = System.nanoTime();
    long[] cpu = cpuTicks(pid);
    long[] machine = machineTicks();
    long benchCpu = benchCpuNanos();
    stopping = true;
    if (sampler.isAlive()) {
      sampler.interrupt();
      sampler.join();
    }
    double seconds = (endNanos - startNanos) / 1e9;
    double serverUser = (cpu[0] - cpuTicksStart[0]) / TICKS_PER_SECOND;
    double serverSystem = (cpu[1] - cpuTicksStart[1]) / TICKS_PER_SECOND;
    double total = Math.max(1, machine[0] - machineStart[0]);
    double idle = machine[1] - machineStart[1];
    double iowait = machine[2] - machineStart[2];
    // The log is written as pauses end; give the last one a moment to reach the file.
    Thread.sleep(200);
    Pauses pauses = pauses();
    report
        .put(prefix + "heap_used_max_mib", samples == 0 ? "n/a" : mib(maxHeapUsed))
        .put(prefix + "heap_after_gc_max_mib", pauses.count == 0 ? "n/a" : pauses.maxAfterMib)
        .put(prefix + "gc_pauses", pauses.count)
        .put(prefix + "gc_pause_total_ms", Report.round(pauses.totalMs))
        .put(prefix + "heap_samples", samples)
        .put(prefix + "server_cpu_cores", hundredths((serverUser + serverSystem) / seconds))
        .put(prefix + "server_user_s", hundredths(serverUser))
        .put(prefix + "server_sys_s", hundredths(serverSystem))
        .put(prefix + "bench_cpu_cores", hundredths((benchCpu - benchCpuStart) / 1e9 / seconds))
        .put(prefix + "machine_busy", hundredths((total - idle - iowait) / total))
        .put(prefix + "machine_iowait", hundredths(iowait / total));
    if (failedSamples > 0) {
      report.put(prefix + "heap_samples_failed", failedSamples);
    }
  }

  private void sample() {
    StringBuilder body = new StringBuilder(64 * 1024);
    @Nullable RawHttp http = null;
    try {
      while (!stopping) {
        long next = System.nanoTime() + interval.toNanos();
        try {
          if (http == null) {
            http = new RawHttp("127.0.0.1", port);
          }
          if (http.exchange("GET", "/metrics", BenchServer.ADMIN_TOKEN, new byte[0], body) == 200) {
            read(body);
            samples++;
          } else {
            failedSamples++;
          }
        } catch (IOException e) {
          failedSamples++;
          closeQuietly(http);
          http = null;
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(http);
    }
  }

  /** Takes the heap in use, summed over the heap pools, from one scrape. */
  private void read(CharSequence scrape) {
    double heap = 0;
    int from = 0;
    int length = scrape.length();
    while (from < length) {
      int end = indexOf(scrape, '\n', from);
      String line = scrape.subSequence(from, end).toString();
      from = end + 1;
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += value(line);
      }
    }
    maxHeapUsed = Math.max(maxHeapUsed, (long) heap);
  }

  private static int indexOf(CharSequence s, char c, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return s.length();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  /** The pauses the GC log recorded since this watch started. */
  private Pauses pauses() throws IOException {
    Pauses p = new Pauses();
    if (!Files.exists(gcLog)) {
      return p;
    }
    String text;
    try (RandomAccessFile f = new RandomAccessFile(gcLog.toFile(), "r")) {
      long length = f.length() - gcLogStart;
      byte[] bytes = new byte[(int) Math.max(0, length)];
      f.seek(gcLogStart);
      f.readFully(bytes);
      text = new String(bytes, StandardCharsets.UTF_8);
    }
    for (String line : text.split("\n")) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        p.count++;
        p.maxAfterMib = Math.max(p.maxAfterMib, Long.parseLong(m.group(2)));
        p.totalMs += Double.parseDouble(m.group(4));
      }
    }
    return p;
  }

  /** The pauses of one phase: how many, their total time, the largest heap one left behind. */
  private static final class Pauses {
    int count;
    double totalMs;
    long maxAfterMib;
  }

  /** This JVM's CPU time: the load generator's, since the server runs in a process of its own. */
  private static long benchCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /** User and system CPU time of process {@code pid} in clock ticks, from /proc. */
  static long[] cpuTicks(long pid) throws IOException {
    return statFields(Path.of("/proc/" + pid + "/stat"), 11);
  }

  /** User and system CPU time of thread {@code tid} of process {@code pid} in clock ticks. */
  static long[] cpuTicks(long pid, String tid) throws IOException {
    return statFields(Path.of("/proc/" + pid + "/task/" + tid + "/stat"), 11);
  }

  /**
   * User and system CPU time of the children this JVM has waited for (a {@code cp}, a {@code
   * sync}), in clock ticks, from /proc.
   */
  static long[] childCpuTicks() throws IOException {
    return statFields(Path.of("/proc/self/stat"), 13);
  }

  /** Two consecutive numeric fields of a /proc stat file, counted from after the command name. */
  private static long[] statFields(Path stat, int first) throws IOException {
    String text = Files.readString(stat);
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[first]), Long.parseLong(f[first + 1])};
  }

  /** All ticks, idle ticks and I/O-wait ticks of the first line of /proc/stat; zeros without it. */
  static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= Math.min(8, f.length - 1); i++) { // guest time is already in user
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]), Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 0};
    }
  }

  private static double mib(long bytes) {
    return Report.round(bytes / 1048576.0);
  }

  private static double hundredths(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void closeQuietly(@Nullable RawHttp http) {
    if (http != null) {
      try {
        http.close();
      } catch (IOException e) {
        // the sampler is done with it either way
      }
    }
  }
}
