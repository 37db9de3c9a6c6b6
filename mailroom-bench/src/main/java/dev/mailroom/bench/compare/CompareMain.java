package dev.mailroom.bench.compare;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench compare}: runs S1–S4 on Mailroom (SQLite, Redis) and its peers, writes every
 * case as a JSON line to {@code bench-results/compare-<timestamp>.jsonl}, and regenerates the
 * comparison section of docs/BENCHMARKS.md (tables and SVG charts in docs/bench) from it.
 *
 * <pre>
 * bin/bench compare [--systems a,b,...] [--runs 3] [--scenarios S1,S2,S3,S4] [--smoke]
 *                   [--seconds 15] [--warmup 5] [--server-warmup 10] [--publishers 1,8,32]
 *                   [--rates 1000,5000,20000]
 *                   [--rate-publishers 32] [--fanout-consumers 100] [--backlog 100000]
 *                   [--out FILE] [--no-report] [--doc docs/BENCHMARKS.md] [--charts docs/bench]
 *                   [--s2-slowest N]
 * bin/bench compare --report [--results FILE]     # only regenerate the report
 * </pre>
 *
 * <p>A measured run of every system and scenario ends by regenerating the docs section from its own
 * results; a run of some of them writes its report to {@code bench-results/compare-partial/}
 * instead (unless {@code --doc} and {@code --charts} are given), so that a quick check never
 * replaces the full tables. {@code --smoke} runs tiny sizes (one run, 1 s phases, a 1,000-message
 * backlog, 5 fan-out consumers), writes its results to {@code
 * bench-results/compare-smoke-<timestamp>.jsonl} and its report to {@code
 * bench-results/compare-smoke/}. {@code --s2-slowest N} also writes each S2 case's {@code N}
 * slowest deliveries to a CSV next to the results file (see {@link SlowestDeliveries}).
 */
public final class CompareMain {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private CompareMain() {}

  private static final String USAGE =
      """
      usage: bin/bench compare [--systems a,b,...] [--runs 3] [--scenarios S1,S2,S3,S4] [--smoke]
                               [--seconds 15] [--warmup 5] [--server-warmup 10]
                               [--publishers 1,8,32] [--rates 1000,5000,20000]
                               [--rate-publishers 32] [--fanout-consumers 100] [--backlog 100000]
                               [--out FILE] [--no-report] [--doc docs/BENCHMARKS.md]
                               [--charts docs/bench] [--s2-slowest N]
         or: bin/bench compare --report [--results FILE]
      systems: %s
      """;

  private static String usage() {
    return USAGE.formatted(String.join(", ", Systems.names(Systems.all())));
  }

  public static void main(String[] argv) throws Exception {
    if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
      System.out.print(usage());
      return;
    }
    Options o;
    List<Systems.Entry> systems;
    try {
      o = Options.parse(argv);
      systems = Systems.select(o.systems);
    } catch (IllegalArgumentException e) {
      System.err.println("bin/bench compare: " + e.getMessage());
      System.err.print(usage());
      System.exit(2);
      return;
    }
    if (o.reportOnly) {
      Path results = o.results;
      if (results == null) {
        try {
          results = newestResults(o.resultsDir);
        } catch (IOException e) {
          System.err.println(e.getMessage());
          System.exit(1);
          return;
        }
      }
      List<Result> lines = read(results);
      CompareReport.write(lines, results, o.doc, o.charts);
      System.out.println("report: " + o.doc + ", charts in " + o.charts + ", from " + results);
      return;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path out =
        o.out != null
            ? o.out
            : o.resultsDir.resolve(
                (o.settings.smoke() ? "compare-smoke-" : "compare-") + stamp + ".jsonl");
    SlowestDeliveries.@Nullable Log slowest =
        o.s2Slowest > 0 ? SlowestDeliveries.Log.nextTo(out, o.s2Slowest) : null;
    List<Result> results =
        run(o.settings, systems, o.scenarios, o.runs, o.workDir, out, argv, slowest);
    System.out.println("results: " + out);
    if (slowest != null) {
      System.out.println("S2 slowest deliveries: " + slowest.file());
    }
    if (o.noReport) {
      return;
    }
    // Only a run of every system and scenario replaces the section in docs/; a smoke or partial
    // run writes its report under bench-results/ unless --doc / --charts say otherwise.
    boolean complete =
        !o.settings.smoke() && o.systems.isEmpty() && o.scenarios.containsAll(CompareRun.SCENARIOS);
    String elsewhere = o.settings.smoke() ? "compare-smoke" : "compare-partial";
    Path doc = complete || o.docGiven ? o.doc : o.resultsDir.resolve(elsewhere + "/BENCHMARKS.md");
    Path charts = complete || o.chartsGiven ? o.charts : o.resultsDir.resolve(elsewhere + "/bench");
    List<Result> lines = read(out);
    CompareReport.write(lines, out, doc, charts);
    System.out.println("report: " + doc + ", charts in " + charts);
    long failed = results.stream().filter(r -> r.error() != null).count();
    if (failed > 0) {
      System.out.println(failed + " case(s) failed or could not run; see the results file");
    }
  }

