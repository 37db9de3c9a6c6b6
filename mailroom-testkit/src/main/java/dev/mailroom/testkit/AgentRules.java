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

    assertThat(agents().replaceToken(AgentId.of("bob"), "new")).isTrue();

    assertThat(agents().findByTokenHash("new")).contains(bob);
    assertThat(agents().findByTokenHash("old")).isEmpty();
    assertThat(agents().find(AgentId.of("bob"))).contains(bob);
  }

  @Test
  void replacingTheTokenOfAnUnknownAgentFails() {
    assertThat(agents().replaceToken(AgentId.of("nobody"), "new")).isFalse();
    assertThat(agents().findByTokenHash("new")).isEmpty();
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
  }
}
