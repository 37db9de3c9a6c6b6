package dev.mailroom.cli;

import dev.mailroom.protocol.AgentStats;
import dev.mailroom.protocol.BacklogView;
import dev.mailroom.protocol.MailboxStatsView;
import dev.mailroom.protocol.SystemStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the statistics of the system, a mailbox and an agent read for people: lines of {@code name:
 * value}, and backlogs as table rows. Names and ids in them came from other agents; they reach the
 * terminal through {@link Terminal#out()}, which shows control characters as escapes.
 */
final class StatsViews {
  private StatsViews() {}

  /** The system's counts and the answering node's rates. */
  static List<String> system(SystemStats s) {
    SystemStats.Counts c = s.counts();
    SystemStats.Rates r = s.rates();
    List<String> lines = new ArrayList<>();
    lines.add("system (node " + s.node() + ", store " + s.backend() + "):");
    lines.add("  agents: " + c.agents());
    lines.add("  topics: " + c.topics());
    lines.add("  subscriptions: " + c.subscriptions());
    lines.add("  pending deliveries: " + c.pendingDeliveries());
    lines.add("  dead letters: " + c.deadLetters());
    lines.add("  open streams: " + c.openStreams());
    lines.add("  active agents (5 min): " + c.activeAgents());
    lines.add("rates (last " + r.windowSeconds() + " s, this node):");
    lines.add("  requests/s: " + rate(r.requestsPerSecond()));
    lines.add("  sends/s: " + rate(r.sendsPerSecond()));
    lines.add("  deliveries/s: " + rate(r.deliveriesPerSecond()));
    lines.add("  acks/s: " + rate(r.acksPerSecond()));
    lines.add("  errors: " + String.format(Locale.ROOT, "%.1f%%", r.errorRate() * 100));
    return lines;
  }

  /** One mailbox. */
  static List<String> mailbox(MailboxStatsView m) {
    List<String> lines = new ArrayList<>();
    lines.add("mailbox:       " + m.name() + " (" + m.kind() + ")");
    lines.add("created:       " + Formats.time(m.createdAt()));
    lines.add(
        "messages:      "
            + m.size()
            + " live, "
            + m.total()
            + " received, "
            + m.dropped()
            + " dropped");
    lines.add("pending:       " + m.pending() + " deliveries not acknowledged");
    lines.add(
        "unread:        "
            + m.unread()
            + m.oldestUnreadAt()
                .map(
                    t ->
                        ", oldest "
                            + Formats.time(t)
                            + m.oldestUnreadAgeSeconds()
                                .map(a -> " (" + age(a) + " ago)")
                                .orElse(""))
                .orElse(""));
    lines.add("oldest:        " + Formats.time(m.oldestMessageAt()));
    lines.add("latest:        " + Formats.time(m.lastMessageAt()));
    lines.add("subscribers:   " + m.subscribers());
    return lines;
  }

  /** One agent, as the answering node sees it; its backlogs follow as a table. */
  static List<String> agent(AgentStats a) {
    List<String> lines = new ArrayList<>();
    lines.add("agent:      " + a.id() + " (node " + a.node() + ")");
    lines.add(
        "last seen:  " + a.lastSeenAt().map(Formats::time).orElse("not since this node started"));
    lines.add(
        "stream:     "
            + a.stream().map(s -> "open since " + Formats.time(s.openedAt())).orElse("none"));
    lines.add("backlogs:   " + (a.backlogs().isEmpty() ? "none" : a.backlogs().size()));
    return lines;
  }

  /** The header of a table of backlogs, after {@code indent}. */
  static List<String> backlogHeader(String indent) {
    return List.of(indent + "AGENT", "WAY IN", "PENDING", "OLDEST", "WAITING");
  }

  /** A backlog as a row under {@link #backlogHeader}, after {@code indent}. */
  static List<String> backlog(BacklogView b, String indent) {
    return List.of(
        indent + b.agent(),
        b.subscription(),
        Long.toString(b.pending()),
        Formats.time(b.oldestAt()),
        age(b.oldestAgeSeconds()));
  }

  /** A per-second rate, to two decimals. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.2f", perSecond);
  }

  /** An age for people: seconds under a minute, then minutes, hours, days, to one decimal. */
  static String age(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
    if (seconds < 86_400) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
    return String.format(Locale.ROOT, "%.1f d", seconds / 86_400);
  }

  /** A number as it was given: without a fraction when it is whole. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
