package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Enrollment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The directory's part of the agent store: profiles an agent edits, retirement (its token revoked
 * for good, its mail kept) and enrollments that register agents a number of times at most.
 */
abstract class DirectoryRules extends ContractRules {
  private static final AgentProfile PROFILE =
      new AgentProfile(
          Optional.of("Build bot ✓"),
          Optional.of("Builds the project.\nReports failures."),
          Optional.of("claude-code"),
          Optional.of("claude-sonnet"),
          List.of(Tag.of("team:ci"), Tag.of("build")));

  DirectoryRules(StorageFixture fixture) {
    super(fixture);
  }

  private AgentRecord find(String id) {
    return agents().find(AgentId.of(id)).orElseThrow();
  }

  private Enrollment issued(String id, int uses, Duration ttl, Role... roles) {
    Instant now = now();
    Enrollment e =
        new Enrollment(
            id,
            Set.of(roles),
            uses,
            uses,
            now,
            now.plus(ttl),
            Optional.of("worker-"),
            AgentId.of("admin"));
    agents().createEnrollment(e, "enroll-" + id);
    return e;
  }

  private static AgentRecord newAgent(String id, Instant now) {
    return new AgentRecord(AgentId.of(id), Set.of(Role.AGENT), now).withProfile(PROFILE);
  }

  @Test
  void aNewAgentHasAnEmptyProfileAndIsActive() {
    agent("bob");

    assertThat(find("bob").profile()).isEqualTo(AgentProfile.EMPTY);
    assertThat(find("bob").retiredAt()).isEmpty();
  }

  @Test
  void aProfileGivenAtCreationRoundTrips() {
    agents().create(newAgent("bob", now()), "hash-bob");

    assertThat(find("bob").profile()).isEqualTo(PROFILE);
    assertThat(find("bob").profile().tags()).containsExactly(Tag.of("build"), Tag.of("team:ci"));
  }

  @Test
  void updatingAProfileReplacesItAndKeepsEverythingElse() {
    agent("bob");
    AgentRecord before = find("bob");

    assertThat(agents().updateProfile(AgentId.of("bob"), PROFILE)).isTrue();
    assertThat(find("bob")).isEqualTo(before.withProfile(PROFILE));
    assertThat(agents().findByTokenHash("hash-bob")).contains(before.withProfile(PROFILE));

    assertThat(agents().updateProfile(AgentId.of("bob"), AgentProfile.EMPTY)).isTrue();
    assertThat(find("bob")).isEqualTo(before);
  }

  @Test
  void updatingTheProfileOfAnUnknownAgentIsFalse() {
    assertThat(agents().updateProfile(AgentId.of("nobody"), PROFILE)).isFalse();
  }

  @Test
  void profileSurvivesRoleAndTokenChanges() {
    agent("bob");
    agents().updateProfile(AgentId.of("bob"), PROFILE);

    agents().replaceRoles(AgentId.of("bob"), Set.of(Role.OBSERVER));
    agents().replaceToken(AgentId.of("bob"), "hash-bob-2", Optional.of(now().plusSeconds(60)));

    assertThat(find("bob").profile()).isEqualTo(PROFILE);
    assertThat(find("bob").roles()).containsExactly(Role.OBSERVER);
  }

  @Test
  void retiringRevokesTheTokenAndKeepsTheAgentAndItsMail() {
    agent("alice");
    agent("bob");
    var sent = sent(from("alice").toAgent("bob").text("kept"));
    Instant at = tick(5_000);

    assertThat(agents().retire(AgentId.of("bob"), at)).isTrue();

    assertThat(agents().findByTokenHash("hash-bob")).isEmpty();
    assertThat(find("bob").retiredAt()).contains(at);
    assertThat(find("bob").retired()).isTrue();
    assertThat(ids("bob")).containsExactly(sent);
  }

  @Test
  void retiringAgainKeepsTheFirstTime() {
    agent("bob");
    Instant first = tick(1_000);
    agents().retire(AgentId.of("bob"), first);

    assertThat(agents().retire(AgentId.of("bob"), tick(1_000))).isTrue();
    assertThat(find("bob").retiredAt()).contains(first);
  }

  @Test
  void retiringAnUnknownAgentIsFalse() {
    assertThat(agents().retire(AgentId.of("nobody"), now())).isFalse();
  }

  @Test
  void retiringTellsTheListener() {
    agent("bob");
    RecordingListener listener = new RecordingListener();
    storage().listen(listener);

    agents().retire(AgentId.of("bob"), now());
    agents().updateProfile(AgentId.of("bob"), PROFILE);

    assertThat(listener.changes()).containsExactly("agent changed bob", "agent changed bob");
  }

  @Test
  void anEnrollmentIsFoundByItsHashAndListed() {
    Enrollment e = issued("e1", 3, Duration.ofHours(1), Role.AGENT);
    Enrollment f = issued("e0", 1, Duration.ofHours(2), Role.AGENT, Role.OBSERVER);

    assertThat(agents().findEnrollment("enroll-e1")).contains(e);
    assertThat(agents().findEnrollment("enroll-nope")).isEmpty();
    assertThat(agents().enrollments()).containsExactly(f, e);
  }

