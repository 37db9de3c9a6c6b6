package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Registered agents, their personal mailboxes and their token hashes. */
abstract class AgentRules extends ContractRules {

  AgentRules(StorageFixture fixture) {
    super(fixture);
  }

  private AgentRecord record(String id, Role... roles) {
    return new AgentRecord(AgentId.of(id), Set.of(roles), now());
  }

  @Test
  void createdAgentCanBeFound() {
    AgentRecord bob = record("bob", Role.AGENT);

    agents().create(bob, "hash-1");

    assertThat(agents().find(AgentId.of("bob"))).contains(bob);
  }

  @Test
  void rolesAndCreationTimeRoundTrip() {
    clock().advance(Duration.ofMillis(1234));
    AgentRecord ops = record("ops", Role.ADMIN, Role.OBSERVER, Role.of("night-shift_2"));

    agents().create(ops, "hash-ops");

    AgentRecord found = agents().find(AgentId.of("ops")).orElseThrow();
    assertThat(found.roles())
        .containsExactlyInAnyOrder(Role.ADMIN, Role.OBSERVER, Role.of("night-shift_2"));
    assertThat(found.createdAt()).isEqualTo(ops.createdAt());
    assertThat(found.principal().isAdmin()).isTrue();
  }

  @Test
  void agentWithoutRolesRoundTrips() {
    AgentRecord plain = record("plain");

    agents().create(plain, "h");

    assertThat(agents().find(AgentId.of("plain"))).contains(plain);
  }

  @Test
  void findOfAnUnknownAgentIsEmpty() {
    assertThat(agents().find(AgentId.of("nobody"))).isEmpty();
  }

  @Test
  void createdAgentHasAnEmptyPersonalMailbox() {
    agents().create(record("bob", Role.AGENT), "h");

    assertThat(messages().mailbox(box("bob")))
        .contains(new MailboxInfo(box("bob"), MailboxKind.AGENT, 0, 0));
  }

  @Test
  void creatingATakenIdConflictsAndKeepsTheFirstAgent() {
    AgentRecord first = record("bob", Role.AGENT);
    agents().create(first, "hash-first");

    assertThatThrownBy(() -> agents().create(record("bob", Role.ADMIN), "hash-second"))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(agents().find(AgentId.of("bob"))).contains(first);
    assertThat(agents().findByTokenHash("hash-first")).contains(first);
    assertThat(agents().findByTokenHash("hash-second")).isEmpty();
  }

  @Test
  void creatingAnAgentNamedLikeASharedMailboxConflicts() {
    sent(from("alice").to("support"));

    assertThatThrownBy(() -> agents().create(record("support", Role.AGENT), "h"))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(agents().find(AgentId.of("support"))).isEmpty();
    assertThat(agents().findByTokenHash("h")).isEmpty();
    assertThat(messages().mailbox(box("support")).orElseThrow().kind())
        .isEqualTo(MailboxKind.SHARED);
  }

  @Test
  void creatingAnAgentNamedLikeATopicConflicts() {
    sent(from("alice").onTopic("news"));

    assertThatThrownBy(() -> agents().create(record("news", Role.AGENT), "h"))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(agents().find(AgentId.of("news"))).isEmpty();
    assertThat(messages().mailbox(box("news")).orElseThrow().kind()).isEqualTo(MailboxKind.TOPIC);
  }

  @Test
  void agentIsFoundByTheHashOfItsToken() {
    AgentRecord bob = record("bob", Role.AGENT);
    agents().create(bob, "hash-bob");
    agents().create(record("carol", Role.AGENT), "hash-carol");

    assertThat(agents().findByTokenHash("hash-bob")).contains(bob);
    assertThat(agents().findByTokenHash("hash-nobody")).isEmpty();
  }

  @Test
  void replacingTheTokenHashRetiresTheOldOne() {
    AgentRecord bob = record("bob", Role.AGENT);
    agents().create(bob, "old");

    assertThat(agents().replaceToken(AgentId.of("bob"), "new", Optional.empty())).isTrue();

    assertThat(agents().findByTokenHash("new")).contains(bob);
    assertThat(agents().findByTokenHash("old")).isEmpty();
    assertThat(agents().find(AgentId.of("bob"))).contains(bob);
  }

