package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Metrics;
import dev.mailroom.protocol.Health;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code mailroom stats}: the server's health and a summary of its metrics. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Show the server's health (its store, disk and spool checks, its heap and uptime) and a"
          + " summary of its metrics; no token needed. Exit 13 when the server reports DOWN.",
      "",
      "  mailroom stats --server http://mailroom.internal:8080"
    })
final class StatsCommand extends ClientCommand {
  /** The series summarized, with what they mean. */
  static final Map<String, String> SERIES = series();

  private static Map<String, String> series() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mailroom_messages_sent_total", "messages sent");
    m.put("mailroom_messages_duplicate_total", "duplicate sends");
    m.put("mailroom_inbox_dropped_total", "dropped from full inboxes");
    m.put("mailroom_retention_removed_total", "removed by retention");
    m.put("mailroom_deliveries_pushed_total", "deliveries pushed");
    m.put("mailroom_deliveries_redelivered_total", "redeliveries");
    m.put("mailroom_deliveries_dead_lettered_total", "dead-lettered");
    m.put("mailroom_streams_open", "streams open");
    m.put("http_server_requests_seconds_count", "HTTP requests");
    return m;
  }

  @Override
  ExitCode run(MailroomClient client, Output out) {
    Health health = client.health();
    Metrics metrics = client.metrics();
    Map<String, Double> summary = new LinkedHashMap<>();
    SERIES.keySet().forEach(k -> metrics.sum(k).ifPresent(v -> summary.put(k, v)));
    if (out.json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("health", health);
      answer.put("metrics", summary);
      out.json(answer);
    } else {
      out.line("status: " + health.status());
      health
          .components()
          .forEach(
              (name, details) -> {
                out.line(name + ":");
                details.forEach((k, v) -> out.line("  " + k + ": " + v));
              });
      out.line("metrics:");
      out.table(
          List.of("  SERIES", "VALUE"),
          summary.entrySet().stream()
              .map(e -> List.of("  " + SERIES.get(e.getKey()), number(e.getValue())))
              .toList());
    }
    return Health.UP.equals(health.status()) ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
