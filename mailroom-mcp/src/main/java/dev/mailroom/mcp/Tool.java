package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tool: its definition (what {@code tools/list} shows) and what a call does. A call never
 * throws to the MCP client: a bad argument or a refused request is a result with {@code isError}
 * set and a short message naming the problem.
 */
record Tool(McpSchema.Tool definition, Handler handler) {
  private static final Logger LOG = LoggerFactory.getLogger(Tool.class);

  /** What a call does, as the caller; returns the result's text. */
  @FunctionalInterface
  interface Handler {
    /**
     * @throws Args.BadArgument if an argument is wrong
     * @throws Failure if the call cannot be done for another reason its message names
     * @throws MailroomClientException if the server refuses or cannot be reached
     */
    String call(MailroomClient client, Args args);
  }

  /**
   * A call that failed for a reason other than its arguments or the server's answer (a file that
   * cannot be read or written midway), whose message says all: it is the result's text.
   */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** What a tool does to the mailbox, for clients that ask before running tools that write. */
  enum Effect {
    READS,
    WRITES,
    /** Writes, and doing it again changes nothing more. */
    WRITES_IDEMPOTENT,
    /** Removes something. */
    REMOVES
  }

  static Tool of(
      String name, String title, String description, Effect effect, Schema args, Handler handler) {
    var annotations =
        new McpSchema.ToolAnnotations(
            title,
            effect == Effect.READS,
            effect == Effect.REMOVES,
            effect != Effect.WRITES,
            false,
            null);
    return new Tool(
        McpSchema.Tool.builder()
            .name(name)
            .title(title)
            .description(description)
            .inputSchema(args.build())
            .annotations(annotations)
            .build(),
        handler);
  }

  String name() {
    return definition.name();
  }

  McpServerFeatures.SyncToolSpecification specification(Caller caller) {
    return McpServerFeatures.SyncToolSpecification.builder()
        .tool(definition)
        .callHandler((exchange, request) -> call(caller, exchange, request))
        .build();
  }

  private McpSchema.CallToolResult call(
      Caller caller, McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    try {
      return result(handler.call(caller.client(exchange), new Args(request.arguments())), false);
    } catch (Args.BadArgument | Failure e) {
      return result(e.getMessage(), true);
    } catch (MailroomClientException e) {
      return result(Failures.describe(e), true);
    } catch (RuntimeException e) {
      LOG.error("tool {} failed unexpectedly", name(), e);
      // The exception stays in the log: its class and message are the code's, not the caller's.
      return result("the tool failed unexpectedly; the server's log has the details", true);
    }
  }

  private static McpSchema.CallToolResult result(String text, boolean error) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(error).build();
  }
}