  @Test
  void replacingTheTokenOfAnUnknownAgentFails() {
    assertThat(agents().replaceToken(AgentId.of("nobody"), "new", Optional.empty())).isFalse();
    assertThat(agents().findByTokenHash("new")).isEmpty();
  }

  @Test
  void theTokenExpiryRoundTrips() {
    Instant expiry = now().plus(Duration.ofDays(30)).plusMillis(7);
    AgentRecord bob = expiring(record("bob", Role.AGENT), Optional.of(expiry));

    agents().create(bob, "hash-bob");

    assertThat(agents().find(AgentId.of("bob"))).contains(bob);
    assertThat(agents().findByTokenHash("hash-bob")).contains(bob);
    assertThat(agents().list()).containsExactly(bob);
  }

  @Test
  void replacingTheTokenSetsTheNewTokensExpiryAndKeepsTheRest() {
    AgentRecord bob = record("bob", Role.AGENT, Role.of("reviewer"));
    agents().create(bob, "first");
    Instant expiry = now().plus(Duration.ofHours(1));

    assertThat(agents().replaceToken(bob.id(), "second", Optional.of(expiry))).isTrue();

    AgentRecord expiring = expiring(bob, Optional.of(expiry));
    assertThat(agents().find(bob.id())).contains(expiring);
    assertThat(agents().findByTokenHash("second")).contains(expiring);
    assertThat(agents().findByTokenHash("first")).isEmpty();

    assertThat(agents().replaceToken(bob.id(), "third", Optional.empty())).isTrue();

    assertThat(agents().find(bob.id())).contains(bob);
    assertThat(agents().findByTokenHash("third")).contains(bob);
    assertThat(agents().findByTokenHash("second")).isEmpty();
  }

  @Test
  void anExpiredTokenStillFindsItsAgent() {
    Instant expiry = now().plusSeconds(1);
    agents().create(expiring(record("bob", Role.AGENT), Optional.of(expiry)), "hash-bob");
    clock().advance(Duration.ofSeconds(2));

    AgentRecord found = agents().findByTokenHash("hash-bob").orElseThrow();

    assertThat(found.tokenExpired(now())).isTrue();
  }

  @Test
  void revokingTheTokenLeavesTheAgentWithoutOneAndKeepsItsRecord() {
    AgentRecord bob =
        expiring(record("bob", Role.AGENT), Optional.of(now().plus(Duration.ofDays(1))));
    agents().create(bob, "hash-bob");
    agent("carol");

    assertThat(agents().revokeToken(bob.id())).isTrue();

    assertThat(agents().findByTokenHash("hash-bob")).isEmpty();
    assertThat(agents().find(bob.id())).contains(bob);
    assertThat(agents().list()).extracting(AgentRecord::id).contains(bob.id());
    assertThat(agents().findByTokenHash("hash-carol")).isPresent();
    assertThat(agents().revokeToken(bob.id())).as("revoking again").isTrue();
    assertThat(agents().findByTokenHash("hash-bob")).isEmpty();
  }

  @Test
  void aRevokedAgentGetsANewTokenByReplacement() {
    AgentRecord bob = record("bob", Role.AGENT);
    agents().create(bob, "old");
    agents().revokeToken(bob.id());

    assertThat(agents().replaceToken(bob.id(), "new", Optional.empty())).isTrue();

    assertThat(agents().findByTokenHash("new")).contains(bob);
    assertThat(agents().findByTokenHash("old")).isEmpty();
  }

  @Test
  void revokingTheTokenOfAnUnknownAgentFails() {
    assertThat(agents().revokeToken(AgentId.of("nobody"))).isFalse();
    assertThat(agents().find(AgentId.of("nobody"))).isEmpty();
  }

