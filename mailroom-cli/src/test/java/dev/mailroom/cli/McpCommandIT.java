package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.TestServer;
import dev.mailroom.mcp.McpContract;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailroom mcp} refusing a bad token, and {@code mailroom serve} serving {@code /mcp}. */
class McpCommandIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void mcpWithABadTokenEndsWithTheUnauthenticatedExitCodeAndPrintsNothingOnStandardOutput() {
    Cli.Result r = Cli.as(server, "mr_not_a_token").stdin("").run("mcp");

    assertThat(r.exit()).as("%s", r).isEqualTo(ExitCode.UNAUTHENTICATED.code());
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("not valid");
  }

  @Test
  void serveMountsTheMcpEndpointForTheServersAgents() {
    String admin = "mr_test_admin_mcp_0123456789abcdef0123456789";
    try (ServerProcess process = ServerProcess.start(dataDir, admin, logs.resolve("server.log"))) {
      McpSyncClient mcp =
          McpClient.sync(
                  HttpClientStreamableHttpTransport.builder(process.baseUri().toString())
                      .endpoint("/mcp")
                      .requestBuilder(
                          HttpRequest.newBuilder().header("Authorization", "Bearer " + admin))
                      .build())
              .requestTimeout(Duration.ofSeconds(30))
              .build();
      try {
        mcp.initialize();
        assertThat(mcp.listTools().tools())
            .extracting(McpSchema.Tool::name)
            .containsExactlyElementsOf(McpContract.TOOLS);
      } finally {
        mcp.closeGracefully();
      }
    }
  }
}