  /**
   * Runs the comparison, appending a metadata line and then each case to {@code out} as it finishes
   * (and printing it); returns the cases.
   */
  static List<Result> run(
      Settings settings,
      List<Systems.Entry> systems,
      Set<String> scenarios,
      int runs,
      Path workDir,
      Path out,
      String[] argv,
      SlowestDeliveries.@Nullable Log slowest)
      throws Exception {
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (BufferedWriter w =
        Files.newBufferedWriter(
            out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("type", "meta");
      meta.put("started", java.time.Instant.now().toString());
      meta.put("command", "bin/bench compare " + String.join(" ", argv));
      meta.put("runs", runs);
      meta.put("systems", String.join(",", Systems.names(systems)));
      meta.put("scenarios", String.join(",", scenarios));
      meta.put("cores", Runtime.getRuntime().availableProcessors());
      // Earlier results ran Mailroom's server inside the bench JVM; the report says which.
      meta.put("mailroom_server", "own process");
      meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
      meta.put(
          "jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      meta.putAll(settings.fields());
      w.write(JSON.writeValueAsString(meta));
      w.newLine();
      w.flush();
      return CompareRun.run(
          settings,
          systems,
          scenarios,
          runs,
          workDir,
          slowest,
          r -> {
            System.out.println(r);
            w.write(JSON.writeValueAsString(r.fields()));
            w.newLine();
            w.flush();
          });
    }
  }

  /** Every line of a results file. */
  @SuppressWarnings("unchecked")
  static List<Result> read(Path file) throws IOException {
    List<Result> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(new Result(JSON.readValue(line, LinkedHashMap.class)));
      }
    }
    return lines;
  }

