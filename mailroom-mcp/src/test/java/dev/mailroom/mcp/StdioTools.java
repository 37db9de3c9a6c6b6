package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Tool calls over {@link StdioSession}: an initialized stdio MCP server in this JVM, so its working
 * directory is the test's, called with one JSON-RPC request a line.
 */
final class StdioTools implements AutoCloseable {
  private static final Duration ANSWER = Duration.ofMinutes(1);

  private final StdioSession session;
  private final JsonNode initialized;
  private int nextId = 1;

  StdioTools(MailroomClient client) {
    session = new StdioSession(client);
    initialized = request("initialize", Json.mapper().readTree(RawMcp.INITIALIZE).path("params"));
    session.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  /** The server's answer to {@code initialize}. */
  JsonNode initialized() {
    return initialized;
  }

  /** Calls a tool that must succeed and answers its JSON result. */
  JsonNode ok(String tool, Map<String, ?> args) {
    JsonNode result = call(tool, args);
    assertThat(result.path("isError").asBoolean()).as("%s %s: %s", tool, args, result).isFalse();
    return Json.mapper().readTree(text(result));
  }

  /** Calls a tool that must fail cleanly and answers its message. */
  String refused(String tool, Map<String, ?> args) {
    JsonNode result = call(tool, args);
    assertThat(result.path("isError").asBoolean()).as("%s %s: %s", tool, args, result).isTrue();
    return text(result);
  }

  private JsonNode call(String tool, Map<String, ?> args) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("name", tool);
    params.put("arguments", args);
    return request("tools/call", Json.mapper().valueToTree(params));
  }

  private JsonNode request(String method, JsonNode params) {
    int id = nextId++;
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("jsonrpc", "2.0");
    request.put("id", id);
    request.put("method", method);
    request.put("params", params);
    session.send(Json.mapper().writeValueAsString(request));
    JsonNode answer =
        await()
            .atMost(ANSWER)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> answerTo(id), Optional::isPresent)
            .orElseThrow();
    assertThat(answer.has("result")).as("%s", answer).isTrue();
    return answer.path("result");
  }

  private Optional<JsonNode> answerTo(int id) {
    return session.answers().stream()
        .filter(a -> a.path("id").isNumber() && a.path("id").asInt() == id)
        .findFirst();
  }

  private static String text(JsonNode result) {
    assertThat(result.path("content")).hasSize(1);
    return result.path("content").get(0).path("text").asString();
  }

  @Override
  public void close() throws Exception {
    session.close();
  }
}
