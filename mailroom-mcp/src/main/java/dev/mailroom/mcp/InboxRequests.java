package dev.mailroom.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code resources/subscribe} and {@code resources/unsubscribe} of the inbox mean to the
 * session's inbox watch. The SDK answers both requests itself (and keeps its own list of
 * subscribers, which cannot tell one agent's inbox from another's); the transports show each
 * request to {@link #apply} before the SDK handles it.
 */
final class InboxRequests {
  private InboxRequests() {}

  /**
   * Starts or stops the session's watch if {@code request} subscribes to the inbox or unsubscribes
   * from it.
   *
   * @return the JSON-RPC error to answer instead of letting the SDK handle the request, when a
   *     subscription is over the watch limits
   */
  static Optional<String> apply(
      McpSchema.JSONRPCRequest request,
      WatchedSession session,
      InboxWatchers watchers,
      McpJsonMapper json) {
    if (!(request.params() instanceof Map<?, ?> params)
        || !MailroomMcp.INBOX_URI.equals(params.get("uri"))) {
      return Optional.empty();
    }
    return switch (request.method()) {
      case McpSchema.METHOD_RESOURCES_SUBSCRIBE ->
          watchers.start(session).map(why -> refused(request, why, json));
      case McpSchema.METHOD_RESOURCES_UNSUBSCRIBE -> {
        watchers.stop(session.id());
        yield Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  private static String refused(McpSchema.JSONRPCRequest request, String why, McpJsonMapper json) {
    try {
      return json.writeValueAsString(
          McpSchema.JSONRPCResponse.error(
              request.id(),
              new McpSchema.JSONRPCResponse.JSONRPCError(
                  McpSchema.ErrorCodes.INVALID_REQUEST, why)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
