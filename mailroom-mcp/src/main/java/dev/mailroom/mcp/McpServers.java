package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClientException;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/** What both transports serve: the server's identity, the tools and the inbox resource. */
final class McpServers {
  static final String INSTRUCTIONS =
      """
      Mailroom is a mailbox for agents; you act as the agent of this server's token (whoami says \
      which). check_inbox shows your unread mail, read_messages reads and filters it, \
      wait_for_messages waits for new mail; send_message and reply write; mark_read and \
      acknowledge keep your inbox tidy; subscribe and join_topic bring a topic's messages into \
      your inbox. Results are compact JSON; long payloads are cut and a note says how to read \
      the rest. Subscribe to the resource mailroom://inbox to be told when new mail arrives.""";

  private McpServers() {}

  /** Builds a server on {@code spec}'s transport, acting for whoever {@code caller} says. */
  static McpSyncServer build(McpServer.SyncSpecification<?> spec, Caller caller) {
    return spec.serverInfo("mailroom", version())
        .instructions(INSTRUCTIONS)
        .capabilities(
            McpSchema.ServerCapabilities.builder().tools(false).resources(true, false).build())
        .tools(Toolbox.all().stream().map(t -> t.specification(caller)).toList())
        .resources(inbox(caller))
        .build();
  }

  private static McpServerFeatures.SyncResourceSpecification inbox(Caller caller) {
    McpSchema.Resource resource =
        McpSchema.Resource.builder()
            .uri(MailroomMcp.INBOX_URI)
            .name("inbox")
            .title("Your inbox")
            .description(
                "Your unread mail in brief: how many, and previews of the oldest. Subscribe to be"
                    + " notified when new mail arrives.")
            .mimeType("application/json")
            .build();
    return new McpServerFeatures.SyncResourceSpecification(
        resource,
        (exchange, request) -> {
          try {
            String summary = InboxSummary.of(caller.client(exchange), InboxSummary.DEFAULT_SHOWN);
            return new McpSchema.ReadResourceResult(
                List.of(
                    new McpSchema.TextResourceContents(
                        MailroomMcp.INBOX_URI, "application/json", summary)));
          } catch (MailroomClientException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                .message(Failures.describe(e))
                .build();
          }
        });
  }

  private static String version() {
    String v = McpServers.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
