package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.AgentStats;
import dev.mailroom.protocol.BacklogView;
import dev.mailroom.protocol.MailboxStatsView;
import dev.mailroom.protocol.SystemStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code mailroom stats} shows statistics, and the options it refuses, without a server. */
class StatsCommandTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void theSystemsCountsAndRatesReadAsLines() {
    SystemStats s =
        new SystemStats(
            "node-a",
            T,
            "sqlite",
            new SystemStats.Counts(5, 2, 3, 12, 1, 4, 2),
            new SystemStats.Rates(60, 1.5, 0.25, 0.125, 0, 0.0125, java.util.Optional.of(3.5)),
            List.of());

    assertThat(StatsViews.system(s))
        .containsExactly(
            "system (node node-a, store sqlite):",
            "  agents: 5",
            "  topics: 2",
            "  subscriptions: 3",
            "  pending deliveries: 12",
            "  dead letters: 1",
            "  open streams: 4",
            "  active agents (5 min): 2",
            "rates (last 60 s, this node):",
            "  requests/s: 1.50",
            "  sends/s: 0.25",
            "  deliveries/s: 0.13",
            "  acks/s: 0.00",
            "  errors: 1.3%");
  }

  @Test
  void aMailboxShowsWhatItHoldsWaitsAndIsUnread() {
    MailboxStatsView m =
        new MailboxStatsView(
            "bob",
            "agent",
            3,
            4,
            1,
            2,
            3,
            Optional.of(T),
            Optional.of(90.0),
            Optional.of(T),
            Optional.of(T.plusSeconds(5)),
            T.minusSeconds(3600),
            1);

    assertThat(StatsViews.mailbox(m))
        .containsExactly(
            "mailbox:       bob (agent)",
            "created:       2026-03-01 11:00:00Z",
            "messages:      3 live, 4 received, 1 dropped",
            "pending:       2 deliveries not acknowledged",
            "unread:        3, oldest 2026-03-01 12:00:00Z (1.5 min ago)",
            "oldest:        2026-03-01 12:00:00Z",
            "latest:        2026-03-01 12:00:05Z",
            "subscribers:   1");
    MailboxStatsView empty =
        new MailboxStatsView(
            "jobs",
            "topic",
            0,
            0,
            0,
            0,
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            T,
            2);
    assertThat(StatsViews.mailbox(empty))
        .contains("unread:        0", "oldest:        -", "latest:        -");
  }

  @Test
  void anAgentShowsItsStreamAndItsBacklogsAsRows() {
    BacklogView inbox = new BacklogView("bob", "inbox", 3, T, 7200);
    AgentStats a =
        new AgentStats(
            "bob",
            "node-a",
            Optional.of(T),
            Optional.of(new AgentStats.Stream(T.minusSeconds(60))),
            List.of(inbox));

    assertThat(StatsViews.agent(a))
        .containsExactly(
            "agent:      bob (node node-a)",
            "last seen:  2026-03-01 12:00:00Z",
            "stream:     open since 2026-03-01 11:59:00Z",
            "backlogs:   1");
    assertThat(StatsViews.backlog(inbox, "  "))
        .containsExactly("  bob", "inbox", "3", "2026-03-01 12:00:00Z", "2.0 h");
    AgentStats idle =
        new AgentStats("eve", "node-a", Optional.empty(), Optional.empty(), List.of());
    assertThat(StatsViews.agent(idle))
        .contains(
            "last seen:  not since this node started", "stream:     none", "backlogs:   none");
  }

  @Test
  void agesAndNumbersReadForPeople() {
    assertThat(StatsViews.age(0)).isEqualTo("0.0 s");
    assertThat(StatsViews.age(59.94)).isEqualTo("59.9 s");
    assertThat(StatsViews.age(60)).isEqualTo("1.0 min");
    assertThat(StatsViews.age(3600)).isEqualTo("1.0 h");
    assertThat(StatsViews.age(86_400 * 3)).isEqualTo("3.0 d");
    assertThat(StatsViews.number(1000)).isEqualTo("1000");
    assertThat(StatsViews.number(0.05)).isEqualTo("0.05");
    assertThat(StatsViews.number(1L << 30)).isEqualTo("1073741824");
  }

  @Test
  void aMailboxAndAnAgentAtOnceIsBadUsage() {
    Cli.Result both = Cli.bare().run("stats", "--mailbox", "a", "--agent", "b");
    assertThat(both.exit()).as("%s", both).isEqualTo(ExitCode.USAGE.code());
    assertThat(both.err()).contains("mutually exclusive");
  }
}
