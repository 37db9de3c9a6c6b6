package dev.mailroom.cli;

import dev.mailroom.mcp.McpContract;
import dev.mailroom.protocol.AgentCreated;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The MCP contract over stdio: each client starts {@code mailroom mcp} in a JVM of its own (this
 * test's class path), as an MCP client starts a command, with the server's URL and the agent's
 * token in the environment.
 */
class StdioMcpIT extends McpContract {

  @Override
  protected McpSyncClient connect(
      AgentCreated agent, Consumer<List<McpSchema.ResourceContents>> updates) {
    ServerParameters command =
        ServerParameters.builder(ProcessHandle.current().info().command().orElse("java"))
            .args(
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mailroom.cli.Main",
                "mcp")
            .addEnvVar(ConnectionOptions.URL_VARIABLE, server.baseUri().toString())
            .addEnvVar(ConnectionOptions.TOKEN_VARIABLE, agent.token())
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(command, McpJsonDefaults.getMapper()))
            .requestTimeout(Duration.ofSeconds(90))
            .initializationTimeout(Duration.ofSeconds(60))
            .resourcesUpdateConsumer(updates)
            .build();
    client.initialize();
    return client;
  }
}
