package dev.mailroom.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many idle WebSocket streams on one server node with a bounded heap. The server runs as its own
 * process from the command-line jar ({@code mailroom serve}) with {@code -Xmx1g} (by default) on a
 * fresh data directory; {@code connections} agents are created and each opens one stream. With all
 * of them open, the server's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info})
 * and its resident set are read and compared with the same figures before any stream was opened.
 * The streams are checked to be alive by one broadcast (every stream must push it) and by
 * heartbeats (every stream must get one within an interval and a half), then closed.
 */
final class IdleConnections {
  private static final Pattern HEAP_USED =
      Pattern.compile("(?:committed|total) (\\d+)K, used (\\d+)K");

  private IdleConnections() {}

  /**
   * Runs the scenario; {@code serverClasspath} is the server's class path (main class {@code
   * dev.mailroom.cli.Main}), the command-line jar {@code mailroom-cli/target/mailroom-cli.jar} when
   * empty.
   */
  static List<Report> run(
      Path dir, int connections, String serverHeap, Duration heartbeat, String serverClasspath)
      throws Exception {
    Path data = dir.resolve("idle-connections");
    BenchServer.deleteRecursively(data);
    Files.createDirectories(data);
    int port = freePort();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Path jar = Path.of("mailroom-cli/target/mailroom-cli.jar").toAbsolutePath();
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx" + serverHeap,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            serverClasspath.isEmpty() ? jar.toString() : serverClasspath,
            "dev.mailroom.cli.Main",
            "serve",
            "--port",
            Integer.toString(port),
            "--data-dir",
            data.toString());
    pb.environment().put("MAILROOM_ADMIN_TOKEN", BenchServer.ADMIN_TOKEN);
    pb.environment().put("MAILROOM_DELIVERY_HEARTBEAT", heartbeat.toSeconds() + "s");
    pb.redirectErrorStream(true)
        .redirectOutput(data.resolveSibling("idle-connections.log").toFile());
    Process server = pb.start();
    long pid = server.pid();
    List<Report> reports = new ArrayList<>();
    try (StreamClient client = new StreamClient(port, 2)) {
      awaitHealthy(port, server);
      long t = System.nanoTime();
      List<String> tokens =
          BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "idle", connections, 8);
      String announcer =
          BenchServer.createAgents(port, BenchServer.ADMIN_TOKEN, "announcer", 1, 1).get(0);
      double createSeconds = (System.nanoTime() - t) / 1e9;
      long[] before = heapAfterGc(jcmd, pid);
      long rssBefore = rssKib(pid);

      LongAdder messages = new LongAdder();
      LongAdder heartbeats = new LongAdder();
      CountDownLatch connected = new CountDownLatch(connections);
      AtomicInteger failedOpens = new AtomicInteger();
      Semaphore concurrentOpens = new Semaphore(128);
      List<CompletableFuture<StreamClient.Connection>> opening = new ArrayList<>();
      List<Idle> idles = new ArrayList<>();
      t = System.nanoTime();
      for (String token : tokens) {
        concurrentOpens.acquire();
        Idle idle = new Idle(connected, messages, heartbeats);
        idles.add(idle);
        opening.add(
            client
                .open(token, "auto_ack=true", idle::frame)
                .whenComplete(
                    (c, x) -> {
                      concurrentOpens.release();
                      if (x != null) {
                        failedOpens.incrementAndGet();
                      }
                    }));
      }
      List<StreamClient.Connection> open = new ArrayList<>();
      for (var f : opening) {
        try {
          open.add(f.get(120, TimeUnit.SECONDS));
        } catch (Exception e) {
          // counted in failedOpens
        }
      }
      connected.await(120, TimeUnit.SECONDS);
      double openSeconds = (System.nanoTime() - t) / 1e9;
      long streamsConnected = connections - connected.getCount();

