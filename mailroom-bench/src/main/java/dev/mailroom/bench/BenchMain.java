package dev.mailroom.bench;

import dev.mailroom.core.MessageId;
import dev.mailroom.core.spi.Storage;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one benchmark scenario or all of them. Usage: {@code bin/bench SCENARIO [--name value]...}
 * with SCENARIO one of {@code send-throughput}, {@code send-latency}, {@code sqlite-baseline},
 * {@code filtered-page}, {@code all}. Results are printed and appended as JSON lines to {@code
 * --out} (default {@code bench-results/results.jsonl}).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println(
          "usage: bin/bench send-throughput|send-latency|sqlite-baseline|filtered-page|all"
              + " [--dir D] [--out F] [--clients N] [--seconds S] [--warmup S] [--rate R]"
              + " [--payload B] [--messages N] [--iterations N]");
      System.exit(2);
    }
    Args args = new Args(argv, 1);
    Path dir = Path.of(args.string("dir", "bench-results/data")).toAbsolutePath();
    Path out = Path.of(args.string("out", "bench-results/results.jsonl"));
    int payload = args.integer("payload", 256);
    var warmup = args.seconds("warmup", 5);
    var measure = args.seconds("seconds", 20);
    String scenario = argv[0];
    boolean all = scenario.equals("all");
    if (all || scenario.equals("sqlite-baseline")) {
      SqliteBaseline.perInsertCommit(dir, args.integer("clients", 32), measure, payload).emit(out);
      SqliteBaseline.batched(dir, 1024, measure, payload).emit(out);
    }
    settleDisk();
    if (all || scenario.equals("send-throughput")) {
      SendThroughput.run(dir, args.integer("clients", 32), warmup, measure, payload).emit(out);
    }
    settleDisk();
    if (all || scenario.equals("send-latency")) {
      SendLatency.run(
              dir,
              args.integer("rate", 2000),
              args.integer("clients", 32),
              warmup,
              measure,
              payload)
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

  /**
   * Flushes what earlier scenarios left in the page cache, so that their write-back does not show
   * up as fsync stalls in the next scenario's latencies.
   */
  private static void settleDisk() throws Exception {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
  }
}
