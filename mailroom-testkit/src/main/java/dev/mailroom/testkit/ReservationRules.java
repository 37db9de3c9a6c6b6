package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.reservation.PathPattern;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.ReservationStore.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Reservations: granted unless they conflict with another agent's live one (exclusive against
 * anything overlapping, shared with shared), atomically; invisible from their expiry on; renewed,
 * released and listed.
 */
abstract class ReservationRules extends ContractRules {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final ProjectName REPO = ProjectName.of("repo");

  private int next;

  ReservationRules(StorageFixture fixture) {
    super(fixture);
  }

  private ReservationStore store() {
    return storage().reservations();
  }

  private Reservation wanted(String holder, Reservation.Mode mode, String... patterns) {
    return wanted(REPO, holder, mode, HOUR, patterns);
  }

  private Reservation wanted(
      ProjectName project, String holder, Reservation.Mode mode, Duration ttl, String... patterns) {
    Instant now = now();
    return new Reservation(
        String.format("res_%04d", next++),
        project,
        AgentId.of(holder),
        Arrays.stream(patterns).map(PathPattern::new).toList(),
        mode,
        "because " + holder,
        now,
        now.plus(ttl));
  }

  private Reservation granted(Reservation r) {
    Outcome o = store().reserve(r, now());
    assertThat(o).isEqualTo(new Outcome.Granted(r));
    return r;
  }

  private List<Reservation> refused(Reservation r) {
    Outcome o = store().reserve(r, now());
    assertThat(o).isInstanceOf(Outcome.Refused.class);
    assertThat(store().find(r.id(), now())).isEmpty();
    return ((Outcome.Refused) o).conflicts();
  }

  private List<Reservation> all() {
    return store().list(Optional.empty(), Optional.empty(), Optional.empty(), 1000, now());
  }

  @Test
  void aGrantedReservationIsFoundWithEverythingItHolds() {
    Reservation r =
        granted(wanted("alice", Reservation.Mode.EXCLUSIVE, "src/**/*.java", "README.md"));

    assertThat(store().find(r.id(), now())).contains(r);
    assertThat(store().find("res_none", now())).isEmpty();
    assertThat(all()).containsExactly(r);
  }

  @Test
  void anExclusiveReservationRefusesAnotherAgentsOverlappingOneNamingIt() {
    Reservation alice = granted(wanted("alice", Reservation.Mode.EXCLUSIVE, "src/**"));

    assertThat(refused(wanted("bob", Reservation.Mode.EXCLUSIVE, "src/main/A.java")))
        .containsExactly(alice);
    assertThat(refused(wanted("bob", Reservation.Mode.SHARED, "docs/x", "src/*/B.java")))
        .containsExactly(alice);
    assertThat(all()).containsExactly(alice);
  }

  @Test
  void sharedReservationsShareButRefuseAnExclusiveOne() {
    Reservation alice = granted(wanted("alice", Reservation.Mode.SHARED, "docs/*.md"));
    Reservation bob = granted(wanted("bob", Reservation.Mode.SHARED, "docs/API.md"));

    assertThat(refused(wanted("carol", Reservation.Mode.EXCLUSIVE, "docs/**")))
        .containsExactlyInAnyOrder(alice, bob);
  }

  @Test
  void disjointPathsOtherProjectsAndTheSameHolderNeverConflict() {
    granted(wanted("alice", Reservation.Mode.EXCLUSIVE, "src/*.java"));

    granted(wanted("bob", Reservation.Mode.EXCLUSIVE, "src/sub/A.java", "docs/**"));
    granted(wanted(ProjectName.of("other"), "bob", Reservation.Mode.EXCLUSIVE, HOUR, "src/A.java"));
    granted(wanted("alice", Reservation.Mode.EXCLUSIVE, "src/A.java"));
    assertThat(all()).hasSize(4);
  }

  @Test
  void anExpiredReservationIsInvisibleAtOnceAndConflictsWithNothing() {
    Reservation alice =
        granted(wanted(REPO, "alice", Reservation.Mode.EXCLUSIVE, Duration.ofSeconds(10), "a/**"));
    Instant expiry = alice.expiresAt();

    assertThat(store().find(alice.id(), expiry.minusMillis(1))).contains(alice);
    assertThat(store().find(alice.id(), expiry)).isEmpty();
    clock().advance(Duration.ofSeconds(10));

    assertThat(all()).isEmpty();
    assertThat(store().live(REPO, now())).isEmpty();
    assertThat(store().renew(alice.id(), now().plus(HOUR), now())).isEmpty();
    assertThat(store().release(alice.id(), now())).isFalse();
    Reservation bob = granted(wanted("bob", Reservation.Mode.EXCLUSIVE, "a/b"));
    assertThat(all()).containsExactly(bob);
  }

