package dev.mailroom.fuzz;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC messages for the MCP server: valid requests and notifications (tool calls with arguments
 * from each tool's input schema, resources, ping, logging) and their mutations: ids of every JSON
 * type and size, params and arguments of the wrong type, unknown tools, resources and methods,
 * responses and batches sent to the server, a missing or wrong {@code jsonrpc}, duplicate keys. Not
 * thread-safe.
 */
final class McpMessages {
  static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final List<String> METHODS =
      List.of(
          "tools/list",
          "resources/list",
          "resources/templates/list",
          "prompts/list",
          "ping",
          "logging/setLevel",
          "completion/complete",
          "resources/read",
          "resources/subscribe",
          "resources/unsubscribe",
          "sampling/createMessage",
          "roots/list",
          "elicitation/create");

  private static final List<String> NOTIFICATIONS =
      List.of(
          "notifications/initialized",
          "notifications/cancelled",
          "notifications/progress",
          "notifications/roots/list_changed",
          "notifications/unknown");

  private final Map<String, JsonNode> tools;
  private final SchemaValues values;

  /**
   * @param tools each tool's input schema, by name, as {@code tools/list} answered
   */
  McpMessages(Map<String, JsonNode> tools, SchemaValues values) {
    this.tools = tools;
    this.values = values;
  }

  /** A valid message: mostly a tool call, else another request or a notification. */
  ObjectNode valid(int id, RandomGenerator r) {
    ObjectNode m = NODES.objectNode().put("jsonrpc", "2.0");
    int kind = r.nextInt(10);
    if (kind < 6) {
      List<String> names = tools.keySet().stream().sorted().toList();
      String tool = names.get(r.nextInt(names.size()));
      m.put("id", id).put("method", "tools/call");
      m.putObject("params")
          .put("name", tool)
          .set("arguments", values.value("arguments", tools.get(tool), r));
    } else if (kind < 9) {
      String method = METHODS.get(r.nextInt(METHODS.size()));
      m.put("id", id).put("method", method);
      ObjectNode params = m.putObject("params");
      switch (method) {
        case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
            params.put("uri", "mailroom://inbox");
        case "logging/setLevel" -> params.put("level", "debug");
        default -> m.remove("params");
      }
    } else {
      String method = NOTIFICATIONS.get(r.nextInt(NOTIFICATIONS.size()));
      m.put("method", method);
      if (method.equals("notifications/cancelled")) {
        m.putObject("params").put("requestId", id - 1).put("reason", "fuzz");
      }
    }
    return m;
  }

  /** One JSON-RPC mutation of the draft's message; answers what it did. */
  static String mutate(Draft d, RandomGenerator r) {
    if (!(d.json instanceof ObjectNode m)) {
      return JsonMutations.mutate(d, r);
    }
    switch (r.nextInt(12)) {
      case 0 -> {
        String id =
            JsonMutations.pick(
                List.of(
                    "\"s\"",
                    "0",
                    "-1",
                    "1.5",
                    "1e400",
                    "9".repeat(900),
                    "null",
                    "{}",
                    "[]",
                    "true",
                    "\"\"",
                    "{\"a\":[1]}"),
                r);
        m.put("id", d.raw(id));
        return "id " + (id.length() > 20 ? id.length() + " digits" : id);
      }
      case 1 -> {
        m.put(
            "params",
            d.raw(JsonMutations.pick(List.of("\"x\"", "1", "[]", "null", "true", "[{}]"), r)));
        return "params of the wrong type";
      }
      case 2 -> {
        ObjectNode params =
            m.has("params") && m.get("params").isObject()
                ? (ObjectNode) m.get("params")
                : m.putObject("params");
        String field =
            JsonMutations.pick(
                List.of("arguments", "name", "uri", "level", "requestId", "cursor", "_meta"), r);
        String v =
            JsonMutations.pick(
                List.of(
                    "\"x\"",
                    "1",
                    "[]",
                    "null",
                    "true",
                    "{}",
                    "\"mailroom://other\"",
                    "\"file:///etc/passwd\"",
                    "\"no_such_tool\"",
                    "\"\""),
                r);
        params.put(field, d.raw(v));
        return "params." + field + " := " + v;
      }
      case 3 -> {
        String method =
            JsonMutations.pick(
                List.of(
                    "\"\"",
                    "\"rpc.discover\"",
                    "\"tools/call \"",
                    "\"TOOLS/CALL\"",
                    "\"unknown/method\"",
                    "1",
                    "null",
                    "{}",
                    "\"initialize\""),
                r);
        m.put("method", d.raw(method));
        return "method " + method;
      }
      case 4 -> {
        m.remove("method");
        return "no method";
      }
      case 5 -> {
        String v = JsonMutations.pick(List.of("\"1.0\"", "2", "null", "\"2.0 \""), r);
        m.put("jsonrpc", d.raw(v));
        return "jsonrpc " + v;
      }
      case 6 -> {
        m.remove("jsonrpc");
        return "no jsonrpc";
      }
      case 7 -> {
        m.remove("method");
        m.remove("params");
        if (r.nextBoolean()) {
          m.putObject("result");
        } else {
          m.putObject("error").put("code", -32000).put("message", "fuzz");
        }
        return "a response sent to the server";
      }
      case 8 -> {
        m.remove("id");
        return "a request as a notification";
      }
      case 9 -> {
        String one = d.raw(m.toString());
        d.json = NODES.arrayNode().add(one).add(r.nextBoolean() ? one : d.raw("\"x\""));
        return "a batch";
      }
      case 10 -> {
        d.rawBody =
            JsonMutations.pick(
                    List.of(
                        "null",
                        "[]",
                        "[1]",
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"method\":\"tools/list\"}",
                        "{}",
                        "\"\""),
                    r)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "the body " + new String(d.rawBody, java.nio.charset.StandardCharsets.UTF_8);
      }
      default -> {
        return JsonMutations.mutate(d, r);
      }
    }
  }
}
