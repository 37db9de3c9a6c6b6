package dev.mailroom.bench;

import dev.mailroom.bench.compare.MailroomSystem;
import dev.mailroom.bench.compare.ServerProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One large blob through the API against {@code cp} of the same file on the same disk, in the same
 * run (issue 16). The server runs as its own process from the command-line jar ({@code mailroom
 * serve}) on the embedded store with a modest heap ({@code -Xmx256m} by default) and a GC log, its
 * data directory beside the file. Each run does, in turn:
 *
 * <ol>
 *   <li>{@code cp --reflink=never} of the file to a new file, timed as a process, then {@code sync}
 *       of the copy, timed apart: the server syncs every part before it answers, so plain {@code
 *       cp} is the fast reference and {@code cp} plus {@code sync} the durable one;
 *   <li>for each client ({@link BlobTransfer.Client}; their order alternates from run to run): the
 *       upload ({@code POST /v1/uploads}, the parts from {@code workers} threads, each sent with
 *       its {@code Content-Digest} (its CRC-32C), then {@code POST .../complete}, which is in the
 *       upload's time and reported alone too); a direct message with the blob attached, to a second
 *       agent; and the download, in which that agent streams the attachment into a file that is
 *       then synced (reported with and without that sync) and checked against the original's
 *       SHA-256.
 * </ol>
 *
 * <p>Unmeasured transfers of the same file go first ({@code warmups} per client), so that the runs
 * measure a server (and clients) whose code is compiled, as a server that has been up for a while
 * is: on this 2-core machine the JDK client's first two gibibytes still run partly interpreted.
 * During every upload and download a {@link ServerWatch} samples the server's heap ({@code
 * heapSample}, 100 ms by default), reads its GC log and takes its CPU time. The machine's
 * write-back is flushed ({@code sync}) before each timed step, so no step pays for another's
 * writes. Every transfer uploads as an agent of its own, so the quota of one agent (4 GiB by
 * default) never runs out. The source file stays in the page cache throughout (it is written just
 * before), so {@code cp} and the uploads read it alike from memory.
 *
 * <p>Every copy and download goes to a file of its own that stays until the scenario ends, as every
 * blob stays in the server, so each step writes a gibibyte of new page cache. Before the runs the
 * machine's free memory is filled with one more cached file ({@code fillPageCache}, {@link
 * PageCache}), so that every step takes its pages from reclaimed cache, as on a server that has run
 * for a while: on a virtual machine whose host takes back free memory, a step writing into free
 * memory pays several times the CPU of one writing into reclaimed pages, whatever it is. Each run
 * reports the free memory before its copy and the CPU time of {@code cp} and {@code sync}, so a run
 * in the other state shows.
 */
final class BlobBench {
  /** The part size when none is given: the server's default. */
  static final int DEFAULT_PART_SIZE = 8 << 20;

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private BlobBench() {}

  /**
   * The scenario's settings.
   *
   * @param size the file's size in bytes
   * @param partSize the upload's part size (64 KiB to 64 MiB)
   * @param workers how many parts are sent at once
   * @param runs how many times cp, upload and download are measured, alternating
   * @param warmups how many unmeasured uploads and downloads go first, with each client, so that
   *     the server's code is compiled when the runs are measured
   * @param clients the clients the parts and downloads travel over, each in every run
   * @param fillPageCache whether to fill the machine's free memory with a cached file before the
   *     runs ({@link PageCache}), so that every step writes into reclaimed page cache
   * @param heapSample how often the server's heap is sampled during a transfer (never, if zero)
   * @param serverHeap the server's {@code -Xmx}
   * @param serverJavaOptions more options for the server's JVM (e.g. a flight recording), split at
   *     spaces
   */
  record Options(
      long size,
      int partSize,
      int workers,
      int runs,
      int warmups,
      List<BlobTransfer.Client> clients,
      boolean fillPageCache,
      Duration heapSample,
      String serverHeap,
      String serverJavaOptions) {}

