package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.RetentionCleaner;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.server.stream.StreamHub;
import dev.mailroom.server.stream.StreamMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's meters, in one Prometheus registry per server. Thread-safe.
 *
 * <p>Exported as {@code mailroom_messages_sent_total}, {@code mailroom_messages_duplicate_total},
 * {@code mailroom_inbox_dropped_total}, {@code mailroom_retention_removed_total}, {@code
 * mailroom_rate_limited_total} (by {@code kind}), {@code mailroom_audit_records_written_total},
 * {@code mailroom_audit_queue_depth}, {@code http_server_requests_seconds} (by method, route
 * template and status), {@code mailroom_sends_total} (by mode and outcome), the histograms {@code
 * mailroom_send_latency_seconds} and {@code mailroom_delivery_latency_seconds}, {@code
 * mailroom_problems_total} (by type), and the JVM basics; docs/OPERATIONS.md lists them all.
 */
final class ServerMetrics implements AutoCloseable, StreamMetrics {
  /** How recently an agent must have been seen to count in {@code mailroom_agents_active}. */
  static final Duration ACTIVE_WINDOW = Duration.ofMinutes(5);

  /** The most agents {@code mailroom_agents_active} tracks (it counts up to this). */
  static final int MAX_TRACKED_AGENTS = 100_000;

  /** What a send can come to; every mode has a series for each, from zero. */
  private static final List<String> SEND_OUTCOMES = List.of("stored", "duplicate", "spooled");

  /**
   * The histograms' bucket bounds: from a millisecond (a local commit) to ten seconds (a send that
   * waited for a Redis failover), about three per decade.
   */
  private static final Duration[] LATENCY_BUCKETS =
      java.util.stream.Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
          .map(Duration::ofMillis)
          .toArray(Duration[]::new);

  /** The store latency buckets, in microseconds: 0.1 ms to 1 s. */
  private static final Duration[] STORE_BUCKETS =
      java.util.stream.LongStream.of(
              100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
              1_000_000)
          .mapToObj(micros -> Duration.ofNanos(micros * 1_000))
          .toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final boolean enabled;
  private final Counter sent;
  private final Counter duplicates;
  private final Counter spooled;
  private final Counter dropped;
  private final Counter pushed;
  private final Counter redelivered;
  private final Counter deadLettered;
  private final Counter withheld;
  private final Map<SendMode, Map<String, Counter>> sends = new EnumMap<>(SendMode.class);
  private final Timer sendLatency;
  private final Timer deliveryLatency;
  private final ConcurrentHashMap<String, Counter> problems = new ConcurrentHashMap<>();
  private final Counter acknowledged;
  private final ConcurrentHashMap<AgentId, Long> lastSeen = new ConcurrentHashMap<>();
  private final Map<AgentId, Gauge> agentUsage = new HashMap<>();
  private final Counter uploads;
  private final Counter received;
  private final Counter served;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ConcurrentHashMap<RequestKey, Timer> requestTimers = new ConcurrentHashMap<>();
  private final RecentCounts recent = new RecentCounts(System::nanoTime);

  private record RequestKey(String method, String route, int status) {}

  /** A node's meters, all of them kept. */
  ServerMetrics() {
    this(true);
  }

