package dev.mailroom.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's presence: the first connection marks an agent, the last one closing clears it, the
 * refresher renews marks and writes last-seen times at most once per interval. The refresher's own
 * thread never runs here (its interval is an hour); the tests run its rounds themselves.
 */
class PresenceTest {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final Presence.Settings SETTINGS =
      new Presence.Settings(Duration.ofHours(1), Duration.ofHours(2), Duration.ofMinutes(1));

  private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"));
  private final Storage storage = InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS);
  private final PresenceStore store = storage.presence();
  private final Presence presence = Presence.start(store, "n1", clock, SETTINGS);

  @AfterEach
  void close() {
    presence.close();
    storage.close();
  }

  @Test
  void anAgentIsOnlineFromItsFirstConnectionUntilItsLastCloses() {
    Presence.Connection first = presence.connected(ALICE);
    assertThat(store.online(clock.instant())).containsExactly(ALICE);

    Presence.Connection second = presence.connected(ALICE);
    first.close();
    first.close(); // closing twice counts once
    assertThat(store.online(clock.instant())).containsExactly(ALICE);

    second.close();
    assertThat(store.online(clock.instant())).isEmpty();
    assertThat(presence.connectedHere(ALICE)).isFalse();
  }

  @Test
  void aMarkLapsesUnlessTheRefresherRenewsIt() {
    presence.connected(ALICE);
    clock.advance(Duration.ofMinutes(90));
    presence.refresh();
    clock.advance(Duration.ofMinutes(90));

    assertThat(store.online(clock.instant())).containsExactly(ALICE);
    clock.advance(Duration.ofHours(1));
    assertThat(store.online(clock.instant())).isEmpty();
  }

  @Test
  void lastSeenIsWrittenByTheRefresherAtMostOncePerInterval() {
    presence.seen(ALICE);
    assertThat(store.lastSeen(List.of(ALICE))).isEmpty(); // never on the request's path

    Instant first = clock.instant();
    presence.refresh();
    assertThat(store.lastSeen(List.of(ALICE))).containsEntry(ALICE, first);

    clock.advance(Duration.ofSeconds(30));
    presence.seen(ALICE);
    presence.refresh();
    assertThat(store.lastSeen(List.of(ALICE))).containsEntry(ALICE, first);

    clock.advance(Duration.ofSeconds(31));
    presence.seen(ALICE);
    presence.refresh();
    assertThat(store.lastSeen(List.of(ALICE))).containsEntry(ALICE, clock.instant());
  }

  @Test
  void closingClearsTheNodesMarks() {
    presence.connected(ALICE);
    presence.close();

    assertThat(store.online(clock.instant())).isEmpty();
  }
}
