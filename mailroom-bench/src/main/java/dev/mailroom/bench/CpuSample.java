package dev.mailroom.bench;

import java.lang.management.ManagementFactory;

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

  /** All ticks and idle plus I/O-wait ticks of the machine ({@link ServerWatch#machineTicks}). */
  private static long[] machineTicks() {
    long[] t = ServerWatch.machineTicks();
    return new long[] {t[0], t[1] + t[2]};
  }
}
