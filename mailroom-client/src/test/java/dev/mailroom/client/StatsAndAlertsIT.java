package dev.mailroom.client;

import static dev.mailroom.client.AdministrationIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.alert.Signal;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentStats;
import dev.mailroom.protocol.AlertList;
import dev.mailroom.protocol.AlertRuleView;
import dev.mailroom.protocol.AlertView;
import dev.mailroom.protocol.BacklogView;
import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.protocol.MailboxStatsView;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.protocol.SystemStats;
import dev.mailroom.server.AlertSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Statistics of the system, a mailbox and an agent, and alert rules, through the SDK against a
 * server that evaluates its alerts every 200 ms, starting with one rule on backlogs of 3.
 */
class StatsAndAlertsIT {
  private static final Duration INTERVAL = Duration.ofMillis(200);

  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b ->
              b.alerts(
                  AlertSettings.DEFAULTS
                      .withInterval(INTERVAL)
                      .withRules(List.of(new AlertRule("stalled", Signal.BACKLOG_PENDING, 3, 1)))));

  private final MailroomClient admin = server.admin();

  /** Sends {@code n} messages to {@code to}, from a new agent; answers their ids. */
  private static List<String> send(String to, int n) {
    MailroomClient sender = server.client(server.newAgent("sender"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SendResponse r = sender.messages().send(Draft.direct(to).text("message " + i));
      ids.add(r.id());
    }
    return ids;
  }

  @Test
  void aMailboxCountsWhatItReceivedWhatWaitsAndWhatIsUnread() {
    AgentCreated idle = server.newAgent("idle");
    Instant before = Instant.now();
    List<String> ids = send(idle.id(), 3);
    MailroomClient owner = server.client(idle);

    MailboxStatsView stats = owner.stats().mailbox(idle.id());
    assertThat(stats.name()).isEqualTo(idle.id());
    assertThat(stats.kind()).isEqualTo("agent");
    assertThat(stats.size()).isEqualTo(3);
    assertThat(stats.total()).isEqualTo(3);
    assertThat(stats.dropped()).isZero();
    assertThat(stats.pending()).isEqualTo(3);
    assertThat(stats.unread()).isEqualTo(3);
    assertThat(stats.subscribers()).isEqualTo(1);
    assertThat(stats.oldestUnreadAt()).hasValueSatisfying(t -> assertThat(t).isAfter(before));
    assertThat(stats.oldestUnreadAgeSeconds())
        .hasValueSatisfying(a -> assertThat(a).isNotNegative());
    assertThat(stats.oldestMessageAt()).isEqualTo(stats.oldestUnreadAt());
    assertThat(stats.lastMessageAt()).hasValueSatisfying(t -> assertThat(t).isAfter(before));

    // Acknowledging settles a delivery but leaves the message unread; reading does both.
    owner.messages().ack(ids.get(0));
    owner.messages().markRead(ids.get(1));
    MailboxStatsView after = admin.stats().mailbox(idle.id());
    assertThat(after.total()).isEqualTo(3);
    assertThat(after.size()).isEqualTo(3);
    assertThat(after.pending()).isEqualTo(1);
    assertThat(after.unread()).isEqualTo(2);

    MailroomClient stranger = server.client(server.newAgent("stranger"));
    assertKind(() -> stranger.stats().mailbox(idle.id()), MailroomClientException.Kind.FORBIDDEN);
  }

  @Test
  void anAgentsStatsShowItsBacklogItsStreamAndWhenItWasLastSeen() {
    Instant before = Instant.now().minusSeconds(1);
    AgentCreated slow = server.newAgent("slow");
    send(slow.id(), 3);
    MailroomClient self = server.client(slow);

    AgentStats stats = self.stats().agent(slow.id());
    assertThat(stats.id()).isEqualTo(slow.id());
    assertThat(stats.node()).isNotBlank();
    assertThat(stats.stream()).isEmpty();
    // Its own request is the first the node saw of it.
    assertThat(stats.lastSeenAt())
        .hasValueSatisfying(t -> assertThat(t).isBetween(before, Instant.now().plusSeconds(1)));
    assertThat(stats.backlogs())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.agent()).isEqualTo(slow.id());
              assertThat(b.subscription()).isEqualTo("inbox");
              assertThat(b.pending()).isEqualTo(3);
              assertThat(b.oldestAgeSeconds()).isNotNegative();
            });

    AgentCreated listener = server.newAgent("listener");
    MailroomClient streaming = server.client(listener);
    Instant opened = Instant.now().minusSeconds(1);
    try (MessageStream stream = streaming.stream(m -> {})) {
      AgentStats live =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> admin.stats().agent(listener.id()), s -> s.stream().isPresent());
      assertThat(live.stream().orElseThrow().openedAt()).isAfter(opened);
      assertThat(live.backlogs()).isEmpty();
    }

    assertKind(() -> self.stats().agent(listener.id()), MailroomClientException.Kind.FORBIDDEN);
    assertKind(() -> admin.stats().agent("no-such-agent"), MailroomClientException.Kind.NOT_FOUND);
  }

  @Test
  void theSystemStatsCountTheStoreAndListTheLargestBacklogs() {
    AgentCreated swamped = server.newAgent("swamped");
    send(swamped.id(), 12);
    admin.topics().create("stats.counted", TopicSettings.inheritAll());

    // Alerts that fire publish to topics of their own, which may appear meanwhile.
    long topicsBefore = admin.topics().all("").count();
    SystemStats stats = admin.stats().system();
    long topicsAfter = admin.topics().all("").count();
    assertThat(stats.backend()).isEqualTo("sqlite");
    assertThat(stats.node()).isEqualTo(admin.alerts().list().node());
    assertThat(stats.generatedAt()).isBeforeOrEqualTo(Instant.now());
    assertThat(stats.counts().agents()).isEqualTo(admin.agents().list().agents().size());
    assertThat(stats.counts().topics()).isBetween(topicsBefore, topicsAfter).isPositive();
    assertThat(stats.counts().pendingDeliveries()).isGreaterThanOrEqualTo(12);
    assertThat(stats.counts().deadLetters()).isZero();
    assertThat(stats.counts().activeAgents()).isPositive();
    assertThat(stats.rates().windowSeconds()).isEqualTo(60);
    // The 12 sends fall in the current ten seconds, which the last minute's window always holds.
    assertThat(stats.rates().sendsPerSecond()).isGreaterThanOrEqualTo(12 / 60.0);
    assertThat(stats.rates().requestsPerSecond()).isPositive();
    assertThat(stats.rates().errorRate()).isBetween(0.0, 1.0);
    assertThat(stats.topBacklogs()).hasSizeLessThanOrEqualTo(10);
    assertThat(stats.topBacklogs().getFirst())
        .satisfies(
            b -> {
              assertThat(b.agent()).isEqualTo(swamped.id());
              assertThat(b.subscription()).isEqualTo("inbox");
              assertThat(b.pending()).isEqualTo(12);
            });
    assertThat(stats.topBacklogs())
        .extracting(BacklogView::pending)
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));

    MailroomClient agent = server.client(server.newAgent("curious"));
    assertKind(() -> agent.stats().system(), MailroomClientException.Kind.FORBIDDEN);
  }

  @Test
  void anAdminAddsReplacesAndRemovesARule() {
    AlertList start = admin.alerts().list();
    assertThat(start.enabled()).isTrue();
    assertThat(start.intervalSeconds()).isEqualTo(0.2);
    assertThat(start.node()).isNotBlank();
    assertThat(start.rules()).extracting(AlertRuleView::name).contains("stalled");

    AlertRuleView added = admin.alerts().put("dlq-page", "dead_letters", 10, 2);
    assertThat(added).isEqualTo(new AlertRuleView("dlq-page", "dead_letters", 10, 2, 0));
    assertThat(admin.alerts().list().rules()).contains(added);

    AlertRuleView replaced = admin.alerts().put("dlq-page", "dead_letters", 20, 5);
    assertThat(replaced.fireAt()).isEqualTo(20);
    assertThat(admin.alerts().list().rules())
        .filteredOn(r -> r.name().equals("dlq-page"))
        .containsExactly(new AlertRuleView("dlq-page", "dead_letters", 20, 5, 0));

    assertThatThrownBy(() -> admin.alerts().put("dlq-page", "dead_letters", 2, 2))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.BAD_REQUEST);
              assertThat(e.fieldErrors()).extracting(FieldErrorView::field).contains("resolve_at");
            });
    assertKind(
        () -> admin.alerts().put("dlq-page", "no_such_signal", 2, 1),
        MailroomClientException.Kind.BAD_REQUEST);
    assertKind(
        () -> admin.alerts().put("Bad Name", "dead_letters", 2, 1),
        MailroomClientException.Kind.BAD_REQUEST);
    assertThat(admin.alerts().list().rules()).contains(replaced);

    admin.alerts().remove("dlq-page");
    assertThat(admin.alerts().list().rules())
        .extracting(AlertRuleView::name)
        .doesNotContain("dlq-page");
    assertKind(() -> admin.alerts().remove("dlq-page"), MailroomClientException.Kind.NOT_FOUND);

    MailroomClient agent = server.client(server.newAgent("not-admin"));
    assertKind(() -> agent.alerts().list(), MailroomClientException.Kind.FORBIDDEN);
    assertKind(
        () -> agent.alerts().put("mine", "dead_letters", 2, 1),
        MailroomClientException.Kind.FORBIDDEN);
    assertKind(() -> agent.alerts().remove("stalled"), MailroomClientException.Kind.FORBIDDEN);
    assertThat(admin.alerts().list().rules()).extracting(AlertRuleView::name).contains("stalled");
  }

  @Test
  void aBacklogOverARulesThresholdIsListedAsFiring() {
    Instant before = Instant.now().minusSeconds(1);
    AgentCreated stalled = server.newAgent("stalled-worker");
    send(stalled.id(), 4);
    String subject = stalled.id() + "/inbox";

    // It may fire at the third message; its value is the last evaluation's, soon 4.
    AlertView firing =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    admin.alerts().list().firing().stream()
                        .filter(a -> a.subject().equals(subject) && a.value() == 4)
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(firing.rule()).isEqualTo("stalled");
    assertThat(firing.signal()).isEqualTo("backlog_pending");
    assertThat(firing.since()).isBetween(before, Instant.now());
    assertThat(admin.alerts().list().rules())
        .filteredOn(r -> r.name().equals("stalled"))
        .singleElement()
        .satisfies(r -> assertThat(r.firing()).isPositive());
  }
}