  @Test
  void renewingMovesTheExpiryOfALiveReservation() {
    Reservation alice =
        granted(wanted(REPO, "alice", Reservation.Mode.EXCLUSIVE, Duration.ofSeconds(10), "a"));
    tick(5_000);
    Instant later = now().plus(HOUR);

    Optional<Reservation> renewed = store().renew(alice.id(), later, now());

    assertThat(renewed).contains(alice.withExpiry(later));
    clock().advance(Duration.ofSeconds(30));
    assertThat(store().find(alice.id(), now())).contains(alice.withExpiry(later));
    assertThat(refused(wanted("bob", Reservation.Mode.SHARED, "a")))
        .containsExactly(alice.withExpiry(later));
    assertThat(store().renew("res_none", later, now())).isEmpty();
  }

  @Test
  void releasingFreesThePathsAtOnce() {
    Reservation alice = granted(wanted("alice", Reservation.Mode.EXCLUSIVE, "a/*"));

    assertThat(store().release(alice.id(), now())).isTrue();

    assertThat(store().find(alice.id(), now())).isEmpty();
    assertThat(store().release(alice.id(), now())).isFalse();
    granted(wanted("bob", Reservation.Mode.EXCLUSIVE, "a/b"));
  }

  @Test
  void listingFiltersByProjectAndHolderAndPagesById() {
    Reservation a = granted(wanted("alice", Reservation.Mode.SHARED, "x"));
    Reservation b = granted(wanted("bob", Reservation.Mode.SHARED, "x"));
    Reservation c =
        granted(wanted(ProjectName.of("other"), "alice", Reservation.Mode.SHARED, HOUR, "x"));
    Reservation d = granted(wanted("alice", Reservation.Mode.SHARED, "y"));

    assertThat(all()).containsExactly(a, b, c, d);
    assertThat(store().list(Optional.of(REPO), Optional.empty(), Optional.empty(), 10, now()))
        .containsExactly(a, b, d);
    assertThat(
            store()
                .list(
                    Optional.empty(),
                    Optional.of(AgentId.of("alice")),
                    Optional.empty(),
                    10,
                    now()))
        .containsExactly(a, c, d);
    assertThat(
            store()
                .list(
                    Optional.of(REPO),
                    Optional.of(AgentId.of("alice")),
                    Optional.empty(),
                    10,
                    now()))
        .containsExactly(a, d);
    assertThat(store().list(Optional.empty(), Optional.empty(), Optional.empty(), 2, now()))
        .containsExactly(a, b);
    assertThat(store().list(Optional.empty(), Optional.empty(), Optional.of(b.id()), 2, now()))
        .containsExactly(c, d);
    assertThat(store().live(REPO, now())).containsExactlyInAnyOrder(a, b, d);
  }

  @Test
  void purgingRemovesOnlyTheExpired() {
    Reservation shortLived =
        granted(wanted(REPO, "alice", Reservation.Mode.SHARED, Duration.ofSeconds(1), "x"));
    Reservation longLived = granted(wanted("bob", Reservation.Mode.SHARED, "x"));
    clock().advance(Duration.ofSeconds(2));

    assertThat(store().purgeExpired(now())).isEqualTo(1);

    assertThat(store().find(shortLived.id(), now().minus(Duration.ofSeconds(2)))).isEmpty();
    assertThat(all()).containsExactly(longLived);
    assertThat(store().purgeExpired(now())).isZero();
  }

  @Test
  void ofManyConcurrentConflictingRequestsExactlyOneIsGranted() throws Exception {
    List<Callable<Outcome>> racers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Reservation r = wanted("agent" + i, Reservation.Mode.EXCLUSIVE, "src/**");
      racers.add(() -> store().reserve(r, now()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(racers.size());
    try {
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : pool.invokeAll(racers)) {
        outcomes.add(f.get());
      }
      List<Outcome> granted = outcomes.stream().filter(o -> o instanceof Outcome.Granted).toList();
      assertThat(granted).hasSize(1);
      Reservation winner = ((Outcome.Granted) granted.get(0)).reservation();
      assertThat(outcomes)
          .filteredOn(o -> o instanceof Outcome.Refused)
          .allSatisfy(o -> assertThat(((Outcome.Refused) o).conflicts()).containsExactly(winner));
      assertThat(all()).containsExactly(winner);
    } finally {
      pool.shutdownNow();
    }
  }
}