  /** Runs the scenario, emitting each result to {@code out} as it comes; returns them all. */
  static List<Report> run(Path dir, Path out, Options o) throws Exception {
    Path work = dir.resolve("blobs");
    BenchServer.deleteRecursively(work);
    Files.createDirectories(work);
    long t = System.nanoTime();
    BlobSource source = BlobSource.create(work.resolve("source.bin"), o.size(), o.partSize());
    System.err.printf(
        Locale.ROOT,
        "blobs: wrote %d random bytes in %.1f s; hashing on one core...%n",
        o.size(),
        (System.nanoTime() - t) / 1e9);
    double sha256Rate = BlobSource.sha256MibPerSecond(Math.max(o.size(), 256L << 20));
    List<Report> reports = new ArrayList<>();
    try (ServerProcess server = start(work.resolve("server"), o);
        ServerProcess ceilingServer = startCeiling(work.resolve("ceiling"), o);
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build()) {
      Phase phase = new Phase(server, http, source, o, work);
      BlobTransfer ceiling = new BlobTransfer(http, ceilingServer.port(), BlobTransfer.Client.RAW);
      int transfers = (o.warmups() + o.runs()) * o.clients().size();
      phase.agents(transfers);
      for (int w = 0; w < o.warmups(); w++) {
        settle();
        ceiling.uploadToCeiling(source, o.workers());
        for (BlobTransfer.Client client : o.clients()) {
          settle();
          Report warmup = new Report("blobs_warmup").put("client", client.label());
          phase.transfer(client, warmup);
          warmup.emit(out);
        }
      }
      if (o.fillPageCache()) {
        long t0 = System.nanoTime();
        long free = PageCache.freeBytes();
        long filled = PageCache.fill(work.resolve("page-cache-fill.bin"));
        new Report("blobs_page_cache")
            .put("free_before_mib", mib(free))
            .put("filled_mib", mib(filled))
            .put("free_after_mib", mib(PageCache.freeBytes()))
            .put("seconds", Report.round((System.nanoTime() - t0) / 1e9))
            .emit(out);
      }
      for (int r = 0; r < o.runs(); r++) {
        settle();
        Report cp = new Report("blobs_cp").put("free_mib", mib(PageCache.freeBytes()));
        copy(source.file(), work.resolve("cp-" + (r + 1) + ".bin"), o.size(), cp);
        settle();
        long ceilingNanos = ceiling.uploadToCeiling(source, o.workers());
        cp.put("ceiling_s", seconds(ceilingNanos))
            .put("ceiling_mib_s", rate(o.size(), ceilingNanos));
        cp.emit(out);
        // Alternate the clients' order, so neither always follows the copy.
        List<BlobTransfer.Client> order = new ArrayList<>(o.clients());
        if (r % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (BlobTransfer.Client client : order) {
          settle();
          Report run =
              new Report("blobs_run")
                  .put("run", r + 1)
                  .put("client", client.label())
                  .put("mib", mib(o.size()))
                  .put("part_mib", mib(o.partSize()))
                  .put("workers", o.workers())
                  .putAll(cp);
          phase.transfer(client, run);
          run.emit(out);
          reports.add(run);
        }
      }
    } finally {
      deleteCopies(work);
    }
    for (BlobTransfer.Client client : o.clients()) {
      List<Report> runs =
          reports.stream().filter(r -> r.text("client").equals(client.label())).toList();
      Report summary = summary(runs, o, client, sha256Rate);
      summary.emit(out);
      reports.add(summary);
    }
    return reports;
  }

  /**
   * One upload, send and download, each phase watched, with what they took put into a report. Each
   * transfer uploads as an agent of its own and sends to another.
   */
  private static final class Phase {
    private final ServerProcess server;
    private final HttpClient http;
    private final BlobSource source;
    private final int workers;
    private final Duration heapSample;
    private final Path work;
    private final Path gcLog;
    private List<String> uploaders = List.of();
    private List<String> readers = List.of();
    private int next;

    Phase(ServerProcess server, HttpClient http, BlobSource source, Options o, Path work) {
      this.server = server;
      this.http = http;
      this.source = source;
      this.workers = o.workers();
      this.heapSample = o.heapSample();
      this.work = work;
      this.gcLog = server.dir().resolve("gc.log");
    }

    void agents(int n) throws IOException {
      uploaders = BenchServer.createAgents(server.port(), BenchServer.ADMIN_TOKEN, "up", n, 1);
      readers = BenchServer.createAgents(server.port(), BenchServer.ADMIN_TOKEN, "rd", n, 1);
    }

    void transfer(BlobTransfer.Client client, Report run) throws Exception {
      BlobTransfer api = new BlobTransfer(http, server.port(), client);
      int agent = next++;
      long size = source.size();
      ServerWatch watch = ServerWatch.start(server.port(), server.pid(), gcLog, heapSample);
      BlobTransfer.Upload up = api.upload(uploaders.get(agent), source, workers);
      watch.stop(run, "upload_");
      run.put("upload_s", seconds(up.totalNanos()))
          .put("upload_mib_s", rate(size, up.totalNanos()))
          .put("upload_parts_s", seconds(up.partsNanos()))
          .put("complete_s", seconds(up.completeNanos()))
          .put("part_p50_ms", Report.ms(up.partLatency().getValueAtPercentile(50)))
          .put("part_max_ms", Report.ms(up.partLatency().getMaxValue()));
      long sendStart = System.nanoTime();
      String message = api.sendWithAttachment(uploaders.get(agent), "rd" + agent, up.blobId());
      run.put("send_ms", Report.ms(System.nanoTime() - sendStart));

      exec("sync");
      watch = ServerWatch.start(server.port(), server.pid(), gcLog, heapSample);
      Path downloaded = work.resolve("download-" + agent + ".bin");
      BlobTransfer.Download down = api.download(readers.get(agent), message, downloaded);
      watch.stop(run, "download_");
      if (down.bytes() != size) {
        throw new IllegalStateException("downloaded " + down.bytes() + " of " + size);
      }
      if (!BlobSource.sha256(downloaded).equals(source.sha256())) {
        throw new IllegalStateException("the downloaded file's SHA-256 is not the original's");
      }
      long synced = down.receivedNanos() + down.fsyncNanos();
      run.put("download_s", seconds(down.receivedNanos()))
          .put("download_mib_s", rate(size, down.receivedNanos()))
          .put("download_fsync_s", seconds(synced))
          .put("download_fsync_mib_s", rate(size, synced))
          .put("download_sha256_matches", "yes");
    }
  }

  /** Starts {@code mailroom serve} on {@code data} (emptied first) with the heap and a GC log. */
  private static ServerProcess start(Path data, Options o) throws IOException {
    BenchServer.deleteRecursively(data);
    Path jar =
        Path.of(System.getProperty("mailroom.cli.jar", "mailroom-cli/target/mailroom-cli.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no " + jar.toAbsolutePath() + ": build it (bin/bench does)");
    }
    String java = ServerProcess.javaCommand();
    return ServerProcess.start(
        "mailroom-blobs",
        (port, dir) -> {
          List<String> command = new ArrayList<>();
          command.add(java);
          command.add("--enable-native-access=ALL-UNNAMED");
          command.add("-Xmx" + o.serverHeap());
          command.add("-Xlog:gc:file=" + dir.resolve("gc.log"));
          for (String option : o.serverJavaOptions().trim().split("\\s+")) {
            if (!option.isEmpty()) {
              command.add(option);
            }
          }
          command.addAll(MailroomSystem.serveArguments(jar, port, data));
          return command;
        },
        Map.of("MAILROOM_ADMIN_TOKEN", BenchServer.ADMIN_TOKEN),
        STARTUP);
  }

  /**
   * Starts an {@link UploadCeiling} for uploads of {@code o.size()} bytes into files named {@code
   * prefix-<n>.bin}, with the server's heap, from this process's class path.
   */
  private static ServerProcess startCeiling(Path prefix, Options o) throws IOException {
    String java = ServerProcess.javaCommand();
    return ServerProcess.start(
        "mailroom-upload-ceiling",
        (port, dir) ->
            List.of(
                java,
                "-Xmx" + o.serverHeap(),
                "-cp",
                System.getProperty("java.class.path"),
                UploadCeiling.class.getName(),
                Integer.toString(port),
                prefix.toAbsolutePath().toString(),
                Long.toString(o.size()),
                Integer.toString(o.partSize())),
        Map.of(),
        STARTUP);
  }

  /**
   * Times {@code cp} of {@code from} to {@code to}, then {@code sync} of the copy, and takes the
   * CPU time the two processes spent (the kernel's, mostly: the copy into the page cache and the
   * write-back the sync starts).
   */
  private static void copy(Path from, Path to, long size, Report run) throws Exception {
    long[] cpu = ServerWatch.childCpuTicks();
    long start = System.nanoTime();
    exec("cp", "--reflink=never", from.toString(), to.toString());
    long copied = System.nanoTime();
    exec("sync", to.toString());
    long synced = System.nanoTime();
    long[] after = ServerWatch.childCpuTicks();
    run.put("cp_s", seconds(copied - start))
        .put("cp_mib_s", rate(size, copied - start))
        .put("cp_sync_s", seconds(synced - start))
        .put("cp_sync_mib_s", rate(size, synced - start))
        .put("cp_sync_user_s", (after[0] - cpu[0]) / 100.0)
        .put("cp_sync_sys_s", (after[1] - cpu[1]) / 100.0);
  }

  /** Flushes the machine's write-back, so that no step pays for the writes of the one before. */
  private static void settle() throws Exception {
    exec("sync");
  }

  /** Deletes the copies and downloads, once every step is measured. */
  private static void deleteCopies(Path work) throws IOException {
    try (var files = Files.list(work)) {
      for (Path p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("cp-")
            || name.startsWith("ceiling")
            || name.startsWith("download-")
            || name.startsWith("page-cache-fill")) {
          Files.delete(p);
        }
      }
    }
  }