  /** The newest measured results file ({@code compare-*.jsonl}, smoke runs left out). */
  static Path newestResults(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no results directory " + dir + ": run bin/bench compare first");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.startsWith("compare-")
                    && !n.startsWith("compare-smoke")
                    && n.endsWith(".jsonl");
              })
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElseThrow(
              () ->
                  new IOException(
                      "no results (compare-*.jsonl) in " + dir + ": run bin/bench compare first"));
    }
  }

  /** The command line. */
  static final class Options {
    Settings settings = Settings.forMeasurement();
    List<String> systems = List.of();
    Set<String> scenarios = new LinkedHashSet<>(CompareRun.SCENARIOS);
    int runs = 3;
    int s2Slowest;
    boolean reportOnly;
    boolean noReport;
    @Nullable Path results;
    @Nullable Path out;
    Path resultsDir = Path.of("bench-results");
    Path workDir = Path.of("bench-results/compare-data").toAbsolutePath();
    Path doc = Path.of("docs/BENCHMARKS.md");
    Path charts = Path.of("docs/bench");
    boolean docGiven;
    boolean chartsGiven;

    static Options parse(String[] argv) {
      Options o = new Options();
      Map<String, String> values = new HashMap<>();
      boolean smoke = false;
      boolean runsGiven = false;
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        switch (a) {
          case "--smoke" -> smoke = true;
          case "--report" -> o.reportOnly = true;
          case "--no-report" -> o.noReport = true;
          default -> {
            if (!a.startsWith("--") || i + 1 >= argv.length) {
              throw new IllegalArgumentException("expected --name value, got " + a);
            }
            values.put(a.substring(2), argv[++i]);
          }
        }
      }
      Settings b = smoke ? Settings.forSmoke() : Settings.forMeasurement();
      int payload = b.payloadBytes();
      Duration serverWarmup = b.serverWarmup();
      Duration warmup = b.warmup();
      Duration measure = b.measure();
      List<Integer> publishers = b.publishers();
      List<Integer> rates = b.rates();
      int ratePublishers = b.ratePublishers();
      double saturation = b.saturationP99Millis();
      int fanOutConsumers = b.fanOutConsumers();
      int fanOutPublishers = b.fanOutPublishers();
      int fanOutWindow = b.fanOutWindow();
      int backlog = b.backlog();
      int backlogPublishers = b.backlogPublishers();
      Duration quiet = b.quiet();
      for (Map.Entry<String, String> e : values.entrySet()) {
        String v = e.getValue();
        switch (e.getKey()) {
          case "systems" -> o.systems = list(v);
          case "scenarios" -> {
            o.scenarios = new LinkedHashSet<>();
            for (String sc : list(v)) {
              String id = sc.toUpperCase(java.util.Locale.ROOT);
              if (!CompareRun.SCENARIOS.contains(id)) {
                throw new IllegalArgumentException("unknown scenario " + sc);
              }
              o.scenarios.add(id);
            }
          }
          case "runs" -> {
            o.runs = Integer.parseInt(v);
            runsGiven = true;
          }
          case "seconds" -> measure = seconds(v);
          case "warmup" -> warmup = seconds(v);
          case "server-warmup" -> serverWarmup = seconds(v);
          case "publishers" -> publishers = ints(v);
          case "rates" -> rates = ints(v);
          case "rate-publishers" -> ratePublishers = Integer.parseInt(v);
          case "saturation-p99-ms" -> saturation = Double.parseDouble(v);
          case "fanout-consumers" -> fanOutConsumers = Integer.parseInt(v);
          case "fanout-publishers" -> fanOutPublishers = Integer.parseInt(v);
          case "fanout-window" -> fanOutWindow = Integer.parseInt(v);
          case "backlog" -> backlog = Integer.parseInt(v);
          case "backlog-publishers" -> backlogPublishers = Integer.parseInt(v);
          case "payload" -> payload = Integer.parseInt(v);
          case "quiet" -> quiet = seconds(v);
          case "s2-slowest" -> {
            o.s2Slowest = Integer.parseInt(v);
            if (o.s2Slowest <= 0) {
              throw new IllegalArgumentException("--s2-slowest needs a positive count");
            }
          }
          case "results" -> o.results = Path.of(v);
          case "out" -> o.out = Path.of(v);
          case "dir" -> o.workDir = Path.of(v).toAbsolutePath();
          case "doc" -> {
            o.doc = Path.of(v);
            o.docGiven = true;
          }
          case "charts" -> {
            o.charts = Path.of(v);
            o.chartsGiven = true;
          }
          default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
        }
      }
      Settings s =
          new Settings(
              smoke,
              payload,
              serverWarmup,
              warmup,
              measure,
              publishers,
              rates,
              ratePublishers,
              saturation,
              fanOutConsumers,
              fanOutPublishers,
              fanOutWindow,
              backlog,
              backlogPublishers,
              quiet);
      o.settings = s;
      if (smoke && !runsGiven) {
        o.runs = 1;
      }
      return o;
    }

    private static List<String> list(String v) {
      return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static List<Integer> ints(String v) {
      return list(v).stream().map(Integer::parseInt).toList();
    }

    /** Seconds, possibly fractional. */
    private static Duration seconds(String v) {
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
  }
}
