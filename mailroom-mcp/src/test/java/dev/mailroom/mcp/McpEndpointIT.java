package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.AuditQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AuditRecordView;
import dev.mailroom.protocol.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code /mcp} as an HTTP route of the server: the token, the audit log, session ownership. */
class McpEndpointIT {
  @RegisterExtension
  static final TestServer server = new TestServer(b -> b.endpoint(MailroomMcp.endpoint()));

  @Test
  void aRequestWithoutAValidTokenIsRefusedBeforeAnyMcpHandling() {
    HttpResponse<String> none =
        RawMcp.post(server.baseUri(), Optional.empty(), Optional.empty(), RawMcp.INITIALIZE);
    HttpResponse<String> wrong =
        RawMcp.post(server.baseUri(), Optional.of("mr_wrong"), Optional.empty(), RawMcp.INITIALIZE);

    for (HttpResponse<String> r : List.of(none, wrong)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(r.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
      assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
      JsonNode problem = Json.mapper().readTree(r.body());
      assertThat(problem.path("status").asInt()).isEqualTo(401);
      assertThat(problem.path("detail").asString()).isNotBlank();
      assertThat(r.headers().firstValue("Mcp-Session-Id")).isEmpty();
    }
    String requestId = none.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(audited(requestId))
        .satisfies(
            a -> {
              assertThat(a.actor()).isEqualTo("-");
              assertThat(a.action()).isEqualTo("POST /mcp");
              assertThat(a.status()).isEqualTo(401);
            });
  }

  @Test
  void eachMcpRequestIsAuditedAsItsAgentAndSoIsEachRestCallOfItsTools() {
    AgentCreated bob = server.newAgent("bob");
    McpSyncClient mcp =
        McpClient.sync(HttpMcpIT.transport(server.baseUri(), bob.token()))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    try {
      mcp.initialize();
      mcp.callTool(new McpSchema.CallToolRequest("whoami", Map.of()));
    } finally {
      mcp.closeGracefully();
    }

    try (MailroomClient admin = server.admin()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          admin
                              .audit()
                              .all(AuditQuery.builder().actor(bob.id()).build())
                              .map(a -> a.action() + " " + a.status())
                              .toList())
                      .contains("POST /mcp 200", "GET /v1/whoami 200"));
      assertThat(
              admin
                  .audit()
                  .all(AuditQuery.builder().actor(bob.id()).action("POST /mcp").build())
                  .map(AuditRecordView::resource))
          .allMatch(session -> !session.equals("-"));
    }
  }

  @Test
  void aSessionServesOnlyTheAgentThatOpenedIt() {
    AgentCreated bob = server.newAgent("bob");
    AgentCreated eve = server.newAgent("eve");
    String session = RawMcp.initialize(server.baseUri(), bob.token());

    HttpResponse<String> stolen =
        RawMcp.post(server.baseUri(), Optional.of(eve.token()), Optional.of(session), RawMcp.PING);
    HttpResponse<String> own =
        RawMcp.post(server.baseUri(), Optional.of(bob.token()), Optional.of(session), RawMcp.PING);

    assertThat(stolen.statusCode()).isEqualTo(404);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains("\"id\":2", "\"result\"");
  }

  private static AuditRecordView audited(String requestId) {
    try (MailroomClient admin = server.admin()) {
      return await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  admin
                      .audit()
                      .all(AuditQuery.builder().action("POST /mcp").build())
                      .filter(a -> a.requestId().equals(requestId))
                      .findFirst(),
              Optional::isPresent)
          .orElseThrow();
    }
  }
}
