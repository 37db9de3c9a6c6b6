package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import io.modelcontextprotocol.server.McpSyncServerExchange;

/** Who calls: the client that acts as the agent behind an MCP request. */
@FunctionalInterface
interface Caller {
  /**
   * A client with the caller's own token, so the server applies that agent's permissions, rate
   * limit and audit to everything the tool does.
   */
  MailroomClient client(McpSyncServerExchange exchange);
}
