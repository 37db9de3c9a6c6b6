package dev.mailroom.bench;

import dev.mailroom.core.MessageId;
import dev.mailroom.core.spi.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs one benchmark scenario or all of them. Usage: {@code bin/bench SCENARIO [--name value]...}
 * with SCENARIO one of {@code send-throughput}, {@code send-latency}, {@code sqlite-baseline},
 * {@code filtered-page}, {@code all}, or one of the stream scenarios (not part of {@code all}):
 * {@code push-latency}, {@code fan-out}, {@code idle-connections}, {@code fdatasync}, {@code
 * matcher} (the JMH topic matcher benchmark), or one of the Redis scenarios (not part of {@code
 * all}): {@code redis-ceiling}, {@code two-nodes}, {@code redis} (both and a fixed-rate latency
 * run), or {@code spool}, or {@code blobs} (a 1 GiB blob uploaded and downloaded through the API
 * against {@code cp}, {@link BlobBench}), or {@code observability} (sends/s of a server with
 * metrics, alerts and tracing on against one with all of them off, in alternation, {@link
 * Observability}), or {@code hook-inbox} ({@code mailroom hook inbox} against curl of the same
 * route, {@link HookInboxBench}), or {@code search} (full-text search over a million messages,
 * {@link SearchBench}). {@code send-throughput} and {@code send-latency} take {@code --store
 * redis}. Results are printed and appended as JSON lines to {@code --out} (default {@code
 * bench-results/results.jsonl}). {@code compare} runs the comparison with NATS JetStream, RabbitMQ
 * and Redis Streams ({@link dev.mailroom.bench.compare.CompareMain}).
 */
