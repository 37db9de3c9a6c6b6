package dev.mailroom.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's metrics ({@code GET /metrics}), read from the Prometheus text format. Immutable and
 * thread-safe.
 *
 * @param samples every sample, in the order given
 * @param text the text as the server sent it
 */
public record Metrics(List<Sample> samples, String text) {
  public Metrics {
    samples = List.copyOf(samples);
  }

  /**
   * One sample: {@code name{labels} value}.
   *
   * @param labels the labels, in the order given
   */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  /** The sum of every sample of a series (over all its labels); empty if there is none. */
  public Optional<Double> sum(String name) {
    double total = 0;
    boolean found = false;
    for (Sample s : samples) {
      if (s.name().equals(name)) {
        total += s.value();
        found = true;
      }
    }
    return found ? Optional.of(total) : Optional.empty();
  }

  /**
   * Reads the Prometheus text format: comment lines and lines it cannot read are skipped, so an
   * exporter's additions never break the reader.
   */
  public static Metrics parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      sample(l).ifPresent(samples::add);
    }
    return new Metrics(samples, text);
  }

  private static Optional<Sample> sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && brace < space) {
      int close = line.lastIndexOf('}');
      if (close < brace) {
        return Optional.empty();
      }
      name = line.substring(0, brace);
      labels(line.substring(brace + 1, close), labels);
      rest = line.substring(close + 1).strip();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    }
    String value = rest.split("\\s+")[0];
    try {
      return Optional.of(new Sample(name, labels, Double.parseDouble(value)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code a="x",b="y\"z"}: values are quoted, with backslash escapes. */
  private static void labels(String text, Map<String, String> into) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
        return;
      }
      String key = text.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      while (j < text.length() && text.charAt(j) != '"') {
        char c = text.charAt(j);
        if (c == '\\' && j + 1 < text.length()) {
          char n = text.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
        j++;
      }
      into.put(key, value.toString());
      i = j + 1;
      while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
        i++;
      }
    }
  }
}
