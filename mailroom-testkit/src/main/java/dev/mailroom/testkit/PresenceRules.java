package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.spi.PresenceStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Presence: marks that lapse by themselves, from any number of nodes, cleared one by one; and
 * last-seen times that only move forward.
 */
abstract class PresenceRules extends ContractRules {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");

  PresenceRules(StorageFixture fixture) {
    super(fixture);
  }

  private PresenceStore presence() {
    return storage().presence();
  }

  @Test
  void nobodyIsOnlineAtFirst() {
    assertThat(presence().online(now())).isEmpty();
  }

  @Test
  void aMarkHoldsUntilItLapses() {
    Instant until = now().plusSeconds(15);
    presence().mark("n1", List.of(ALICE, BOB), until);

    assertThat(presence().online(now())).containsExactlyInAnyOrder(ALICE, BOB);
    assertThat(presence().online(until.minusMillis(1))).containsExactlyInAnyOrder(ALICE, BOB);
    assertThat(presence().online(until)).isEmpty();
  }

  @Test
  void aRefreshExtendsTheMark() {
    presence().mark("n1", List.of(ALICE), now().plusSeconds(15));
    presence().mark("n1", List.of(ALICE), now().plusSeconds(30));

    assertThat(presence().online(now().plusSeconds(20))).containsExactly(ALICE);
  }

  @Test
  void anAgentIsOnlineWhileAnyNodeMarksIt() {
    presence().mark("n1", List.of(ALICE), now().plusSeconds(15));
    presence().mark("n2", List.of(ALICE), now().plusSeconds(15));

    presence().clear("n1", ALICE);
    assertThat(presence().online(now())).containsExactly(ALICE);

    presence().clear("n2", ALICE);
    assertThat(presence().online(now())).isEmpty();
  }

  @Test
  void clearingRemovesOnlyThatNodesMarkOfThatAgent() {
    presence().mark("n1", List.of(ALICE, BOB), now().plusSeconds(15));

    presence().clear("n1", ALICE);
    presence().clear("n2", BOB);

    assertThat(presence().online(now())).containsExactly(BOB);
  }

  @Test
  void sweepingRemovesOnlyLapsedMarks() {
    presence().mark("n1", List.of(ALICE), now().plusSeconds(5));
    presence().mark("n2", List.of(BOB), now().plusSeconds(30));

    presence().sweep(now().plusSeconds(10));

    assertThat(presence().online(now())).containsExactly(BOB);
  }

  @Test
  void lastSeenOnlyMovesForward() {
    agent("alice");
    agent("bob");
    Instant first = tick(1_000);
    Instant later = first.plusSeconds(60);

    presence().seen(Map.of(ALICE, later));
    presence().seen(Map.of(ALICE, first, BOB, first));

    assertThat(presence().lastSeen(List.of(ALICE, BOB, AgentId.of("carol"))))
        .containsExactlyInAnyOrderEntriesOf(Map.of(ALICE, later, BOB, first));
    assertThat(presence().lastSeen(List.of())).isEmpty();
  }
}
