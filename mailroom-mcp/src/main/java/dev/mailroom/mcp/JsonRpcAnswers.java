package dev.mailroom.mcp;

import dev.mailroom.protocol.FieldErrorView;
import dev.mailroom.server.ServletProblems;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers to messages refused before the SDK sees them: over {@code /mcp} as HTTP answers, over
 * stdio as the JSON-RPC error of {@link #error}.
 */
final class JsonRpcAnswers {
  private JsonRpcAnswers() {}

  /**
   * Answers a refused message: a JSON-RPC error to the request's id when it was read (what the
   * client waits for), else a problem that is also a JSON-RPC error response without an id (RFC
   * 9457 allows the extra members; MCP clients read the error, HTTP clients the problem).
   */
  static void refuse(HttpServletResponse res, JsonRpcChecks.Refused r, McpJsonMapper json)
      throws IOException {
    Map<String, Object> rpc = error(r);
    if (r.id().isPresent()) {
      json(res, json.writeValueAsString(rpc));
      return;
    }
    ServletProblems.write(
        res, r.status(), message(r), List.of(new FieldErrorView(r.field(), r.message())), rpc);
  }

  /**
   * The JSON-RPC error response to a refused message, its members in order: to the request's id
   * when it was read, else to a null id (as JSON-RPC answers what it could not read an id from),
   * with the message {@code field: message}.
   */
  static Map<String, Object> error(JsonRpcChecks.Refused r) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", r.code());
    error.put("message", message(r));
    Map<String, Object> rpc = new LinkedHashMap<>();
    rpc.put("jsonrpc", McpSchema.JSONRPC_VERSION);
    rpc.put("id", r.id().orElse(null));
    rpc.put("error", error);
    return rpc;
  }

  private static String message(JsonRpcChecks.Refused r) {
    return r.field() + ": " + r.message();
  }

  /** Answers 200 with one JSON-RPC message. */
  static void json(HttpServletResponse res, String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    res.setStatus(HttpServletResponse.SC_OK);
    res.setContentType("application/json");
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}
