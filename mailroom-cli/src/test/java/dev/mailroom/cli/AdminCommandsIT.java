package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code agents}, {@code acl}, {@code roles}, {@code audit} and {@code stats}. */
class AdminCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final Cli admin = Cli.as(server, TestServer.ADMIN_TOKEN);

  @Test
  void agentsAreCreatedWithATokenShownOnceListedReassignedAndTheirTokensRotatedAndRevoked() {
    Cli.Result created =
        admin.run("agents", "create", "alice", "--role", "agent", "--token-ttl", "1d");
    assertThat(created.exit()).as("%s", created).isZero();
    assertThat(created.out()).contains("agent:   alice (agent)").contains("(shown once: keep it)");
    String token =
        created
            .out()
            .lines()
            .filter(l -> l.startsWith("token:"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[1];
    assertThat(token).startsWith("mr_");

    Cli asAlice = Cli.as(server, token);
    assertThat(asAlice.run("agents", "show", "alice").out()).contains("alice").contains("agent");

    String quiet = admin.run("agents", "create", "bob", "--quiet").out().strip();
    assertThat(quiet).startsWith("mr_").doesNotContain(" ");
    Cli.Result list = admin.run("agents", "list");
    assertThat(list.out())
        .contains("alice")
        .contains("bob")
        .doesNotContain(quiet)
        .doesNotContain(token);

    assertThat(admin.run("agents", "roles", "bob", "observer").out()).contains("bob: observer");

    Cli.Result rotated = asAlice.run("agents", "rotate-token", "alice", "--ttl", "2h", "--json");
    JsonNode issued = Json.mapper().readTree(rotated.out());
    String newToken = issued.get("token").asString();
    assertThat(newToken).isNotEqualTo(token);
    assertThat(asAlice.run("agents", "show", "alice").exit())
        .isEqualTo(ExitCode.UNAUTHENTICATED.code());

    Cli asNewAlice = Cli.as(server, newToken);
    assertThat(asNewAlice.run("agents", "revoke-token", "alice").out()).contains("revoked");
    assertThat(asNewAlice.run("agents", "show", "alice").exit())
        .isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(admin.run("agents", "rotate-token", "alice", "-q").out().strip()).startsWith("mr_");
  }

  @Test
  void rulesAreGrantedExplainedListedAndRevokedAndRolesManaged() {
    admin.run("agents", "create", "carol");
    Cli.Result role = admin.run("roles", "create", "reviewers", "--description", "reviews PRs");
    assertThat(role.out()).contains("created role reviewers");
    assertThat(admin.run("roles", "list").out()).contains("reviewers").contains("reviews PRs");

    Cli.Result deny =
        admin.run(
            "acl",
            "grant",
            "--grantee",
            "*",
            "--deny",
            "--action",
            "read",
            "--action",
            "write",
            "team.secret",
            "--json");
    String denyId = Json.mapper().readTree(deny.out()).get("id").asString();
    Cli.Result allow =
        admin.run("acl", "grant", "--grantee", "role:reviewers", "--action", "read", "team.secret");
    assertThat(allow.out()).contains("allow role:reviewers read on team.secret");

    Cli.Result list = admin.run("acl", "list");
    assertThat(list.out()).contains(denyId).contains("role:reviewers");
    assertThat(list.err()).contains("policy version");

    Cli.Result explain =
        admin.run("acl", "explain", "--agent", "carol", "--action", "read", "team.secret");
    assertThat(explain.exit()).isZero();
    assertThat(explain.out()).startsWith("denied: carol may not read team.secret").contains(denyId);

    admin.run("agents", "roles", "carol", "agent", "reviewers");
    assertThat(
            admin
                .run("acl", "explain", "--agent", "carol", "--action", "read", "team.secret")
                .out())
        .startsWith("allowed: carol may read team.secret");

    assertThat(admin.run("acl", "revoke", denyId).out()).contains("revoked rule " + denyId);
    assertThat(admin.run("acl", "revoke", denyId).exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(admin.run("roles", "delete", "reviewers").exit())
        .isEqualTo(ExitCode.CONFLICT.code());
    admin.run("agents", "roles", "carol", "agent");
    assertThat(admin.run("roles", "delete", "reviewers").out()).contains("deleted role reviewers");
  }

  @Test
  void theAuditLogIsListedWithFiltersAndVerified() {
    String token = admin.run("agents", "create", "audited", "-q").out().strip();
    Cli asAudited = Cli.as(server, token);
    asAudited.run("inbox", "--count");
    asAudited.run("enrollments", "list"); // refused: not an admin

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                    .run("audit", "list", "--actor", "audited", "--outcome", "denied")
                    .out()
                    .contains("GET /v1/enrollments"));
    Cli.Result denied = admin.run("audit", "list", "--actor", "audited", "--outcome", "denied");
    assertThat(denied.out()).contains("403").contains("only an admin may list enrollments");

    Cli.Result all =
        admin
            .interactive()
            .run("audit", "list", "--actor", "audited", "--all", "--limit", "1", "--json");
    assertThat(all.out().lines()).hasSize(2);
    assertThat(all.err()).contains("audit records: 2");

    Cli.Result verify = admin.run("audit", "verify");
    assertThat(verify.exit()).isZero();
    assertThat(verify.out()).contains("the audit log verifies");
    assertThat(asAudited.run("audit", "verify").exit()).isEqualTo(ExitCode.FORBIDDEN.code());
  }

  @Test
  void statsShowsHealthAndMetricsWithoutAToken() {
    Cli anonymous = Cli.bare();
    Cli.Result stats = anonymous.run("stats", "--server", server.baseUri().toString());
    assertThat(stats.exit()).as("%s", stats).isZero();
    assertThat(stats.out())
        .startsWith("status: UP")
        .contains("backend: sqlite")
        .contains("streams open");

    Cli.Result json = anonymous.run("stats", "--server", server.baseUri().toString(), "--json");
    JsonNode answer = Json.mapper().readTree(json.out());
    assertThat(answer.at("/health/status").asString()).isEqualTo("UP");
    assertThat(answer.at("/metrics/mailroom_streams_open").isNumber()).isTrue();
  }
}
