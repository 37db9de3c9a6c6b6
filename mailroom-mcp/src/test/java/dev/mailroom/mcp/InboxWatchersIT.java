package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The inbox watches against a real server: what they report, their limits and how they end. */
class InboxWatchersIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final InboxWatchers watchers = new InboxWatchers(2, 1, Duration.ofSeconds(2));

  @AfterEach
  void close() {
    watchers.close();
  }

  /** A session that always listens and counts its notifications. */
  private static final class Session implements WatchedSession {
    final String id;
    final AgentCreated agent;
    final AtomicInteger updates = new AtomicInteger();

    Session(String id, AgentCreated agent) {
      this.id = id;
      this.agent = agent;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String agent() {
      return agent.id();
    }

    @Override
    public MailroomClient client() {
      return server.client(agent);
    }

    @Override
    public boolean open() {
      return true;
    }

    @Override
    public boolean awaitListening(Duration max) {
      return true;
    }

    @Override
    public void inboxUpdated() {
      updates.incrementAndGet();
    }
  }

  @Test
  void reportsMailThatArrivesAfterTheWatchStartedNotMailFromBefore() {
    AgentCreated bob = server.newAgent("bob");
    MailroomClient alice = server.client(server.newAgent("alice"));
    alice.messages().send(Draft.direct(bob.id()).text("old, unread"));
    Session s = new Session("s1", bob);

    assertThat(watchers.start(s)).isEmpty();
    alice.messages().send(Draft.direct(bob.id()).text("new"));

    await().atMost(Duration.ofSeconds(20)).until(() -> s.updates.get() == 1);
  }

  @Test
  void boundsWatchesPerAgentAndInAllAndEndsThemWhenStopped() {
    AgentCreated bob = server.newAgent("bob");
    Session first = new Session("b1", bob);
    Session second = new Session("b2", bob);
    Session carol = new Session("c1", server.newAgent("carol"));
    Session dave = new Session("d1", server.newAgent("dave"));

    assertThat(watchers.start(first)).isEmpty();
    assertThat(watchers.start(first)).as("already watched").isEmpty();
    assertThat(watchers.start(second)).get().asString().contains("other sessions");
    assertThat(watchers.start(carol)).isEmpty();
    assertThat(watchers.start(dave)).get().asString().contains("as many inboxes");

    watchers.stop("b1");
    assertThat(watchers.watching("b1")).isFalse();
    assertThat(watchers.start(dave)).isEmpty();
  }

  @Test
  void aWatchWhoseTokenIsRevokedEndsByItself() {
    AgentCreated bob = server.newAgent("bob");
    Session s = new Session("r1", bob);
    assertThat(watchers.start(s)).isEmpty();

    try (MailroomClient admin = server.admin()) {
      admin.agents().revokeToken(bob.id());
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> !watchers.watching("r1"));
  }

  @Test
  void aSessionWhoseInboxCannotBeReadIsNotWatched() {
    AgentCreated bob = server.newAgent("bob");
    try (MailroomClient admin = server.admin()) {
      admin.agents().revokeToken(bob.id());
    }

    assertThat(watchers.start(new Session("x1", bob)))
        .get()
        .asString()
        .startsWith("cannot watch the inbox: not authenticated");
  }
}