  /**
   * A node's meters; with {@code enabled} false, every meter is a no-op ({@code
   * mailroom.metrics.enabled=false}), {@link #enabled()} says so and {@code /metrics} is not
   * served. What {@link #recent()} counts is kept either way: statistics and alerts read it.
   */
  ServerMetrics(boolean enabled) {
    this.enabled = enabled;
    if (!enabled) {
      registry.config().meterFilter(MeterFilter.deny());
    }
    sent =
        Counter.builder("mailroom.messages.sent")
            .description("Messages stored (idempotent repeats not counted)")
            .register(registry);
    duplicates =
        Counter.builder("mailroom.messages.duplicate")
            .description("Sends that repeated an idempotency key and stored nothing")
            .register(registry);
    spooled =
        Counter.builder("mailroom.messages.spooled")
            .description(
                "Sends kept in the node's local spool because the store (Redis) could not take"
                    + " them")
            .register(registry);
    dropped =
        Counter.builder("mailroom.inbox.dropped")
            .description("Oldest inbox entries dropped because an inbox was full")
            .register(registry);
    pushed =
        Counter.builder("mailroom.deliveries.pushed")
            .description("Deliveries pushed over streams, redeliveries included")
            .register(registry);
    redelivered =
        Counter.builder("mailroom.deliveries.redelivered")
            .description("Deliveries pushed again because they were not acknowledged in time")
            .register(registry);
    deadLettered =
        Counter.builder("mailroom.deliveries.dead.lettered")
            .description("Deliveries moved to the dead-letter queue after their last attempt")
            .register(registry);
    withheld =
        Counter.builder("mailroom.deliveries.withheld")
            .description("Deliveries not pushed because their agent may no longer read the message")
            .register(registry);
    for (SendMode mode : SendMode.values()) {
      Map<String, Counter> byOutcome = new HashMap<>();
      for (String outcome : SEND_OUTCOMES) {
        byOutcome.put(
            outcome,
            Counter.builder("mailroom.sends")
                .description("Sends answered, by mode and outcome (stored, duplicate, spooled)")
                .tag("mode", mode.wireName())
                .tag("outcome", outcome)
                .register(registry));
      }
      sends.put(mode, byOutcome);
    }
    acknowledged =
        Counter.builder("mailroom.deliveries.acknowledged")
            .description(
                "Acknowledgements received: the ids of stream ack frames and POST .../ack calls")
            .register(registry);
    Gauge.builder("mailroom.agents.active", this, m -> m.activeAgents(System.nanoTime()))
        .description(
            "Agents that made an authenticated request or opened a stream on this node in the"
                + " last 5 minutes")
        .register(registry);
    sendLatency =
        Timer.builder("mailroom.send.latency")
            .description(
                "From a send request's arrival to its message being durable (the answer's"
                    + " moment); one per request, a batch counts once")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    deliveryLatency =
        Timer.builder("mailroom.delivery.latency")
            .description("From a message's send to its first push to a stream, per delivery")
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    uploads =
        Counter.builder("mailroom.blobs.uploads").description("Uploads begun").register(registry);
    received =
        Counter.builder("mailroom.blobs.received")
            .description("Bytes of upload parts stored")
            .baseUnit("bytes")
            .register(registry);
    served =
        Counter.builder("mailroom.blobs.served")
            .description("Bytes of attachments downloaded")
            .baseUnit("bytes")
            .register(registry);
    if (!enabled) {
      return; // no JVM binders: they would start work (GC listeners) for nothing
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  void bindRetention(RetentionCleaner cleaner) {
    FunctionCounter.builder(
            "mailroom.retention.removed", cleaner, c -> (double) c.removedMessages())
        .description("Expired messages removed by the retention cleaner")
        .register(registry);
  }

  void bindSpool(Spool spool, InstantSource clock) {
    Gauge.builder("mailroom.spool.depth", spool, sp -> sp.stats().entries())
        .description("Sends in this node's spool, waiting for Redis")
        .register(registry);
    Gauge.builder("mailroom.spool.bytes", spool, sp -> sp.stats().bytes())
        .description("Bytes of the sends in this node's spool")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(
            "mailroom.spool.oldest.age",
            spool,
            sp ->
                sp.stats()
                    .oldest()
                    .map(o -> Math.max(0, clock.millis() - o.toEpochMilli()) / 1000.0)
                    .orElse(0.0))
        .description("How long the oldest send in this node's spool has waited")
        .baseUnit("seconds")
        .register(registry);
  }

  void bindBlobs(BlobCollector collector) {
    Gauge.builder("mailroom.blobs.stored", collector, c -> c.usage().total())
        .description(
            "Bytes of uploads and blobs held (open uploads count their declared size), as of the"
                + " last cleaning pass")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("mailroom.blobs.removed", collector, c -> (double) c.removedBlobs())
        .description("Blobs removed once no message referred to them and their grace had passed")
        .tag("reason", "unreferenced")
        .register(registry);
    FunctionCounter.builder("mailroom.blobs.removed", collector, c -> (double) c.removedUploads())
        .description("Blobs removed once no message referred to them and their grace had passed")
        .tag("reason", "abandoned")
        .register(registry);
    collector.onUsage(usage -> showTopAgents(collector, usage));
  }

  /**
   * Keeps one {@code mailroom.blobs.agent.stored} series per agent among the top ones of the last
   * pass, removing those of agents that left it, so the label set stays bounded.
   */
  private synchronized void showTopAgents(BlobCollector collector, BlobCollector.Usage usage) {
    agentUsage
        .entrySet()
        .removeIf(
            e -> {
              if (usage.top().containsKey(e.getKey())) {
                return false;
              }
              registry.remove(e.getValue());
              return true;
            });
    for (AgentId agent : usage.top().keySet()) {
      agentUsage.computeIfAbsent(
          agent,
          a ->
              Gauge.builder(
                      "mailroom.blobs.agent.stored",
                      collector,
                      c -> c.usage().top().getOrDefault(a, 0L).doubleValue())
                  .description(
                      "Bytes of uploads and blobs held by each of the "
                          + BlobCollector.TOP_AGENTS
                          + " agents holding the most, as of the last cleaning pass")
                  .baseUnit("bytes")
                  .tag("agent", a.value())
                  .register(registry));
    }
  }

  void recordUpload() {
    uploads.increment();
  }

  void recordPart(long bytes) {
    received.increment(bytes);
  }

  void recordDownload(long bytes) {
    served.increment(bytes);
  }

  void bindRateLimits(RateLimits limits) {
    for (RateLimits.Kind kind : RateLimits.Kind.values()) {
      FunctionCounter.builder("mailroom.rate.limited", limits, l -> (double) l.limited(kind))
          .description(
              "Requests answered 429: an agent over its rate (agent), or failed authentication"
                  + " from an address with too many failures (address)")
          .tag("kind", kind.tag())
          .register(registry);
    }
  }

  void bindAudit(AuditLog audit) {
    FunctionCounter.builder("mailroom.audit.records.written", audit, a -> (double) a.written())
        .description("Audit records stored by this node")
        .register(registry);
    Gauge.builder("mailroom.audit.queue.depth", audit, AuditLog::queueDepth)
        .description("Audit records waiting to be written")
        .register(registry);
    FunctionCounter.builder("mailroom.audit.records.dropped", audit, a -> (double) a.dropped())
        .description(
            "Audit records dropped because the queue stayed full (the store took no records)")
        .register(registry);
  }

  /**
   * The embedded store's writer: {@code mailroom_store_writer_queue_depth} (writes waiting for the
   * group commit) and {@code mailroom_store_commits_total}, read from its health details, which it
   * keeps in memory. A Redis store has no writer queue of its own, and its health asks Redis, which
   * a scrape should not; it gets neither series.
   */
  void bindStore(Storage storage) {
    if (enabled) {
      String op = storage.health().backend().equals("sqlite") ? "commit" : "command";
      Timer timer =
          Timer.builder("mailroom.store.latency")
              .description(
                  "How long the store took for one unit of its work: a Redis command or script, or"
                      + " a group commit of the embedded store (its batch, first statement to"
                      + " commit)")
              .tag("operation", op)
              .serviceLevelObjectives(STORE_BUCKETS)
              .register(registry);
      storage.observe((operation, nanos, failed) -> timer.record(nanos, TimeUnit.NANOSECONDS));
    }
    StoreTotals totals = new StoreTotals(storage.deliveries(), System::nanoTime);
    Gauge.builder("mailroom.deliveries.pending", totals, t -> t.read(DeliveryTotals::pending))
        .description("Deliveries not yet acknowledged, every agent's (read at most every 10 s)")
        .strongReference(true) // nothing else holds the totals
        .register(registry);
    Gauge.builder("mailroom.dead.letters", totals, t -> t.read(DeliveryTotals::deadLetters))
        .description("Dead letters held, every agent's (read at most every 10 s)")
        .strongReference(true) // nothing else holds the totals
        .register(registry);
    Gauge.builder("mailroom.subscriptions", totals, t -> t.read(DeliveryTotals::subscriptions))
        .description("Subscriptions stored (read at most every 10 s)")
        .strongReference(true) // nothing else holds the totals
        .register(registry);
    if (!storage.health().backend().equals("sqlite")) {
      return;
    }
    Gauge.builder(
            "mailroom.store.writer.queue.depth", storage, s -> detail(s, "writer_queue_depth"))
        .description("Writes waiting for the embedded store's next group commit")
        .register(registry);
    FunctionCounter.builder("mailroom.store.commits", storage, s -> detail(s, "commits"))
        .description("Group commits of the embedded store")
        .register(registry);
  }

  private static double detail(Storage storage, String key) {
    return storage.health().details().get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  void bindStreams(StreamHub hub) {
    Gauge.builder("mailroom.streams.open", hub, StreamHub::openStreams)
        .description("Open WebSocket and SSE streams on this node")
        .register(registry);
  }

  @Override
  public void pushed(boolean redelivery, Duration sinceSent) {
    pushed.increment();
    recent.add(RecentCounts.Kind.DELIVERIES, 1);
    if (redelivery) {
      redelivered.increment();
    } else {
      Duration latency = sinceSent.isNegative() ? Duration.ZERO : sinceSent;
      deliveryLatency.record(latency);
      recent.add(RecentCounts.Kind.FIRST_PUSHES, 1);
      recent.add(RecentCounts.Kind.FIRST_PUSH_MICROS, latency.toNanos() / 1000);
    }
  }

  @Override
  public void acknowledged(int deliveries) {
    acknowledged.increment(deliveries);
    recent.add(RecentCounts.Kind.ACKS, deliveries);
  }

  /**
   * Agent {@code id} made an authenticated request or opened a stream just now. At most {@value
   * #MAX_TRACKED_AGENTS} agents are tracked; past that, those not seen within the window are
   * forgotten first, and if all were, no new one is added until some are.
   */
  void seen(AgentId id) {
    long now = System.nanoTime();
    if (lastSeen.size() >= MAX_TRACKED_AGENTS && !lastSeen.containsKey(id)) {
      lastSeen.values().removeIf(t -> now - t > ACTIVE_WINDOW.toNanos());
      if (lastSeen.size() >= MAX_TRACKED_AGENTS) {
        return;
      }
    }
    lastSeen.put(id, now);
  }

  /**
   * How long ago this node last saw the agent, if it did since it started (and has not forgotten it
   * to make room: see {@link #seen}).
   */
  Optional<Duration> lastSeen(AgentId id) {
    Long t = lastSeen.get(id);
    return t == null ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - t));
  }

  /** How many agents were seen within the window before {@code now}. */
  private int activeAgents(long now) {
    int active = 0;
    for (long t : lastSeen.values()) {
      if (now - t <= ACTIVE_WINDOW.toNanos()) {
        active++;
      }
    }
    return active;
  }

  /** How many agents this node saw in the last 5 minutes. */
  int activeAgents() {
    return activeAgents(System.nanoTime());
  }

  @Override
  public void deadLettered() {
    deadLettered.increment();
  }

  @Override
  public void withheld() {
    withheld.increment();
  }

  void recordSend(SendMode mode, SendResult result) {
    Map<String, Counter> byOutcome = sends.get(mode);
    recent.add(RecentCounts.Kind.SENDS, 1);
    switch (result) {
      case SendResult.Accepted a -> {
        sent.increment();
        byOutcome.get("stored").increment();
        if (a.dropped() > 0) {
          dropped.increment(a.dropped());
        }
      }
      case SendResult.Duplicate d -> {
        duplicates.increment();
        byOutcome.get("duplicate").increment();
      }
      case SendResult.Spooled s -> {
        spooled.increment();
        byOutcome.get("spooled").increment();
      }
    }
  }

  /** A send request (one message or a batch) answered {@code nanos} after it arrived. */
  void recordSendLatency(long nanos) {
    sendLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A request answered with a problem of {@code type} ({@code /problems/<name>}): counted by that
   * name, a label with as many values as the API has problem types.
   */
  void recordProblem(String type) {
    String name = type.substring(type.lastIndexOf('/') + 1);
    problems
        .computeIfAbsent(
            name,
            n ->
                Counter.builder("mailroom.problems")
                    .description("Requests answered with a problem, by its type")
                    .tag("type", n)
                    .register(registry))
        .increment();
  }

  void recordRequest(String method, String route, int status, long nanos) {
    recent.add(RecentCounts.Kind.REQUESTS, 1);
    if (status >= 500) {
      recent.add(RecentCounts.Kind.SERVER_ERRORS, 1);
    }
    if (!enabled) {
      return;
    }
    requestTimers
        .computeIfAbsent(
            new RequestKey(method, route, status),
            k ->
                Timer.builder("http.server.requests")
                    .description("HTTP requests by method, route template and status")
                    .tag("method", k.method())
                    .tag("route", k.route())
                    .tag("status", Integer.toString(k.status()))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Whether the meters are kept and {@code /metrics} served. */
  boolean enabled() {
    return enabled;
  }

  /** What this node did in the last minute: requests, server errors, sends, pushes, acks. */
  RecentCounts recent() {
    return recent;
  }

  /** The registry, for the meters other parts of the server register. */
  MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