      // Liveness: one broadcast must reach every stream, and every stream must see a heartbeat.
      long heartbeatsBefore = heartbeats.sum();
      int[] ownBefore = idles.stream().mapToInt(i -> i.ownHeartbeats).toArray();
      StringBuilder sink = new StringBuilder();
      try (RawHttp http = new RawHttp("127.0.0.1", port)) {
        byte[] body =
            "{\"mode\":\"broadcast\",\"content_type\":\"text/plain\",\"payload\":\"ping\"}"
                .getBytes(StandardCharsets.UTF_8);
        int status = http.exchange("POST", "/v1/messages", announcer, body, sink);
        if (status != 201) {
          throw new IllegalStateException("broadcast failed: " + status + " " + sink);
        }
      }
      long waitEnd = System.nanoTime() + heartbeat.toNanos() * 3 / 2 + 5_000_000_000L;
      while (System.nanoTime() < waitEnd) {
        Thread.sleep(200);
      }
      long broadcastReceipts = messages.sum();
      long heartbeatsDuring = heartbeats.sum() - heartbeatsBefore;
      long stillOpen = open.stream().filter(c -> !c.closed().isDone()).count();
      int withHeartbeat = 0;
      int withBroadcast = 0;
      for (int i = 0; i < idles.size(); i++) {
        withHeartbeat += idles.get(i).ownHeartbeats > ownBefore[i] ? 1 : 0;
        withBroadcast += idles.get(i).ownMessages > 0 ? 1 : 0;
      }

      long[] after = heapAfterGc(jcmd, pid);
      long rssAfter = rssKib(pid);
      int threads = threadCount(pid);
      reports.add(
          new Report("idle_connections")
              .put("connections", connections)
              .put("server_xmx", serverHeap)
              .put("agent_create_s", Report.round(createSeconds))
              .put("open_s", Report.round(openSeconds))
              .put("failed_opens", failedOpens.get())
              .put("streams_connected", streamsConnected)
              .put("still_open_at_end", stillOpen)
              .put("broadcast_receipts", broadcastReceipts)
              .put("streams_with_broadcast", withBroadcast)
              .put("heartbeats_in_window", heartbeatsDuring)
              .put("streams_with_heartbeat", withHeartbeat)
              .put("heap_used_before_mib", mib(before[1]))
              .put("heap_used_open_mib", mib(after[1]))
              .put("heap_committed_open_mib", mib(after[0]))
              .put(
                  "heap_per_stream_kib",
                  Report.round((after[1] - before[1]) / (double) connections))
              .put("rss_before_mib", mib(rssBefore))
              .put("rss_open_mib", mib(rssAfter))
              .put(
                  "rss_per_stream_kib", Report.round((rssAfter - rssBefore) / (double) connections))
              .put("server_threads_open", threads));
      open.forEach(StreamClient.Connection::close);
      CompletableFuture.allOf(
              open.stream().map(StreamClient.Connection::closed).toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    return reports;
  }

  private static double mib(long kib) {
    return Report.round(kib / 1024.0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitHealthy(int port, Process server) throws Exception {
    long end = System.nanoTime() + 60_000_000_000L;
    StringBuilder sink = new StringBuilder();
    while (System.nanoTime() < end) {
      if (!server.isAlive()) {
        throw new IllegalStateException("server exited with " + server.exitValue());
      }
      try (RawHttp http = new RawHttp("127.0.0.1", port)) {
        if (http.exchange("GET", "/health", BenchServer.ADMIN_TOKEN, new byte[0], sink) == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("server did not become healthy");
  }

  /** Runs a full GC in the server, then returns {committed, used} heap in KiB. */
  private static long[] heapAfterGc(Path jcmd, long pid) throws Exception {
    run(jcmd.toString(), Long.toString(pid), "GC.run");
    String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("unexpected GC.heap_info: " + info);
    }
    return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
  }

  private static long rssKib(long pid) throws IOException {
    return statusField(pid, "VmRSS:");
  }

  private static int threadCount(long pid) throws IOException {
    return (int) statusField(pid, "Threads:");
  }

  private static long statusField(long pid, String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  /** One idle stream: counts what it is pushed. Frames arrive on one thread at a time. */
  private static final class Idle {
    private final CountDownLatch connected;
    private final LongAdder messages;
    private final LongAdder heartbeats;
    private volatile int ownMessages;
    private volatile int ownHeartbeats;

    Idle(CountDownLatch connected, LongAdder messages, LongAdder heartbeats) {
      this.connected = connected;
      this.messages = messages;
      this.heartbeats = heartbeats;
    }

    void frame(String frame) {
      switch (StreamClient.type(frame)) {
        case "connected" -> connected.countDown();
        case "message" -> {
          messages.increment();
          ownMessages++;
        }
        case "heartbeat" -> {
          heartbeats.increment();
          ownHeartbeats++;
        }
        default -> {}
      }
    }
  }
}