  @Test
  void replacingRolesKeepsTheTokenItsExpiryAndCreationTime() {
    clock().advance(Duration.ofMillis(321));
    Instant expiry = now().plus(Duration.ofDays(1));
    AgentRecord bob = expiring(record("bob", Role.AGENT), Optional.of(expiry));
    agents().create(bob, "hash-bob");
    clock().advance(Duration.ofMinutes(1));
    Set<Role> roles = Set.of(Role.OBSERVER, Role.of("night-shift_2"));

    assertThat(agents().replaceRoles(bob.id(), roles)).isTrue();

    AgentRecord changed = new AgentRecord(bob.id(), roles, bob.createdAt(), Optional.of(expiry));
    assertThat(agents().find(bob.id())).contains(changed);
    assertThat(agents().findByTokenHash("hash-bob")).contains(changed);
  }

  @Test
  void replacingRolesWithNoneLeavesAnAgentWithoutRoles() {
    AgentRecord ops = record("ops", Role.ADMIN, Role.AGENT);
    agents().create(ops, "hash-ops");

    assertThat(agents().replaceRoles(ops.id(), Set.of())).isTrue();

    assertThat(agents().find(ops.id()).orElseThrow().roles()).isEmpty();
    assertThat(agents().find(ops.id()).orElseThrow().principal().isAdmin()).isFalse();
  }

  @Test
  void replacingRolesOfAnUnknownAgentFails() {
    assertThat(agents().replaceRoles(AgentId.of("nobody"), Set.of(Role.ADMIN))).isFalse();
    assertThat(agents().find(AgentId.of("nobody"))).isEmpty();
  }

  @Test
  void rolesAndTokensOfOneAgentDoNotTouchAnother() {
    AgentRecord carol = record("carol", Role.AGENT);
    agents().create(carol, "hash-carol");
    agents().create(record("bob", Role.AGENT), "hash-bob");

    agents().replaceRoles(AgentId.of("bob"), Set.of(Role.ADMIN));
    agents().replaceToken(AgentId.of("bob"), "new-bob", Optional.of(now().plusSeconds(60)));
    agents().revokeToken(AgentId.of("bob"));

    assertThat(agents().find(carol.id())).contains(carol);
    assertThat(agents().findByTokenHash("hash-carol")).contains(carol);
  }

  private static AgentRecord expiring(AgentRecord agent, Optional<Instant> expiry) {
    return new AgentRecord(agent.id(), agent.roles(), agent.createdAt(), expiry);
  }

  @Test
  void listGivesEveryAgentById() {
    agent("mallory");
    agent("alice");
    agent("Zed");
    agent("bob");

    assertThat(agents().list())
        .extracting(AgentRecord::id)
        .containsExactly(
            AgentId.of("Zed"), AgentId.of("alice"), AgentId.of("bob"), AgentId.of("mallory"));
  }

  @Test
  void listOfAnEmptyStoreIsEmpty() {
    assertThat(agents().list()).isEmpty();
    assertThat(agents().list(Optional.empty(), 10)).isEmpty();
  }

  @Test
  void agentsArePagedByIdAfterAPosition() {
    for (String id : List.of("mallory", "alice", "Zed", "bob", "al", "alice-2")) {
      agent(id);
    }

    assertThat(agentIds(agents().list(Optional.empty(), 3))).containsExactly("Zed", "al", "alice");
    assertThat(agentIds(agents().list(Optional.of(AgentId.of("alice")), 2)))
        .containsExactly("alice-2", "bob");
    assertThat(agentIds(agents().list(Optional.of(AgentId.of("bob")), 10)))
        .containsExactly("mallory");
    assertThat(agentIds(agents().list(Optional.of(AgentId.of("mallory")), 10))).isEmpty();
    // A position need not be an agent: paging goes on after an id that is gone.
    assertThat(agentIds(agents().list(Optional.of(AgentId.of("alz")), 10)))
        .containsExactly("bob", "mallory");
    assertThat(agentIds(agents().list(Optional.of(AgentId.of("A")), 1))).containsExactly("Zed");
    assertThat(agents().list(Optional.of(AgentId.of("alice")), 1))
        .containsExactly(agents().find(AgentId.of("alice-2")).orElseThrow());
  }

  @Test
  void aPageOfNoAgentsIsRefused() {
    assertThatThrownBy(() -> agents().list(Optional.empty(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> agentIds(List<AgentRecord> page) {
    return page.stream().map(a -> a.id().value()).toList();
  }
}
