package dev.mailroom.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * One line of the results file: a case (one scenario, one variant such as 8 publishers or 5,000
 * msgs/s, one system, one run) and its figures, or the metadata of a whole run ({@code
 * "type":"meta"}). Field order is kept.
 */
final class Result {
  private final Map<String, Object> fields;

  Result(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** A case of {@code scenario} ({@code S1}…{@code S4}) on {@code system} in run {@code run}. */
  static Result of(int run, String system, String durability, String scenario, String variant) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", "result");
    f.put("run", run);
    f.put("system", system);
    f.put("durability", durability);
    f.put("scenario", scenario);
    f.put("variant", variant);
    return new Result(f);
  }

  Result put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  /** Adds p50/p99/p99.9/max in milliseconds from a histogram in nanoseconds. */
  Result latencies(String prefix, Histogram h) {
    put(prefix + "p50_ms", ms(h.getValueAtPercentile(50)));
    put(prefix + "p99_ms", ms(h.getValueAtPercentile(99)));
    put(prefix + "p999_ms", ms(h.getValueAtPercentile(99.9)));
    put(prefix + "max_ms", ms(h.getMaxValue()));
    put(prefix + "samples", h.getTotalCount());
    return this;
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  static double rate(double perSecond) {
    return Math.round(perSecond * 10) / 10.0;
  }

  Map<String, Object> fields() {
    return fields;
  }

  String type() {
    return string("type");
  }

  String system() {
    return string("system");
  }

  String durability() {
    return string("durability");
  }

  String scenario() {
    return string("scenario");
  }

  String variant() {
    return string("variant");
  }

  int run() {
    return (int) number("run");
  }

  String string(String key) {
    Object v = fields.get(key);
    return v == null ? "" : v.toString();
  }

  /** A numeric field, or NaN if absent. */
  double number(String key) {
    return fields.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  boolean flag(String key) {
    return Boolean.TRUE.equals(fields.get(key));
  }

  @Nullable String error() {
    Object e = fields.get("error");
    return e == null ? null : e.toString();
  }

  /** Measured: neither failed nor skipped. */
  boolean measured() {
    return error() == null && !flag("skipped");
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.isEmpty() ? "" : "  ").append(k).append('=').append(v));
    return b.toString();
  }
}
