package dev.mailroom.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a fuzz run found, by class of failure (the route, the answer's status and what is wrong),
 * each with the first request that showed it in full and how many did; and what the run covered:
 * answers by route and status. {@link #write} puts the whole report, and each example request's
 * exact bytes (replay them with {@code nc 127.0.0.1 PORT < file}; the tokens are the run's), under
 * {@code target/fuzz/}. Not thread-safe.
 */
final class FuzzReport {
  /** Examples in a test's failure message; the report file has them all. */
  private static final int MAX_EXAMPLES = 25;

  private final TreeMap<Long, String> slowest = new TreeMap<>();

  private final String name;
  private final FuzzSettings settings;
  private final Map<String, Example> failures = new LinkedHashMap<>();
  private final Map<String, Map<String, Integer>> coverage = new TreeMap<>();

  private record Example(String text, byte @Nullable [] request, int[] count) {}

  FuzzReport(String name, FuzzSettings settings) {
    this.name = name;
    this.settings = settings;
  }

  /** A route as reports name it: the method (cut short) and the path template. */
  static String route(String method, String path) {
    return (method.length() > 12 ? method.substring(0, 12) + "..." : method) + " " + path;
  }

  /** Counts an answer of a route, by status ({@code -1} for none). */
  void answered(String route, int status) {
    coverage
        .computeIfAbsent(route, r -> new TreeMap<>())
        .merge(Integer.toString(status), 1, Integer::sum);
  }

  /** Notes how long an exchange took; the report lists the slowest. */
  void took(long nanos, String what) {
    slowest.put(nanos, what);
    if (slowest.size() > 10) {
      slowest.pollFirstEntry();
    }
  }

  /** How many answers of this route had a 2xx status. */
  int successes(String route) {
    return coverage.getOrDefault(route, Map.of()).entrySet().stream()
        .filter(e -> e.getKey().startsWith("2"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  /**
   * Records a failure of a class; the first of each class is kept in full.
   *
   * @param key the class: route, status, what is wrong (without values that differ per request)
   * @param iteration the iteration that showed it
   * @param request the request's exact bytes, when there is one
   * @param details the request and answer as text
   */
  void failed(String key, int iteration, byte @Nullable [] request, String details) {
    Example e = failures.get(key);
    if (e != null) {
      e.count()[0]++;
      return;
    }
    String text = "iteration " + iteration + " (" + settings + ")\n" + details;
    failures.put(key, new Example(text, request, new int[] {1}));
  }

  boolean clean() {
    return failures.isEmpty();
  }

  /** The failure classes with their counts and first examples, then the coverage table. */
  String summary() {
    return summary(MAX_EXAMPLES);
  }

  private String summary(int examples) {
    StringBuilder b = new StringBuilder();
    b.append(name)
        .append(": ")
        .append(failures.size())
        .append(" failure classes (")
        .append(settings)
        .append(")\n");
    Map<String, List<String>> byKind = new TreeMap<>();
    failures
        .keySet()
        .forEach(
            k ->
                byKind
                    .computeIfAbsent(k.substring(k.indexOf(" -> ") + 4), x -> new ArrayList<>())
                    .add(k.substring(0, k.indexOf(" -> "))));
    byKind.forEach(
        (kind, routes) ->
            b.append("  ")
                .append(kind)
                .append(" on ")
                .append(routes.size())
                .append(" routes: ")
                .append(routes)
                .append('\n'));
    int n = 0;
    for (Map.Entry<String, Example> f : failures.entrySet()) {
      if (n++ >= examples) {
        b.append("... and ")
            .append(failures.size() - examples)
            .append(" more in the report file\n");
        break;
      }
      b.append("\n=== #")
          .append(n)
          .append(' ')
          .append(f.getKey())
          .append(" (")
          .append(f.getValue().count()[0])
          .append(" times)\n");
      b.append(f.getValue().text()).append('\n');
    }
    b.append("\n=== answers by route and status\n");
    coverage.forEach(
        (route, byStatus) -> b.append(route).append(' ').append(byStatus).append('\n'));
    b.append("\n=== the slowest exchanges\n");
    slowest
        .descendingMap()
        .forEach(
            (nanos, what) -> b.append(nanos / 1_000_000).append(" ms: ").append(what).append('\n'));
    return b.toString();
  }

  /**
   * Writes the summary and the example requests under {@code target/fuzz/<name>/}, then forgets the
   * requests' bytes (so that a heap measured afterwards holds the server's growth, not the
   * report's).
   */
  Path write() {
    Path dir = Path.of("target", "fuzz", name);
    try {
      Files.createDirectories(dir);
      try (var old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
      Files.writeString(dir.resolve("report.txt"), summary(Integer.MAX_VALUE));
      int n = 0;
      for (Example e : failures.values()) {
        n++;
        if (e.request() != null) {
          Files.write(dir.resolve("failure-" + n + ".http"), e.request());
        }
      }
      failures.replaceAll((k, e) -> new Example(e.text(), null, e.count()));
      return dir.resolve("report.txt");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> classes() {
    return List.copyOf(failures.keySet());
  }
}
