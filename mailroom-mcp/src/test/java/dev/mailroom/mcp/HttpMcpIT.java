package dev.mailroom.mcp;

import dev.mailroom.protocol.AgentCreated;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The MCP contract over streamable HTTP at {@code /mcp}, with the agent's bearer token. */
class HttpMcpIT extends McpContract {

  @Override
  protected McpSyncClient connect(
      AgentCreated agent, Consumer<List<McpSchema.ResourceContents>> updates) {
    McpSyncClient client =
        McpClient.sync(transport(server.baseUri(), agent.token()))
            .requestTimeout(Duration.ofSeconds(90))
            .resourcesUpdateConsumer(updates)
            .build();
    client.initialize();
    return client;
  }

  static HttpClientStreamableHttpTransport transport(URI server, String token) {
    return HttpClientStreamableHttpTransport.builder(server.toString())
        .endpoint(MailroomMcp.PATH)
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
        .build();
  }
}
