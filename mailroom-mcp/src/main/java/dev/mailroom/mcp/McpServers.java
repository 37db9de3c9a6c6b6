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
      wait_for_messages waits for new mail, search_messages finds messages by their words; \
      send_message and reply write; mark_read and acknowledge keep your inbox tidy; subscribe \
      and join_topic bring a topic's messages into your inbox. Before editing files other agents may be editing too, reserve_files them and       release_files when done; list_reservations shows who holds what. %s Results are compact JSON; long payloads are cut and a note says how to read \
      the rest. Subscribe to the resource mailroom://inbox to be told when new mail arrives.""";

  /** What the instructions say of attachments where the tools may use local files. */
  static final String FILES_LOCAL =
      "send_message and reply attach files of your machine by path (they never pass through"
          + " you); get_attachment shows the start of a text attachment or saves any to a path.";

  /** What the instructions say of attachments where they may not (over HTTP). */
  static final String FILES_REFUSED =
      "send_message and reply attach files you uploaded (POST /v1/uploads) by blob_id;"
          + " get_attachment shows the start of a text attachment.";

  private McpServers() {}

  /**
   * Builds a server on {@code spec}'s transport, acting for whoever {@code caller} says, whose
   * tools may use {@code files}.
   */
  static McpSyncServer build(McpServer.SyncSpecification<?> spec, Caller caller, LocalFiles files) {
    return spec.serverInfo("mailroom", version())
        .instructions(INSTRUCTIONS.formatted(files.allowed() ? FILES_LOCAL : FILES_REFUSED))
        .capabilities(
            McpSchema.ServerCapabilities.builder().tools(false).resources(true, false).build())
        .tools(Toolbox.all(files).stream().map(t -> t.specification(caller)).toList())
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
