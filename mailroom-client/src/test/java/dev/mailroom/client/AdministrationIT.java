package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.protocol.AccessExplanation;
import dev.mailroom.protocol.AclGrantRequest;
import dev.mailroom.protocol.AclRuleView;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.AuditRecordList;
import dev.mailroom.protocol.CreateAgentRequest;
import dev.mailroom.protocol.Health;
import dev.mailroom.protocol.LogLevelList;
import dev.mailroom.protocol.LogLevelView;
import dev.mailroom.protocol.RoleView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agents, tokens, permissions, roles, health and metrics through the SDK. */
class AdministrationIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final MailroomClient admin = server.admin();

  @Test
  void anAdminRegistersListsAndReassignsAgents() {
    AgentCreated created =
        admin
            .agents()
            .create(
                new CreateAgentRequest(
                    "ops-1", Optional.of(List.of("observer")), Optional.of(3600L)));
    assertThat(created.token()).startsWith("mr_");
    assertThat(created.roles()).containsExactly("observer");
    assertThat(created.tokenExpiresAt()).isPresent();
    assertThat(created.toString()).doesNotContain(created.token());

    assertThat(admin.agents().list().agents()).extracting(AgentView::id).contains("ops-1");
    assertThat(server.client(created).agents().get("ops-1").roles()).containsExactly("observer");
    assertThat(admin.agents().replaceRoles("ops-1", List.of("agent")).roles())
        .containsExactly("agent");
    assertThat(admin.agents().create("ops-2").roles()).containsExactly("agent");
  }

  @Test
  void anAgentRotatesItsTokenAndTheOldOneStopsWorking() {
    AgentCreated agent = server.newAgent("rotator");
    MailroomClient before = server.client(agent);
    AgentCreated rotated = before.agents().rotateToken(agent.id(), Duration.ofHours(2));
    assertThat(rotated.token()).isNotEqualTo(agent.token());
    assertThat(rotated.tokenExpiresAt()).isPresent();
    assertKind(() -> before.agents().get(agent.id()), MailroomClientException.Kind.UNAUTHENTICATED);

    MailroomClient after = server.client(rotated.token());
    assertThat(after.agents().get(agent.id()).id()).isEqualTo(agent.id());
    after.agents().revokeToken(agent.id());
    assertKind(() -> after.agents().get(agent.id()), MailroomClientException.Kind.UNAUTHENTICATED);

    AgentCreated restored = admin.agents().rotateToken(agent.id());
    assertThat(server.client(restored).agents().get(agent.id()).id()).isEqualTo(agent.id());
  }

  @Test
  void rulesAreGrantedExplainedListedAndRevoked() {
    AgentCreated alice = server.newAgent("acl-alice");
    String secret = "team" + System.nanoTime() + ".secret";
    AclRuleView deny =
        admin
            .acl()
            .grant(
                new AclGrantRequest(
                    "*", List.of("read", "write", "subscribe"), secret, Optional.of("deny")));
    AclRuleView allow =
        admin
            .acl()
            .grant(
                new AclGrantRequest(
                    "agent:" + alice.id(), List.of("read"), secret, Optional.empty()));
    assertThat(allow.effect()).isEqualTo("allow");
    assertThat(admin.acl().list().rules())
        .extracting(AclRuleView::id)
        .contains(deny.id(), allow.id());

    AccessExplanation read = admin.acl().explain(alice.id(), "read", secret);
    assertThat(read.allowed()).isTrue();
    assertThat(read.rule()).map(AclRuleView::id).contains(allow.id());
    AccessExplanation write = admin.acl().explain(alice.id(), "write", secret);
    assertThat(write.allowed()).isFalse();
    assertThat(write.considered()).extracting(AclRuleView::id).containsExactly(deny.id());

    admin.acl().revoke(allow.id());
    assertThat(admin.acl().explain(alice.id(), "read", secret).allowed()).isFalse();
    assertKind(() -> admin.acl().revoke(allow.id()), MailroomClientException.Kind.NOT_FOUND);
  }

  @Test
  void customRolesAreCreatedListedWithMembersAndDeleted() {
    RoleView created = admin.roles().create("reviewers", "reviews PRs");
    assertThat(created.builtIn()).isFalse();
    AgentCreated member = server.newAgent("reviewer", List.of("reviewers"));
    assertThat(admin.roles().list().roles())
        .filteredOn(r -> r.name().equals("reviewers"))
        .singleElement()
        .satisfies(r -> assertThat(r.members()).containsExactly(member.id()));
    assertKind(() -> admin.roles().delete("reviewers"), MailroomClientException.Kind.CONFLICT);
    admin.agents().replaceRoles(member.id(), List.of("agent"));
    admin.roles().delete("reviewers");
    assertThat(admin.roles().list().roles()).extracting(RoleView::name).doesNotContain("reviewers");
  }

  @Test
  void theAuditLogListsFiltersPagesAndVerifiesRecordsOfRequests() {
    AgentCreated auditee = server.newAgent("auditee");
    MailroomClient client = server.client(auditee);
    for (int i = 0; i < 3; i++) {
      client.messages().unreadCount();
    }
    AuditQuery mine =
        AuditQuery.builder()
            .actor(auditee.id())
            .action("GET /v1/inbox/unread_count")
            .outcome("ok")
            .limit(2)
            .build();
    // Records are written a moment after the answer.
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.audit().all(mine).count() == 3);
    AuditRecordList first = admin.audit().list(mine);
    assertThat(first.records()).hasSize(2);
    assertThat(first.nextCursor()).isPresent();
    List<Integer> sizes = new ArrayList<>();
    admin.audit().pages(mine).forEachRemaining(p -> sizes.add(p.records().size()));
    assertThat(sizes).containsExactly(2, 1);
    assertThat(admin.audit().all(mine))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.detail()).isEmpty();
            });
    assertThat(admin.audit().verify().ok()).isTrue();
    assertKind(() -> client.audit().verify(), MailroomClientException.Kind.FORBIDDEN);
  }

  @Test
  void healthAndMetricsNeedNoToken() {
    MailroomClient anonymous = MailroomClient.builder().baseUri(server.baseUri()).build();
    try (anonymous) {
      Health health = anonymous.health();
      assertThat(health.status()).isEqualTo(Health.UP);
      assertThat(health.components().get("store")).containsEntry("backend", "sqlite");
      Metrics metrics = anonymous.metrics();
      assertThat(metrics.sum("mailroom_streams_open")).isPresent();
      assertThat(metrics.samples()).anySatisfy(s -> assertThat(s.name()).startsWith("jvm_"));
      assertKind(
          () -> anonymous.messages().unreadCount(), MailroomClientException.Kind.UNAUTHENTICATED);
    }
  }

  @Test
  void anAdminReadsSetsAndResetsTheServersLogLevels() {
    String logger = "dev.mailroom.test.sdk.levels";

    LogLevelView set = admin.logLevels().set(logger, "debug");
    assertThat(set.level()).contains("DEBUG");
    assertThat(set.effectiveLevel()).isEqualTo("DEBUG");
    assertThat(set.node()).isPresent();
    assertThat(admin.logLevels().get(logger + ".below").effectiveLevel()).isEqualTo("DEBUG");
    LogLevelList list = admin.logLevels().list();
    assertThat(list.loggers().getFirst().logger()).isEqualTo("ROOT");
    assertThat(list.loggers()).extracting(LogLevelView::logger).contains(logger);
    assertThat(list.node()).isEqualTo(set.node().orElseThrow());

    LogLevelView reset = admin.logLevels().reset(logger);
    assertThat(reset.level()).isEmpty();
    assertThat(admin.logLevels().get(logger).level()).isEmpty();
    assertKind(
        () -> admin.logLevels().set(logger, "loud"), MailroomClientException.Kind.BAD_REQUEST);
    MailroomClient agent = server.client(server.newAgent("levels-agent"));
    assertKind(() -> agent.logLevels().list(), MailroomClientException.Kind.FORBIDDEN);
  }

  static void assertKind(Runnable call, MailroomClientException.Kind kind) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            MailroomClientException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
