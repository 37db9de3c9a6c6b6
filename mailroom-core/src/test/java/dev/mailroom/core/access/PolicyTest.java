package dev.mailroom.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private static final Principal ALICE = who("alice", Role.AGENT);
  private static final Principal BOB = who("bob", Role.AGENT);
  private static final Principal WATCHER = who("watcher", Role.OBSERVER);
  private static final Principal ROOT = who("root", Role.ADMIN);
  private static final Role REVIEWERS = Role.of("reviewers");
  private final AtomicInteger ids = new AtomicInteger();

  private static Principal who(String id, Role... roles) {
    return new Principal(AgentId.of(id), Set.of(roles));
  }

  private AclRule rule(String grantee, AclRule.Effect effect, String resource, Action... actions) {
    return new AclRule(
        "r" + ids.incrementAndGet(),
        Grantee.parse("grantee", grantee),
        Set.of(actions),
        SubscriptionPattern.of(resource),
        effect,
        Instant.EPOCH,
        "root");
  }

  private static boolean may(Policy p, Principal who, Action a, String name, MailboxKind kind) {
    return p.decide(who, a, MailboxName.of(name), kind).allowed();
  }

  private static boolean may(Policy p, Principal who, Action a, String topic) {
    return may(p, who, a, topic, MailboxKind.TOPIC);
  }

  @Test
  void defaultsLetAgentsReadAndSendAndObserversOnlyRead() {
    Policy p = Policy.EMPTY;
    assertThat(may(p, ALICE, Action.READ, "ai.models")).isTrue();
    assertThat(may(p, ALICE, Action.WRITE, "ai.models")).isTrue();
    assertThat(may(p, ALICE, Action.SUBSCRIBE, "ai.models")).isTrue();
    assertThat(may(p, ALICE, Action.ADMIN, "ai.models")).isFalse();
    assertThat(may(p, WATCHER, Action.READ, "ai.models")).isTrue();
    assertThat(may(p, WATCHER, Action.WRITE, "ai.models")).isFalse();
    assertThat(may(p, who("custom", REVIEWERS), Action.WRITE, "ai.models")).isFalse();
    assertThat(may(p, ROOT, Action.ADMIN, "ai.models")).isTrue();
  }

  @Test
  void personalMailboxesAreWrittenByAgentsAndReadOnlyByTheirOwner() {
    Policy p = Policy.EMPTY;
    assertThat(may(p, ALICE, Action.WRITE, "bob", MailboxKind.AGENT)).isTrue();
    assertThat(may(p, ALICE, Action.READ, "bob", MailboxKind.AGENT)).isFalse();
    assertThat(may(p, WATCHER, Action.WRITE, "bob", MailboxKind.AGENT)).isFalse();
    assertThat(may(p, BOB, Action.READ, "bob", MailboxKind.AGENT)).isTrue();
    assertThat(may(p, ROOT, Action.READ, "bob", MailboxKind.AGENT)).isTrue();
  }

  @Test
  void noRuleLocksAnOwnerOutOfItsMailboxOrAnAdminOutOfAnything() {
    Policy p =
        Policy.EMPTY
            .with(rule("*", AclRule.Effect.DENY, "**", Action.values()))
            .with(rule("agent:bob", AclRule.Effect.DENY, "bob", Action.values()));
    assertThat(may(p, BOB, Action.READ, "bob", MailboxKind.AGENT)).isTrue();
    assertThat(may(p, ROOT, Action.WRITE, "anything")).isTrue();
    assertThat(may(p, ALICE, Action.READ, "anything")).isFalse();
  }

  @Test
  void permissionsInheritDownTheHierarchyUntilADeeperRuleOverrides() {
    Policy p =
        Policy.EMPTY
            .with(rule("*", AclRule.Effect.DENY, "team", Action.READ))
            .with(rule("*", AclRule.Effect.ALLOW, "team.public", Action.READ));
    assertThat(may(p, ALICE, Action.READ, "team")).isFalse();
    assertThat(may(p, ALICE, Action.READ, "team.review.x")).isFalse();
    assertThat(may(p, ALICE, Action.READ, "team.public")).isTrue();
    assertThat(may(p, ALICE, Action.READ, "team.public.notes")).isTrue();
    assertThat(may(p, ALICE, Action.READ, "teams")).isTrue();
    assertThat(may(p, ALICE, Action.WRITE, "team.review")).isTrue(); // other actions untouched
  }

  @Test
  void aPrivateTopicDeniesEveryoneButItsMembers() {
    Policy p =
        Policy.EMPTY
            .with(rule("*", AclRule.Effect.DENY, "team.secret", Action.READ, Action.SUBSCRIBE))
            .with(rule("agent:alice", AclRule.Effect.ALLOW, "team.secret", Action.READ));
    assertThat(may(p, ALICE, Action.READ, "team.secret.plans")).isTrue();
    assertThat(may(p, BOB, Action.READ, "team.secret.plans")).isFalse();
    assertThat(may(p, ALICE, Action.SUBSCRIBE, "team.secret")).isFalse();
  }

  @Test
  void atEqualDepthLiteralsThenAgentThenRoleThenDenyWin() {
    AclRule wildcardAllow = rule("*", AclRule.Effect.ALLOW, "team.*", Action.WRITE);
    AclRule literalDeny = rule("*", AclRule.Effect.DENY, "team.review", Action.WRITE);
    Policy p = Policy.EMPTY.with(wildcardAllow).with(literalDeny);
    assertThat(
            p.decide(ALICE, Action.WRITE, MailboxName.of("team.review"), MailboxKind.TOPIC).rule())
        .contains(literalDeny);

    Principal reviewer = who("rita", Role.AGENT, REVIEWERS);
    Policy roles =
        Policy.EMPTY
            .with(rule("*", AclRule.Effect.DENY, "x", Action.WRITE))
            .with(rule("role:reviewers", AclRule.Effect.ALLOW, "x", Action.WRITE))
            .with(rule("agent:rita", AclRule.Effect.DENY, "x", Action.WRITE));
    assertThat(may(roles, reviewer, Action.WRITE, "x")).isFalse(); // the agent's own rule wins
    assertThat(may(roles, who("ron", Role.AGENT, REVIEWERS), Action.WRITE, "x")).isTrue();
    assertThat(may(roles, ALICE, Action.WRITE, "x")).isFalse();

    Policy tie =
        Policy.EMPTY
            .with(rule("*", AclRule.Effect.ALLOW, "y", Action.READ))
            .with(rule("*", AclRule.Effect.DENY, "y", Action.READ));
    assertThat(may(tie, ALICE, Action.READ, "y")).isFalse();
  }

  @Test
  void subscriptionsAreJudgedOnTheirLiteralPrefix() {
    Policy p =
        Policy.EMPTY
            .with(rule("agent:bob", AclRule.Effect.DENY, "team", Action.SUBSCRIBE))
            .with(rule("role:observer", AclRule.Effect.DENY, "**", Action.SUBSCRIBE));
    assertThat(
            p.explainSubscribe(BOB, SubscriptionPattern.of("team.*.review")).decision().allowed())
        .isFalse();
    assertThat(p.explainSubscribe(BOB, SubscriptionPattern.of("ai.**")).decision().allowed())
        .isTrue();
    assertThat(p.explainSubscribe(WATCHER, SubscriptionPattern.of("**")).decision().allowed())
        .isFalse();
    assertThat(p.explainSubscribe(BOB, SubscriptionPattern.of("*.review")).decision().allowed())
        .isTrue();
  }

  @Test
  void explanationsListTheDecidingRuleFirst() {
    AclRule broad = rule("*", AclRule.Effect.ALLOW, "team", Action.READ);
    AclRule narrow = rule("agent:alice", AclRule.Effect.DENY, "team.review", Action.READ);
    Policy.Explanation e =
        Policy.EMPTY
            .with(broad)
            .with(narrow)
            .explain(ALICE, Action.READ, MailboxName.of("team.review.x"), MailboxKind.TOPIC);
    assertThat(e.decision().allowed()).isFalse();
    assertThat(e.decision().reason()).contains(narrow.id()).contains("denies");
    assertThat(e.considered()).extracting(Policy.Candidate::rule).containsExactly(narrow, broad);
  }

  @Test
  void onlyDenyRulesOnANameCanRestrictWhatTheDefaultsAllow() {
    Policy p = Policy.EMPTY.with(rule("*", AclRule.Effect.DENY, "team", Action.READ));
    assertThat(p.mayRestrict(Action.READ, MailboxName.of("team.x"))).isTrue();
    assertThat(p.mayRestrict(Action.READ, MailboxName.of("other"))).isFalse();
    assertThat(p.mayRestrict(Action.WRITE, MailboxName.of("team.x"))).isFalse();
    assertThat(Policy.EMPTY.mayRestrict(Action.READ, MailboxName.of("team"))).isFalse();
  }

  @Test
  void removingARoleRemovesItsRules() {
    CustomRole reviewers = new CustomRole(REVIEWERS, "code review", Instant.EPOCH);
    Policy p =
        Policy.EMPTY
            .with(reviewers)
            .with(rule("role:reviewers", AclRule.Effect.ALLOW, "x", Action.READ))
            .with(rule("*", AclRule.Effect.ALLOW, "y", Action.READ));
    assertThat(p.knows(REVIEWERS)).isTrue();
    Policy without = p.withoutRole(REVIEWERS);
    assertThat(without.knows(REVIEWERS)).isFalse();
    assertThat(without.rules()).hasSize(1);
    assertThat(without.roles()).isEqualTo(Map.of());
  }
}
