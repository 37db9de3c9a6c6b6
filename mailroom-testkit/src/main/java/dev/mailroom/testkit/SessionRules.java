package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.ConsoleSession;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The web console's sessions: stored by the hash of their secret, found until they expire, deleted
 * one by one (signing out) or all those expired at once.
 */
abstract class SessionRules extends ContractRules {
  private static final Duration HOUR = Duration.ofHours(1);

  SessionRules(StorageFixture fixture) {
    super(fixture);
  }

  /** A session of {@code agent}, opened with its token ({@code hash-<agent>}) now. */
  private ConsoleSession session(String hash, String agent, Duration lifetime) {
    Instant now = now();
    return new ConsoleSession(hash, AgentId.of(agent), "hash-" + agent, now, now.plus(lifetime));
  }

  private ConsoleSession opened(String hash, String agent, Duration lifetime) {
    ConsoleSession session = session(hash, agent, lifetime);
    agents().createSession(session);
    return session;
  }

  @Test
  void createdSessionCanBeFound() {
    agent("alice");
    tick(1_234);
    ConsoleSession session = opened("s-alice", "alice", Duration.ofMillis(3_600_567));

    assertThat(agents().findSession("s-alice", now())).contains(session);
  }

  @Test
  void anUnknownHashFindsNothing() {
    assertThat(agents().findSession("s-none", now())).isEmpty();

    agent("alice");
    opened("s-alice", "alice", HOUR);

    assertThat(agents().findSession("s-none", now())).isEmpty();
    assertThat(agents().findSession("s-alic", now())).isEmpty();
  }

  @Test
  void aSessionIsFoundUntilItsExpiryAndNotFromThen() {
    agent("alice");
    ConsoleSession session = opened("s-alice", "alice", HOUR);
    Instant expiry = session.expiresAt();

    assertThat(agents().findSession("s-alice", expiry.minusMillis(1))).contains(session);
    assertThat(agents().findSession("s-alice", expiry)).isEmpty();
    assertThat(agents().findSession("s-alice", expiry.plusMillis(1))).isEmpty();
    assertThat(agents().findSession("s-alice", expiry.plus(Duration.ofDays(30)))).isEmpty();

    clock().advance(HOUR.minusMillis(1));
    assertThat(agents().findSession("s-alice", now())).contains(session);
    tick(1);
    assertThat(agents().findSession("s-alice", now())).isEmpty();
  }

  @Test
  void deletingASessionSignsItOut() {
    agent("alice");
    opened("s-alice", "alice", HOUR);

    assertThat(agents().deleteSession("s-alice")).isTrue();

    assertThat(agents().findSession("s-alice", now())).isEmpty();
    assertThat(agents().deleteSession("s-alice")).isFalse();
    assertThat(agents().deleteSession("s-never")).isFalse();
  }

  @Test
  void creatingASessionAgainUnderItsHashReplacesIt() {
    agent("alice");
    agent("bob");
    opened("s-1", "alice", HOUR);
    tick(5_000);
    ConsoleSession again = opened("s-1", "bob", Duration.ofMinutes(10));

    assertThat(agents().findSession("s-1", now())).contains(again);
    assertThat(agents().findSession("s-1", again.expiresAt())).isEmpty();

    assertThat(agents().deleteSession("s-1")).isTrue();
    assertThat(agents().findSession("s-1", now())).isEmpty();
  }

  @Test
  void deletingExpiredSessionsRemovesThoseAndOnlyThose() {
    agent("alice");
    agent("bob");
    ConsoleSession early = opened("s-early", "alice", Duration.ofMinutes(1));
    ConsoleSession onTheDot = opened("s-dot", "bob", Duration.ofMinutes(10));
    ConsoleSession live = opened("s-live", "alice", HOUR);
    clock().advance(Duration.ofMinutes(10));

    assertThat(agents().deleteExpiredSessions(now())).isEqualTo(2);

    assertThat(agents().findSession("s-live", now())).contains(live);
    // Gone, not merely expired: found by no instant, and nothing left to delete.
    assertThat(agents().findSession("s-early", early.createdAt())).isEmpty();
    assertThat(agents().findSession("s-dot", onTheDot.createdAt())).isEmpty();
    assertThat(agents().deleteSession("s-early")).isFalse();
    assertThat(agents().deleteSession("s-dot")).isFalse();
    assertThat(agents().deleteExpiredSessions(now())).isZero();
    assertThat(agents().findSession("s-live", now())).contains(live);
  }

  @Test
  void deletingExpiredSessionsWhenNoneHasExpiredRemovesNothing() {
    agent("alice");
    ConsoleSession session = opened("s-alice", "alice", HOUR);

    assertThat(agents().deleteExpiredSessions(now())).isZero();
    assertThat(agents().deleteExpiredSessions(session.expiresAt().minusMillis(1))).isZero();

    assertThat(agents().findSession("s-alice", now())).contains(session);
  }

  @Test
  void theStoreLeavesCheckingTheTokenToTheCaller() {
    agent("alice");
    ConsoleSession session = opened("s-alice", "alice", HOUR);

    agents().revokeToken(AgentId.of("alice"));

    assertThat(agents().findSession("s-alice", now())).contains(session);
  }

  @Test
  void sessionsOfTwoAgentsAreIndependent() {
    agent("alice");
    agent("bob");
    ConsoleSession alice = opened("s-alice", "alice", HOUR);
    ConsoleSession bob = opened("s-bob", "bob", Duration.ofMinutes(5));

    assertThat(agents().findSession("s-alice", now())).contains(alice);
    assertThat(agents().findSession("s-bob", now())).contains(bob);

    assertThat(agents().deleteSession("s-alice")).isTrue();
    assertThat(agents().findSession("s-alice", now())).isEmpty();
    assertThat(agents().findSession("s-bob", now())).contains(bob);

    clock().advance(Duration.ofMinutes(5));
    opened("s-alice", "alice", HOUR);
    assertThat(agents().deleteExpiredSessions(now())).isEqualTo(1);
    assertThat(agents().findSession("s-bob", bob.createdAt())).isEmpty();
    assertThat(agents().findSession("s-alice", now())).isPresent();
  }

  @Test
  void sessionsAreNotToldToTheListener() {
    AgentId alice = agent("alice");
    RecordingListener listener = new RecordingListener();
    storage().listen(listener);

    opened("s-alice", "alice", HOUR);
    opened("s-alice", "alice", Duration.ofMinutes(1));
    opened("s-other", "alice", HOUR);
    agents().deleteSession("s-other");
    clock().advance(Duration.ofMinutes(1));
    agents().deleteExpiredSessions(now());
    // A change that is told, after them: whatever the sessions had caused would come first.
    agents().revokeToken(alice);

    assertThat(listener.changes()).containsExactly("agent changed alice");
  }

  @Test
  void sessionsSurviveReopening() {
    assumeTrue(
        fixture().can(StorageContract.Capability.REOPEN),
        "the backend does not declare Capability.REOPEN");
    agent("alice");
    ConsoleSession session = opened("s-alice", "alice", HOUR);
    opened("s-gone", "alice", HOUR);
    agents().deleteSession("s-gone");

    fixture().reopen();

    assertThat(agents().findSession("s-alice", now())).contains(session);
    assertThat(agents().findSession("s-gone", now())).isEmpty();
  }
}
