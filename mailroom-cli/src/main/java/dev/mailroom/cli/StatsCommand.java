package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.Metrics;
import dev.mailroom.protocol.AgentStats;
import dev.mailroom.protocol.Health;
import dev.mailroom.protocol.MailboxStatsView;
import dev.mailroom.protocol.SystemStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailroom stats}: the server's health and a summary of its metrics, with the system's
 * statistics for an admin; or one mailbox's or one agent's statistics.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Show the server's health (its store, disk and spool checks, its heap and uptime) and a"
          + " summary of its metrics; no token needed. With an admin's token, also the system's"
          + " counts, the answering node's rates over the last minute and the largest backlogs."
          + " Exit 13 when the server reports DOWN.",
      "With --mailbox or --agent, show that mailbox's or agent's statistics instead.",
      "",
      "  mailroom stats --server http://mailroom.internal:8080",
      "  mailroom stats --mailbox ci-bot      messages held, received, pending and unread",
      "  mailroom stats --agent ci-bot        last seen, stream and backlogs (itself or admins)"
    })
final class StatsCommand extends ClientCommand {
  /** {@code --mailbox} or {@code --agent}: whose statistics, instead of the server's. */
  static final class Subject {
    @Option(
        names = "--mailbox",
        paramLabel = "NAME",
        description = "One mailbox's statistics (an agent's id, a shared mailbox or a topic).")
    @Nullable String mailbox;

    @Option(
        names = "--agent",
        paramLabel = "ID",
        description = "One agent's statistics (the agent itself or an admin).")
    @Nullable String agent;
  }

  @ArgGroup(exclusive = true)
  @Nullable Subject subject;

  /** The role whose agents may read the system's statistics. */
  static final String ADMIN_ROLE = "admin";

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
    if (subject != null && subject.mailbox != null) {
      MailboxStatsView m = client.stats().mailbox(subject.mailbox);
      if (out.json()) {
        out.json(m);
      } else {
        StatsViews.mailbox(m).forEach(out::line);
      }
      return ExitCode.OK;
    }
    if (subject != null && subject.agent != null) {
      AgentStats a = client.stats().agent(subject.agent);
      if (out.json()) {
        out.json(a);
      } else {
        StatsViews.agent(a).forEach(out::line);
        out.table(
            StatsViews.backlogHeader("  "),
            a.backlogs().stream().map(b -> StatsViews.backlog(b, "  ")).toList());
      }
      return ExitCode.OK;
    }
    return server(client, out);
  }

  /** The server's health, its metrics' summary and, for an admin, the system's statistics. */
  private ExitCode server(MailroomClient client, Output out) {
    Health health = client.health();
    Metrics metrics = client.metrics();
    Map<String, Double> summary = new LinkedHashMap<>();
    SERIES.keySet().forEach(k -> metrics.sum(k).ifPresent(v -> summary.put(k, v)));
    boolean up = Health.UP.equals(health.status());
    Optional<SystemStats> system = system(client, up);
    if (out.json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("health", health);
      answer.put("metrics", summary);
      system.ifPresent(s -> answer.put("system", s));
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
              .map(e -> List.of("  " + SERIES.get(e.getKey()), StatsViews.number(e.getValue())))
              .toList());
      system.ifPresent(s -> system(s, out));
    }
    return up ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }

  private static void system(SystemStats s, Output out) {
    StatsViews.system(s).forEach(out::line);
    out.line("top backlogs:" + (s.topBacklogs().isEmpty() ? " none" : ""));
    out.table(
        StatsViews.backlogHeader("  "),
        s.topBacklogs().stream().map(b -> StatsViews.backlog(b, "  ")).toList());
  }

  /**
   * The system's statistics if the caller is an admin. Without a token, or with another agent's,
   * there are none to show, which is no failure: health and metrics are what the command checks.
   * The caller's roles are read first, so that another agent's token is not refused (a denied
   * request in the audit log) each time it runs the command. While the server reports itself DOWN,
   * a failure to read them is said on standard error and the exit code tells the DOWN.
   */
  private Optional<SystemStats> system(MailroomClient client, boolean up) {
    if (!connection.hasToken(terminal())) {
      return Optional.empty();
    }
    try {
      if (!client.agents().whoami().roles().contains(ADMIN_ROLE)) {
        return Optional.empty();
      }
      return Optional.of(client.stats().system());
    } catch (MailroomClientException e) {
      if (!up) {
        terminal().err().println("mailroom: system statistics not shown: " + e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
  }
}
