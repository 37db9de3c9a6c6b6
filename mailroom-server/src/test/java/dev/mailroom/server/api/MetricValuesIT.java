package dev.mailroom.server.api;

import static dev.mailroom.server.api.SendAndReadIT.plain;
import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.DeliverySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The series of {@code /metrics} move by exactly what happened: sends by mode and outcome, a drop
 * from a full inbox, pushes, redeliveries, acknowledgements and a dead letter, the agents active,
 * the two latency histograms (one observation per send request, one per first push), and problems
 * by type.
 */
class MetricValuesIT {
  private static final int INBOX = 5;

  /** Three attempts 200 and 400 ms apart, then the dead-letter queue; inboxes of 5. */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(200), 2, 0))
                  .retention(RetentionPolicy.DEFAULTS.withMaxInboxSize(INBOX)));

  @Test
  void everySeriesMovesByWhatHappened() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    Agent reader = api.newAgent("reader");
    subscribe(api.as(reader), "jobs.*", false);
    Map<String, Double> before = scrape();

    for (int i = 0; i <= INBOX; i++) { // one more than bob's inbox holds: one drop
      api.as(alice).sendOk(plain(bob.id(), "note " + i));
    }
    Map<String, Object> keyed = new HashMap<>(plain(alice.id(), "once"));
    keyed.put("idempotency_key", "k-1");
    api.as(alice).sendOk(keyed);
    api.as(alice).sendOk(keyed); // a duplicate
    Response refused = api.as(alice).send(Map.of("mode", "direct", "payload", "no target"));
    assertThat(refused.status()).as("%s", refused).isEqualTo(400);
    try (var ws = connect(api, reader, "")) {
      List<String> jobs =
          List.of(
              publish(api.as(alice), "jobs.a", "one"),
              publish(api.as(alice), "jobs.a", "two"),
              publish(api.as(alice), "jobs.b", "three"));
      for (int i = 0; i < 3; i++) {
        assertThat(ws.nextMessage().json().get("attempt").asInt()).isEqualTo(1);
      }
      ws.ack(jobs.subList(0, 2)); // the third is never acknowledged
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> delta(before, scrape(), "mailroom_deliveries_dead_lettered_total") == 1);
    }

    Map<String, Double> after = scrape();
    assertThat(delta(before, after, "mailroom_sends_total{mode=\"direct\",outcome=\"stored\"}"))
        .isEqualTo(INBOX + 2);
    assertThat(delta(before, after, "mailroom_sends_total{mode=\"direct\",outcome=\"duplicate\"}"))
        .isEqualTo(1);
    assertThat(delta(before, after, "mailroom_sends_total{mode=\"topic\",outcome=\"stored\"}"))
        .isEqualTo(3);
    assertThat(delta(before, after, "mailroom_sends_total{mode=\"broadcast\",outcome=\"stored\"}"))
        .isZero();
    assertThat(delta(before, after, "mailroom_inbox_dropped_total")).isEqualTo(1);
    // Three first pushes, then the third job twice more (attempts 2 and 3) before its dead letter.
    assertThat(delta(before, after, "mailroom_deliveries_pushed_total")).isEqualTo(5);
    assertThat(delta(before, after, "mailroom_deliveries_redelivered_total")).isEqualTo(2);
    assertThat(delta(before, after, "mailroom_deliveries_dead_lettered_total")).isEqualTo(1);
    assertThat(delta(before, after, "mailroom_deliveries_acknowledged_total")).isEqualTo(2);
    // The admin (agents, scrapes), alice (sends) and the reader (subscription, stream); bob
    // only received.
    assertThat(after.get("mailroom_agents_active")).isEqualTo(3);
    assertThat(delta(before, after, "mailroom_delivery_latency_seconds_count")).isEqualTo(3);
    // One observation per send request that reached the store: 6 + 2 + 3, not the refused one.
    assertThat(delta(before, after, "mailroom_send_latency_seconds_count")).isEqualTo(11);
    assertThat(delta(before, after, "mailroom_problems_total{type=\"invalid-request\"}"))
        .isEqualTo(1);
    // The embedded store's writer; a Redis store has none.
    if (Boolean.getBoolean(MailroomApi.ON_REDIS)) {
      assertThat(after).doesNotContainKey("mailroom_store_commits_total");
      assertThat(
              delta(before, after, "mailroom_store_latency_seconds_count{operation=\"command\"}"))
          .isPositive();
    } else {
      assertThat(delta(before, after, "mailroom_store_commits_total")).isPositive();
      assertThat(after).containsKey("mailroom_store_writer_queue_depth");
      // Each group commit is timed once (give or take the audit log's own commit, which may run
      // between the two series' reads of one scrape).
      assertThat(delta(before, after, "mailroom_store_latency_seconds_count{operation=\"commit\"}"))
          .isCloseTo(delta(before, after, "mailroom_store_commits_total"), within(1.0));
    }
    // The histograms have buckets, and the last holds every observation.
    assertThat(after).containsKey("mailroom_send_latency_seconds_bucket{le=\"0.001\"}");
    assertThat(after.get("mailroom_send_latency_seconds_bucket{le=\"+Inf\"}"))
        .isEqualTo(after.get("mailroom_send_latency_seconds_count"));
    assertThat(after.get("mailroom_delivery_latency_seconds_bucket{le=\"+Inf\"}"))
        .isEqualTo(after.get("mailroom_delivery_latency_seconds_count"));
  }

  /** Every sample of {@code /metrics}, by name and labels as written, e.g. {@code a{b="c"}}. */
  private static Map<String, Double> scrape() {
    Response r = api.admin().get("/metrics");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    assertThat(after).as("series %s", key).containsKey(key);
    return after.get(key) - before.getOrDefault(key, 0.0);
  }
}
