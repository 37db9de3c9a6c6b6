package dev.mailroom.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU use over a measurement: this JVM's (server and load generator alike, when both run in it) and
 * the whole machine's, from {@code /proc/stat}. Taken at the start and compared at the end.
 */
final class CpuSample {
  private final long wallNanos = System.nanoTime();
  private final long processNanos = processCpuNanos();
  private final long[] machine = machineTicks();

  /** Adds {@code jvm_cpu_cores} and {@code machine_busy} (0 to 1 over all cores) since this. */
  void describe(Report report) {
    double seconds = (System.nanoTime() - wallNanos) / 1e9;
    report.put(
        "jvm_cpu_cores",
        Math.round((processCpuNanos() - processNanos) / 1e9 / seconds * 100) / 100.0);
    long[] now = machineTicks();
    long total = now[0] - machine[0];
    if (total > 0) {
      report.put(
          "machine_busy", Math.round(100.0 * (total - (now[1] - machine[1])) / total) / 100.0);
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  /** All ticks and idle plus iowait ticks of the first line of /proc/stat; zeros without it. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= Math.min(8, f.length - 1); i++) { // guest time is already in user
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