  @Test
  void anEnrollmentIdOrHashIsTakenOnce() {
    issued("e1", 1, Duration.ofHours(1), Role.AGENT);
    Enrollment again =
        new Enrollment(
            "e1", Set.of(), 1, 1, now(), now().plusSeconds(5), Optional.empty(), AgentId.of("a"));

    assertThatThrownBy(() -> agents().createEnrollment(again, "enroll-other"))
        .isInstanceOf(MailroomException.Conflict.class);
    Enrollment other =
        new Enrollment(
            "e2", Set.of(), 1, 1, now(), now().plusSeconds(5), Optional.empty(), AgentId.of("a"));
    assertThatThrownBy(() -> agents().createEnrollment(other, "enroll-e1"))
        .isInstanceOf(MailroomException.Conflict.class);
  }

  @Test
  void enrollingRegistersTheAgentAndUsesOneUse() {
    issued("e1", 2, Duration.ofHours(1), Role.AGENT);
    AgentRecord worker = newAgent("worker-1", now());

    assertThat(agents().enroll("enroll-e1", worker, "hash-worker-1", now()))
        .isEqualTo(new Enrollment.Outcome.Enrolled());

    assertThat(agents().find(worker.id())).contains(worker);
    assertThat(agents().findByTokenHash("hash-worker-1")).contains(worker);
    assertThat(agents().findEnrollment("enroll-e1").orElseThrow().remaining()).isEqualTo(1);
    assertThat(messages().mailbox(worker.id().mailbox())).isPresent();
  }

  @Test
  void anEnrollmentRegistersNoMoreThanItsUses() {
    issued("e1", 1, Duration.ofHours(1), Role.AGENT);
    agents().enroll("enroll-e1", newAgent("worker-1", now()), "hash-1", now());

    assertThat(agents().enroll("enroll-e1", newAgent("worker-2", now()), "hash-2", now()))
        .isEqualTo(new Enrollment.Outcome.Refused(Enrollment.Reason.USED_UP));
    assertThat(agents().find(AgentId.of("worker-2"))).isEmpty();
  }

  @Test
  void anExpiredEnrollmentRegistersNobody() {
    Enrollment e = issued("e1", 5, Duration.ofMinutes(1), Role.AGENT);

    assertThat(agents().enroll("enroll-e1", newAgent("worker-1", now()), "hash-1", e.expiresAt()))
        .isEqualTo(new Enrollment.Outcome.Refused(Enrollment.Reason.EXPIRED));
    assertThat(agents().find(AgentId.of("worker-1"))).isEmpty();
    assertThat(agents().findEnrollment("enroll-e1").orElseThrow().remaining()).isEqualTo(5);
  }

  @Test
  void anUnknownOrRevokedEnrollmentRegistersNobody() {
    issued("e1", 5, Duration.ofHours(1), Role.AGENT);

    assertThat(agents().enroll("enroll-x", newAgent("worker-1", now()), "hash-1", now()))
        .isEqualTo(new Enrollment.Outcome.Refused(Enrollment.Reason.UNKNOWN));
    assertThat(agents().deleteEnrollment("e1")).isTrue();
    assertThat(agents().deleteEnrollment("e1")).isFalse();
    assertThat(agents().enroll("enroll-e1", newAgent("worker-1", now()), "hash-1", now()))
        .isEqualTo(new Enrollment.Outcome.Refused(Enrollment.Reason.UNKNOWN));
    assertThat(agents().enrollments()).isEmpty();
    assertThat(agents().find(AgentId.of("worker-1"))).isEmpty();
  }

  @Test
  void enrollingATakenIdFailsAndUsesNothing() {
    issued("e1", 2, Duration.ofHours(1), Role.AGENT);
    agent("worker-1");

    assertThatThrownBy(
            () -> agents().enroll("enroll-e1", newAgent("worker-1", now()), "hash-x", now()))
        .isInstanceOf(MailroomException.Conflict.class);
    assertThat(agents().findEnrollment("enroll-e1").orElseThrow().remaining()).isEqualTo(2);
    assertThat(agents().findByTokenHash("hash-x")).isEmpty();
  }

  @Test
  void concurrentEnrollmentsRegisterExactlyTheUses() throws Exception {
    issued("e1", 3, Duration.ofHours(1), Role.AGENT);
    Instant now = now();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Callable<Enrollment.Outcome>> tries = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "worker-" + i;
        tries.add(() -> agents().enroll("enroll-e1", newAgent(id, now), "hash-" + id, now));
      }
      int enrolled = 0;
      for (Future<Enrollment.Outcome> f : pool.invokeAll(tries)) {
        if (f.get() instanceof Enrollment.Outcome.Enrolled) {
          enrolled++;
        }
      }
      assertThat(enrolled).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
    assertThat(agents().list().stream().filter(a -> a.id().value().startsWith("worker-")))
        .hasSize(3);
    assertThat(agents().findEnrollment("enroll-e1").orElseThrow().remaining()).isZero();
  }
}