public final class BenchMain {
  private static final String USAGE =
      "usage: bin/bench compare [--smoke] [--report] [--systems a,b] [--runs N]"
          + " [--scenarios S1,S2,S3,S4] (see CompareMain)\n"
          + "   or: bin/bench send-throughput|send-latency|sqlite-baseline|filtered-page|all"
          + "|push-latency|fan-out|idle-connections|fdatasync|matcher"
          + "|redis-ceiling|two-nodes|redis|spool|blobs|observability|console|hook-inbox|search"
          + " [--store sqlite|memory|redis] [--fill yes|no] [--event-listeners N]"
          + " [--benchmark-requests N]"
          + " [--dir D] [--out F] [--clients N] [--seconds S] [--warmup S] [--rate R]"
          + " [--rates R1,R2] [--payload B] [--messages N] [--iterations N]"
          + " [--subscribers N] [--publishers N] [--connections N] [--server-heap 1g]"
          + " [--heartbeat S] [--sync-seconds S] [--server-classpath CP]"
          + " [--forks N] [--include REGEX-SUFFIX] [--backlog N]"
          + " [--size 1GiB] [--part-size 8MiB] [--workers N] [--runs N] [--warmups N]"
          + " [--transport jdk,raw] [--fill-page-cache yes|no] [--heap-sample-ms 1000]"
          + " [--server-java-opts OPTS] [--alerts-interval 15s] [--traceparent yes|no]"
          + " [--requests N] [--tail-rate N] [--tail-seconds S] [--java-runs N]";

  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length > 0 && argv[0].equals("compare")) {
      // Mailroom against its peers: flags of its own (--smoke, --report), see CompareMain.
      dev.mailroom.bench.compare.CompareMain.main(Arrays.copyOfRange(argv, 1, argv.length));
      return;
    }
    if (argv.length == 0) {
      System.err.println(USAGE);
      System.exit(2);
    }
    if (Arrays.asList(argv).contains("--help") || Arrays.asList(argv).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    Args args;
    try {
      args = new Args(argv, 1);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    // An option misspelt would otherwise be ignored, and the run measure something else.
    Set<String> known = new HashSet<>();
    java.util.regex.Matcher option = java.util.regex.Pattern.compile("--([a-z-]+)").matcher(USAGE);
    while (option.find()) {
      known.add(option.group(1));
    }
    for (String name : args.names()) {
      if (!known.contains(name)) {
        System.err.println("unknown option --" + name + "\n" + USAGE);
        System.exit(2);
      }
    }
    Path dir = Path.of(args.string("dir", "bench-results/data")).toAbsolutePath();
    Path out = Path.of(args.string("out", "bench-results/results.jsonl"));
    int payload = args.integer("payload", 256);
    var warmup = args.seconds("warmup", 5);
    var measure = args.seconds("seconds", 20);
    String scenario = argv[0];
    if (streamScenario(scenario, args, dir, out, payload, warmup, measure)
        || redisScenario(scenario, args, dir, out, payload, warmup, measure)) {
      return;
    }
    if (scenario.equals("spool")) {
      settleDisk();
      for (Report r :
          SpoolBench.run(
              dir,
              args.integer("clients", 32),
              warmup,
              measure,
              payload,
              args.integer("backlog", 100_000))) {
        r.emit(out);
      }
      return;
    }
    if (scenario.equals("observability")) {
      settleDisk();
      Observability.run(
          dir,
          out,
          new Observability.Options(
              args.integer("runs", 3),
              args.integer("clients", 32),
              warmup,
              measure,
              payload,
              args.string("alerts-interval", "15s"),
              !args.string("traceparent", "yes").equals("no"),
              args.string("server-heap", "1g"),
              args.string("server-java-opts", "")));
      return;
    }
    if (scenario.equals("console")) {
      settleDisk();
      ConsoleBench.run(
          dir,
          out,
          new ConsoleBench.Options(
              args.integer("messages", 1_000_000),
              args.integer("requests", 2000),
              args.integer("tail-rate", 1000),
              args.seconds("tail-seconds", 20),
              args.string("server-heap", "1g"),
              args.string("server-java-opts", "")));
      return;
    }
    if (scenario.equals("search")) {
      settleDisk();
      SearchBench.run(
          dir,
          out,
          new SearchBench.Options(
              args.integer("messages", 1_000_000),
              args.integer("requests", 200),
              args.string("fill", "no").equals("yes"),
              args.string("server-heap", "1g"),
              args.string("server-java-opts", "")));
      return;
    }
    if (scenario.equals("hook-inbox")) {
      HookInboxBench.run(
          dir,
          out,
          new HookInboxBench.Options(
              args.integer("runs", 50),
              args.integer("warmups", 5),
              args.integer("java-runs", 10),
              args.string("server-heap", "256m")));
      return;
    }
    if (scenario.equals("blobs")) {
      settleDisk();
      List<Report> reports =
          BlobBench.run(
              dir,
              out,
              new BlobBench.Options(
                  args.bytes("size", 1L << 30),
                  Math.toIntExact(args.bytes("part-size", BlobBench.DEFAULT_PART_SIZE)),
                  args.integer("workers", 4),
                  args.integer("runs", 3),
                  args.integer("warmups", 2),
                  Arrays.stream(args.string("transport", "jdk,raw").split(","))
                      .map(BlobTransfer.Client::parse)
                      .toList(),
                  !args.string("fill-page-cache", "yes").equals("no"),
                  Duration.ofMillis(args.integer("heap-sample-ms", 1000)),
                  args.string("server-heap", "256m"),
                  args.string("server-java-opts", "")));
      System.out.print(BlobBench.table(reports));
      return;
    }
    boolean all = scenario.equals("all");
    if (all || scenario.equals("sqlite-baseline")) {
      SqliteBaseline.perInsertCommit(dir, args.integer("clients", 32), measure, payload).emit(out);
      SqliteBaseline.batched(dir, 1024, measure, payload).emit(out);
    }
    settleDisk();
    BenchServer.Store store = BenchServer.Store.parse(args.string("store", "sqlite"));
    boolean fill = fill(args, store == BenchServer.Store.REDIS);
    if (all || scenario.equals("send-throughput")) {
      SendThroughput.run(dir, store, args.integer("clients", 32), warmup, measure, payload, fill)
          .emit(out);
    }
    settleDisk();
    if (all || scenario.equals("send-latency")) {
      SendLatency.run(
              dir,
              store,
              args.integer("rate", 2000),
              args.integer("clients", 32),
              warmup,
              measure,
              payload,
              fill)
          .emit(out);
    }
    settleDisk();
    if (all || scenario.equals("filtered-page")) {
      BenchServer.deleteRecursively(dir.resolve("filtered-page"));
      Path file = dir.resolve("filtered-page").resolve("mailroom.db");
      int messages = args.integer("messages", 1_000_000);
      try (Storage storage = FilteredPage.open(file)) {
        long start = System.nanoTime();
        List<MessageId> ids = FilteredPage.populate(storage, messages);
        double seconds = (System.nanoTime() - start) / 1e9;
        new Report("store_populate")
            .put("messages", messages)
            .put("seconds", Report.round(seconds))
            .put("sends_per_s", Report.round(messages / seconds))
            .emit(out);
        for (Report r : FilteredPage.measure(storage, ids, args.integer("iterations", 2000))) {
          r.emit(out);
        }
      }
    }
  }

  /** Runs one of the real-time delivery scenarios; false if {@code scenario} is not one. */
  private static boolean streamScenario(
      String scenario,
      Args args,
      Path dir,
      Path out,
      int payload,
      Duration warmup,
      Duration measure)
      throws Exception {
    switch (scenario) {
      case "matcher" ->
          Matcher.run(
              out,
              args.integer("forks", 1),
              args.integer("iterations", 3),
              args.string("include", ""));
      case "fdatasync" -> DiskSync.run(dir, args.seconds("sync-seconds", 20)).emit(out);
      case "push-latency" -> {
        settleDisk();
        DiskSync.run(dir, args.seconds("sync-seconds", 10)).emit(out);
        for (String rate : args.string("rates", "1000,5000").split(",")) {
          settleDisk();
          for (Report r :
              PushLatency.run(
                  dir,
                  BenchServer.Store.parse(args.string("store", "sqlite")),
                  Integer.parseInt(rate.trim()),
                  args.integer("clients", 32),
                  warmup,
                  measure,
                  payload)) {
            r.emit(out);
          }
        }
      }
      case "fan-out" -> {
        settleDisk();
        for (Report r :
            FanOut.run(
                dir,
                BenchServer.Store.parse(args.string("store", "sqlite")),
                args.integer("subscribers", 1000),
                args.integer("publishers", 4),
                warmup,
                measure,
                payload)) {
          r.emit(out);
        }
      }
      case "idle-connections" -> {
        settleDisk();
        for (Report r :
            IdleConnections.run(
                dir,
                args.integer("connections", 10_000),
                args.string("server-heap", "1g"),
                args.seconds("heartbeat", 15),
                args.string("server-classpath", ""))) {
          r.emit(out);
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether to fill the recipients' inboxes to their bound before measuring ({@code --fill
   * yes|no}); {@code fallback} when not given.
   */
  private static boolean fill(Args args, boolean fallback) {
    String v = args.string("fill", fallback ? "yes" : "no");
    return v.equals("yes") || v.equals("true");
  }

  /**
   * Runs one of the Redis store scenarios (each starts its own redis-server, {@link
   * BenchRedis#DURABILITY}); false if {@code scenario} is not one. {@code redis} runs the ceiling,
   * one node against two, and the latency at a fixed rate in one go, then a summary line with the
   * ratios of the figures of that run.
   */
  private static boolean redisScenario(
      String scenario,
      Args args,
      Path dir,
      Path out,
      int payload,
      Duration warmup,
      Duration measure)
      throws Exception {
    int clients = args.integer("clients", 32);
    boolean fill = fill(args, true);
    List<Report> ceiling = List.of();
    List<Report> nodes = List.of();
    @Nullable Report latency = null;
    if (scenario.equals("redis-ceiling") || scenario.equals("redis")) {
      settleDisk();
      ceiling =
          RedisCeiling.run(
              dir,
              clients,
              warmup,
              measure,
              payload,
              fill,
              args.integer("event-listeners", 1),
              args.integer("benchmark-requests", 1_000_000));
      for (Report r : ceiling) {
        r.emit(out);
      }
    }
    if (scenario.equals("two-nodes") || scenario.equals("redis")) {
      settleDisk();
      nodes = TwoNodes.run(dir, clients, warmup, measure, payload, fill);
      for (Report r : nodes) {
        r.emit(out);
      }
    }
    if (scenario.equals("redis")) {
      settleDisk();
      latency =
          SendLatency.run(
              dir,
              BenchServer.Store.REDIS,
              args.integer("rate", 2000),
              clients,
              warmup,
              measure,
              payload,
              fill);
      latency.emit(out);
    }
    if (ceiling.isEmpty() && nodes.isEmpty()) {
      return false;
    }
    if (!ceiling.isEmpty() && !nodes.isEmpty()) {
      Report one = nodes.get(0);
      Report two = nodes.get(1);
      double raw = ceiling.get(0).number("ops_per_s");
      Report summary =
          new Report("redis_summary")
              .put("one_node_sends_per_s", one.number("sends_per_s"))
              .put("one_node_p99_ms", one.number("p99_ms"))
              .put("ceiling_ops_per_s", raw)
              .put("ceiling_p99_ms", ceiling.get(0).number("p99_ms"))
              .put("ratio_to_ceiling", Math.round(one.number("sends_per_s") / raw * 1000) / 1000.0)
              .put("two_nodes_sends_per_s", two.number("sends_per_s"))
              .put("two_nodes_p99_ms", two.number("p99_ms"))
              .put("two_vs_one", two.number("vs_one_node"))
              .put("redis_benchmark_set_rps", ceiling.get(1).number("rps"));
      if (latency != null) {
        summary
            .put("latency_rate_per_s", latency.number("target_rate_per_s"))
            .put("latency_p99_ms", latency.number("p99_ms"));
      }
      summary.emit(out);
    }
    return true;
  }

  /**
   * Flushes what earlier scenarios left in the page cache, so that their write-back does not show
   * up as fsync stalls in the next scenario's latencies.
   */
  private static void settleDisk() throws Exception {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }
}
