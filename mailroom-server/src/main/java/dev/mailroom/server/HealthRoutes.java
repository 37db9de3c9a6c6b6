package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.protocol.Health;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /health}, {@code GET /health/live}, {@code GET /health/ready} and {@code GET
 * /metrics}; none needs a token.
 *
 * <p>Three checks decide whether a node is ready: its store serves ({@code store}), the disk
 * holding its data directory has at least {@link HealthSettings#diskFreeFloorBytes()} free ({@code
 * disk}; on SQLite, and on Redis with a spool, whose file is there too), and on Redis its spool is
 * below its limits ({@code spool}: it takes sends while Redis cannot). {@code /health/ready}
 * answers 503 when any check is {@code DOWN}, 200 otherwise. {@code /health} reports every check,
 * and two components that are always {@code UP}, the JVM's heap ({@code jvm}) and the server's
 * {@code uptime}, but its status and 503 follow the store alone, as they always have. {@code
 * /health/live} runs no check: it answers 200 whenever the server answers at all.
 *
 * <p>What each component shows depends on the caller. Without an admin's token, {@code /health}
 * shows each component's status, the store's backend, the disk's free bytes and floor, the heap and
 * the uptime, and {@code /health/ready} only each check's status; with one, both add the details:
 * the store's (its file, sizes, queue depths), the disk's path, the spool's depths and limits.
 * Where the data lives is for operators, not for whoever can reach the port.
 */
