package dev.mailroom.bench.compare;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sizes of one comparison run.
 *
 * @param smoke whether this is the smoke mode (tiny sizes, no figures worth reading)
 * @param payloadBytes the size of every published message (its first 16 bytes are the header)
 * @param serverWarmup how long a freshly started system is driven before each case (a JVM-based
 *     server compiles its hot paths meanwhile; see {@link MessagingSystem#warmUp})
 * @param warmup how long each timed phase runs before it is measured
 * @param measure how long each timed phase is measured
 * @param publishers S1: the numbers of closed-loop publishers, one case each
 * @param rates S2: the fixed rates (messages/s), raised in this order until a system saturates
 * @param ratePublishers S2: the publisher threads that share the schedule
 * @param saturationP99Millis S2: a p99 publish-to-consume latency above this counts as saturated
 * @param fanOutConsumers S3: the consumers of the one destination
 * @param fanOutPublishers S3: the closed-loop publishers
 * @param fanOutWindow S3: the most messages published and not yet delivered to every consumer
 * @param backlog S4: the messages published while the consumer is closed
 * @param backlogPublishers S4: the closed-loop publishers that build the backlog
 * @param quiet how long a drain waits without any message arriving before it gives up
 */
record Settings(
    boolean smoke,
    int payloadBytes,
    Duration serverWarmup,
    Duration warmup,
    Duration measure,
    List<Integer> publishers,
    List<Integer> rates,
    int ratePublishers,
    double saturationP99Millis,
    int fanOutConsumers,
    int fanOutPublishers,
    int fanOutWindow,
    int backlog,
    int backlogPublishers,
    Duration quiet) {

  /** The measured run: the sizes the issue asks for. */
  static Settings forMeasurement() {
    return new Settings(
        false,
        256,
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        List.of(1, 8, 32),
        List.of(1_000, 5_000, 20_000),
        32,
        1_000,
        100,
        4,
        100,
        100_000,
        8,
        Duration.ofSeconds(30));
  }

  /** The smoke mode: every scenario end to end in a few seconds per system. */
  static Settings forSmoke() {
    return new Settings(
        true,
        256,
        Duration.ofMillis(300), // enough to run the warm-up's code, not to warm anything
        Duration.ZERO,
        Duration.ofSeconds(1),
        List.of(1, 8),
        List.of(200, 1_000),
        8,
        60_000,
        5,
        2,
        50,
        1_000,
        4,
        Duration.ofSeconds(10));
  }

  double measureSeconds() {
    return measure.toNanos() / 1e9;
  }

  /** The settings as flat JSON-able fields, for the results file. */
  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("smoke", smoke);
    m.put("payload_bytes", payloadBytes);
    m.put("server_warmup_s", serverWarmup.toMillis() / 1000.0);
    m.put("warmup_s", warmup.toMillis() / 1000.0);
    m.put("measure_s", measure.toMillis() / 1000.0);
    m.put("s1_publishers", join(publishers));
    m.put("s2_rates", join(rates));
    m.put("s2_publishers", ratePublishers);
    m.put("s2_saturation_p99_ms", saturationP99Millis);
    m.put("s3_consumers", fanOutConsumers);
    m.put("s3_publishers", fanOutPublishers);
    m.put("s3_window", fanOutWindow);
    m.put("s4_backlog", backlog);
    m.put("s4_publishers", backlogPublishers);
    m.put("quiet_s", quiet.toMillis() / 1000.0);
    return m;
  }

  private static String join(List<Integer> values) {
    return String.join(
        ", ", values.stream().map(v -> String.format(java.util.Locale.ROOT, "%,d", v)).toList());
  }
}
