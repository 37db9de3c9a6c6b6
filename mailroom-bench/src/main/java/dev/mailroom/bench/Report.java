package dev.mailroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * One result line: printed for humans and appended as one JSON object per line to the results file,
 * so a run's figures can be pasted into docs/BENCHMARKS.md or processed later.
 */
final class Report {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  Report(String scenario) {
    fields.put("scenario", scenario);
  }

  Report put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  /** A numeric field, or NaN if there is none. */
  double number(String key) {
    return fields.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** A field as text ({@code ""} if there is none). */
  String text(String key) {
    Object v = fields.get(key);
    return v == null ? "" : String.valueOf(v);
  }

  /** Adds every field of {@code other} but its scenario. */
  Report putAll(Report other) {
    other.fields.forEach(
        (k, v) -> {
          if (!k.equals("scenario")) {
            fields.put(k, v);
          }
        });
    return this;
  }

  /** Adds p50/p90/p99/p99.9/max in milliseconds from a histogram recorded in nanoseconds. */
  Report latencies(String prefix, Histogram h) {
    put(prefix + "p50_ms", ms(h.getValueAtPercentile(50)));
    put(prefix + "p90_ms", ms(h.getValueAtPercentile(90)));
    put(prefix + "p99_ms", ms(h.getValueAtPercentile(99)));
    put(prefix + "p999_ms", ms(h.getValueAtPercentile(99.9)));
    put(prefix + "max_ms", ms(h.getMaxValue()));
    put(prefix + "samples", h.getTotalCount());
    return this;
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  void emit(Path file) throws IOException {
    String human =
        fields.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("  "));
    System.out.println(human);
    String json =
        fields.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":" + jsonValue(e.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String jsonValue(Object v) {
    if (v instanceof Number n) {
      return String.format(Locale.ROOT, "%s", n);
    }
    return "\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