  private static void exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
    }
  }

  /**
   * The medians over the runs and their ratios: the upload and the synced download against {@code
   * cp} plus {@code sync} (durable against durable, the figure the target is about), and against
   * plain {@code cp}.
   */
  private static Report summary(
      List<Report> runs, Options o, BlobTransfer.Client client, double sha256Rate) {
    double cp = median(runs, r -> r.number("cp_mib_s"));
    double cpSync = median(runs, r -> r.number("cp_sync_mib_s"));
    double ceiling = median(runs, r -> r.number("ceiling_mib_s"));
    double upload = median(runs, r -> r.number("upload_mib_s"));
    double download = median(runs, r -> r.number("download_mib_s"));
    double downloadSync = median(runs, r -> r.number("download_fsync_mib_s"));
    return new Report("blobs")
        .put("client", client.label())
        .put("runs", runs.size())
        .put("mib", mib(o.size()))
        .put("part_mib", mib(o.partSize()))
        .put("workers", o.workers())
        .put("server_xmx", o.serverHeap())
        .put("cp_mib_s", Report.round(cp))
        .put("cp_sync_mib_s", Report.round(cpSync))
        .put("ceiling_mib_s", Report.round(ceiling))
        .put("upload_mib_s", Report.round(upload))
        .put("complete_s", Math.round(median(runs, r -> r.number("complete_s")) * 100) / 100.0)
        .put("download_mib_s", Report.round(download))
        .put("download_fsync_mib_s", Report.round(downloadSync))
        .put("upload_vs_cp_sync", ratio(upload, cpSync))
        .put("upload_vs_cp", ratio(upload, cp))
        .put("upload_vs_ceiling", ratio(upload, ceiling))
        .put("download_fsync_vs_cp_sync", ratio(downloadSync, cpSync))
        .put("download_vs_cp", ratio(download, cp))
        .put("upload_heap_used_max_mib", max(runs, "upload_heap_used_max_mib"))
        .put("upload_heap_after_gc_max_mib", max(runs, "upload_heap_after_gc_max_mib"))
        .put("download_heap_used_max_mib", max(runs, "download_heap_used_max_mib"))
        .put("download_heap_after_gc_max_mib", max(runs, "download_heap_after_gc_max_mib"))
        .put("sha256_one_core_mib_s", Report.round(sha256Rate));
  }

  /** The runs as a Markdown table, for docs/BENCHMARKS.md. */
  static String table(List<Report> reports) {
    StringBuilder t = new StringBuilder();
    t.append(
        "| run | client | cp | cp + sync | upload ceiling | upload (parts + complete) | complete |"
            + " download | download + fsync | upload ÷ cp+sync | upload ÷ ceiling |"
            + " download+fsync ÷ cp+sync | server CPU, upload / download |"
            + " heap max sampled, upload / download | heap after GC max |\n");
    t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Report r : reports) {
      if (!r.text("scenario").equals("blobs_run")) {
        continue;
      }
      t.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %.0f MiB/s | %.0f MiB/s | %.0f MiB/s | %.0f MiB/s (%.2f s) | %.2f s |"
                  + " %.0f MiB/s | %.0f MiB/s | %.2f× | %.2f× | %.2f× | %.2f / %.2f cores |"
                  + " %s / %s MiB | %s / %s MiB |%n",
              (long) r.number("run"),
              r.text("client"),
              r.number("cp_mib_s"),
              r.number("cp_sync_mib_s"),
              r.number("ceiling_mib_s"),
              r.number("upload_mib_s"),
              r.number("upload_s"),
              r.number("complete_s"),
              r.number("download_mib_s"),
              r.number("download_fsync_mib_s"),
              r.number("upload_mib_s") / r.number("cp_sync_mib_s"),
              r.number("upload_mib_s") / r.number("ceiling_mib_s"),
              r.number("download_fsync_mib_s") / r.number("cp_sync_mib_s"),
              r.number("upload_server_cpu_cores"),
              r.number("download_server_cpu_cores"),
              r.text("upload_heap_used_max_mib"),
              r.text("download_heap_used_max_mib"),
              r.text("upload_heap_after_gc_max_mib"),
              r.text("download_heap_after_gc_max_mib")));
    }
    return t.toString();
  }

  private static double median(List<Report> runs, ToDoubleFunction<Report> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double max(List<Report> runs, String field) {
    return runs.stream()
        .mapToDouble(r -> r.number(field))
        .filter(d -> !Double.isNaN(d))
        .max()
        .orElse(Double.NaN);
  }

  private static double ratio(double a, double b) {
    return Math.round(a / b * 100) / 100.0;
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }

  private static double rate(long bytes, long nanos) {
    return Report.round(bytes / 1048576.0 / (nanos / 1e9));
  }

  private static double mib(long bytes) {
    return Report.round(bytes / 1048576.0);
  }
}
