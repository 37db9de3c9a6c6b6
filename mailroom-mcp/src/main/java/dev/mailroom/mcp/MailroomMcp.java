package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.server.ServletEndpoint;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Mailroom's MCP server on its two transports.
 *
 * <pre>{@code
 * // mounted on a server at /mcp (streamable HTTP, each request with the agent's token)
 * MailroomServer.start(ServerConfig.builder().endpoint(MailroomMcp.endpoint()).build());
 *
 * // over stdio, as one agent, until standard input ends (what `mailroom mcp` runs)
 * MailroomMcp.serveStdio(MailroomClient.create(server, token), System.in, System.out);
 * }</pre>
 *
 * <p>Both serve the same tools and the {@link #INBOX_URI inbox resource}; see docs/MCP.md.
 */
public final class MailroomMcp {
  /** Where the server mounts the streamable HTTP endpoint. */
  public static final String PATH = "/mcp";

  /** The inbox resource: the caller's unread mail in brief; subscribe to hear of new mail. */
  public static final String INBOX_URI = "mailroom://inbox";

  private MailroomMcp() {}

  /** The {@code /mcp} endpoint, for {@code ServerConfig.Builder.endpoint(..)}. */
  public static ServletEndpoint.Factory endpoint() {
    return McpHttpEndpoint::new;
  }

  /**
   * Serves MCP over {@code in} and {@code out} (one JSON-RPC message a line) as the client's agent,
   * until {@code in} ends; blocks the calling thread. Nothing but the protocol is written to {@code
   * out}.
   *
   * @throws InterruptedException if the calling thread is interrupted while serving
   */
  public static void serveStdio(MailroomClient client, InputStream in, OutputStream out)
      throws InterruptedException {
    new McpStdio(client, in, out).serve();
  }
}