final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * The disk to watch: the directory whose file system must keep {@code floorBytes} free ({@code 0}
   * only reports it).
   */
  record DiskWatch(Path directory, long floorBytes) {
    DiskWatch {
      Objects.requireNonNull(directory, "directory");
    }
  }

  /** A node's spool on Redis and the limits it was opened with. */
  record SpoolWatch(Spool spool, Spool.Limits limits) {
    SpoolWatch {
      Objects.requireNonNull(spool, "spool");
      Objects.requireNonNull(limits, "limits");
    }
  }

  private final Storage storage;
  private final ServerMetrics metrics;
  private final JsonMapper mapper;
  private final Predicate<Context> admin;
  private final Optional<DiskWatch> disk;
  private final Optional<SpoolWatch> spool;
  private final long startedNanos;

  /** Whether the disk and the spool were up when last checked, to log each change once. */
  private final Map<String, Boolean> lastUp = new ConcurrentHashMap<>();

  /**
   * @param admin whether a request carries an admin's credentials (refusing wrong ones)
   * @param disk the disk to check; empty when the node keeps nothing on disk (Redis without a
   *     spool) or its store was given to it
   * @param spool the node's spool; empty without one
   * @param startedNanos when the server started, in {@link System#nanoTime()}
   */
  HealthRoutes(
      Storage storage,
      ServerMetrics metrics,
      JsonMapper mapper,
      Predicate<Context> admin,
      Optional<DiskWatch> disk,
      Optional<SpoolWatch> spool,
      long startedNanos) {
    this.storage = storage;
    this.metrics = metrics;
    this.mapper = mapper;
    this.admin = admin;
    this.disk = disk;
    this.spool = spool;
    this.startedNanos = startedNanos;
  }

  /**
   * The full report: the checks, the heap and the uptime. Its status, and 503, follow the store
   * alone, as they did before the other checks existed; the disk and the spool report their own
   * status, which {@link #ready} holds the node to.
   */
  void health(Context ctx) {
    boolean details = admin.test(ctx);
    Map<String, Map<String, Object>> components = checks(details);
    boolean up = isUp(components.get("store"));
    components.put("jvm", jvm());
    components.put("uptime", uptime());
    answer(ctx, components, up);
  }

  /** Liveness: the server answers HTTP. No check, no store call, no token. */
  void live(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    Exchanges.json(ctx, mapper, 200, Map.of("status", Health.UP));
  }

  /**
   * Readiness: the checks alone, 503 when one is down. Without an admin's token each shows its
   * status only.
   */
  void ready(Context ctx) {
    boolean details = admin.test(ctx);
    Map<String, Map<String, Object>> components = checks(details);
    if (!details) {
      components.replaceAll((name, c) -> Map.of("status", c.get("status")));
    }
    answer(ctx, components, components.values().stream().allMatch(HealthRoutes::isUp));
  }

  void metrics(Context ctx) {
    if (!metrics.enabled()) {
      throw new MailroomException.NotFound(
          "metrics are off on this node (mailroom.metrics.enabled=false)");
    }
    ctx.status(200).contentType(PROMETHEUS_TEXT).result(metrics.scrape());
  }

  private void answer(Context ctx, Map<String, Map<String, Object>> components, boolean up) {
    ctx.header("Cache-Control", "no-store");
    Exchanges.json(
        ctx, mapper, up ? 200 : 503, new Health(up ? Health.UP : Health.DOWN, components));
  }

  /** The components that decide whether the node is up, in a map the caller may add to. */
  private Map<String, Map<String, Object>> checks(boolean details) {
    Map<String, Map<String, Object>> components = new LinkedHashMap<>();
    components.put("store", store(details));
    disk.ifPresent(d -> components.put("disk", disk(d, details)));
    spool.ifPresent(s -> components.put("spool", spool(s, details)));
    return components;
  }

  private Map<String, Object> store(boolean details) {
    Map<String, Object> store = new LinkedHashMap<>();
    try {
      StoreHealth h = storage.health();
      store.put("status", status(h.up()));
      store.put("backend", h.backend());
      if (details) {
        store.putAll(h.details());
      }
    } catch (RuntimeException e) {
      LOG.warn("the store's health check failed", e);
      store.put("status", Health.DOWN);
      if (details) {
        store.put("error", String.valueOf(e.getMessage()));
      }
    }
    return store;
  }

  /**
   * The disk's free space against the floor: the space this process may use ({@link
   * java.nio.file.FileStore#getUsableSpace()}), which leaves out what the file system keeps for
   * root. A disk whose free space cannot be read is {@code DOWN}.
   */
  private Map<String, Object> disk(DiskWatch watch, boolean details) {
    Map<String, Object> disk = new LinkedHashMap<>();
    try {
      long free = Files.getFileStore(watch.directory()).getUsableSpace();
      boolean up = free >= watch.floorBytes();
      changed(
          "disk",
          up,
          "the disk holding "
              + watch.directory()
              + " has "
              + free
              + " bytes free; the floor is "
              + watch.floorBytes());
      disk.put("status", status(up));
      disk.put("free_bytes", free);
      disk.put("floor_bytes", watch.floorBytes());
      if (details) {
        disk.put("path", watch.directory().toString());
      }
    } catch (IOException | RuntimeException e) {
      if (changed("disk", false, "cannot read the free space of " + watch.directory())) {
        LOG.warn("reading the free space failed", e);
      }
      disk.put("status", Health.DOWN);
      disk.put("floor_bytes", watch.floorBytes());
      if (details) {
        disk.put("path", watch.directory().toString());
        disk.put("error", String.valueOf(e.getMessage()));
      }
    }
    return disk;
  }

  /**
   * The spool is {@code UP} while both its lanes are below their limits: the sends (entries and
   * bytes) and the audit records (entries). At a limit it refuses what does not fit, so the node
   * can no longer keep sends through a Redis outage.
   */
  private Map<String, Object> spool(SpoolWatch watch, boolean details) {
    Map<String, Object> out = new LinkedHashMap<>();
    Spool.Limits limits = watch.limits();
    try {
      Spool.Stats sends = watch.spool().stats();
      long records = watch.spool().records().size();
      boolean below =
          sends.entries() < limits.maxEntries()
              && sends.bytes() < limits.maxBytes()
              && records < limits.maxEntries();
      changed(
          "spool",
          below,
          "sends in the spool: "
              + sends.entries()
              + " ("
              + sends.bytes()
              + " bytes), audit records: "
              + records
              + "; its limits: "
              + limits.maxEntries()
              + " entries per lane, "
              + limits.maxBytes()
              + " bytes of sends");
      out.put("status", status(below));
      if (details) {
        out.put("depth", sends.entries());
        out.put("bytes", sends.bytes());
        out.put("audit_depth", records);
        out.put("max_depth", limits.maxEntries());
        out.put("max_bytes", limits.maxBytes());
      }
    } catch (RuntimeException e) {
      LOG.warn("the spool's health check failed", e);
      out.put("status", Health.DOWN);
      if (details) {
        out.put("error", String.valueOf(e.getMessage()));
      }
    }
    return out;
  }

  /** The heap: what live and not yet collected objects use, and the most it may grow to. */
  private static Map<String, Object> jvm() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("status", Health.UP);
    jvm.put("heap_used_bytes", heap.getUsed());
    jvm.put(
        "heap_max_bytes", heap.getMax() >= 0 ? heap.getMax() : Runtime.getRuntime().maxMemory());
    return jvm;
  }

  /** Whole seconds since the server started (on a monotonic clock). */
  private Map<String, Object> uptime() {
    Map<String, Object> uptime = new LinkedHashMap<>();
    uptime.put("status", Health.UP);
    uptime.put(
        "seconds", TimeUnit.NANOSECONDS.toSeconds(Math.max(0, System.nanoTime() - startedNanos)));
    return uptime;
  }

  /**
   * Logs a check's change of state, once per change: at WARN when it goes down, at INFO when it is
   * up again.
   *
   * @param what what was measured, and what it is held to
   * @return whether the state changed (a first check that finds it up is no change)
   */
  private boolean changed(String check, boolean up, String what) {
    Boolean before = lastUp.put(check, up);
    if (before == null ? up : before == up) {
      return false;
    }
    if (up) {
      LOG.info("the {} check is UP again: {}", check, what);
    } else {
      LOG.warn("the {} check is DOWN, so the node is not ready: {}", check, what);
    }
    return true;
  }

  private static boolean isUp(Map<String, Object> component) {
    return Health.UP.equals(component.get("status"));
  }

  private static String status(boolean up) {
    return up ? Health.UP : Health.DOWN;
  }
}
