package dev.mailroom.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON-RPC messages of an MCP answer (a JSON body, or the {@code data:} lines of a short
 * Server-Sent Events stream) and checks what MCP promises besides HTTP: a request gets its
 * response, and a request refused (an error, or a tool result marked {@code isError}) changes
 * nothing.
 */
final class JsonRpc {
  private JsonRpc() {}

  /** The messages of an answer; none if it holds none that can be read. */
  static List<JsonNode> messages(RawHttp.Response answer) {
    List<JsonNode> found = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    if (answer.contentType().startsWith("text/event-stream")) {
      for (String line : answer.text().split("\n")) {
        if (line.startsWith("data:")) {
          texts.add(line.substring(5).strip());
        }
      }
    } else if (answer.contentType().contains("json")) {
      texts.add(answer.text());
    }
    for (String t : texts) {
      try {
        JsonNode n = Invariants.LENIENT.readTree(t);
        if (n.isArray()) {
          n.forEach(found::add);
        } else if (n.isObject()) {
          found.add(n);
        }
      } catch (RuntimeException e) {
        // not JSON: nothing found; the invariants judge the answer itself
      }
    }
    return found;
  }

  /** The request's id, if the request as sent is one JSON-RPC request with a usable id. */
  static Optional<JsonNode> requestId(RawHttp.Request request) {
    if (!request.method().equals("POST")) {
      return Optional.empty();
    }
    JsonNode sent;
    try {
      sent = Invariants.LENIENT.readTree(request.body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    JsonNode id = sent.path("id");
    boolean usable = id.isString() || (id.isIntegralNumber() && id.canConvertToLong());
    return sent.path("method").isString()
            && sent.path("jsonrpc").asString("").equals("2.0")
            && usable
        ? Optional.of(id)
        : Optional.empty();
  }

  /** What is wrong with the JSON-RPC side of an answer to a request with an id, if anything. */
  static Optional<Invariants.Violation> check(
      RawHttp.Request request, RawHttp.Response answer, boolean changed) {
    Optional<JsonNode> id = requestId(request);
    if (id.isEmpty() || answer.status() != 200) {
      return Optional.empty();
    }
    Optional<JsonNode> response =
        messages(answer).stream().filter(m -> sameId(m, id.get())).findFirst();
    if (response.isEmpty()) {
      return Optional.of(
          new Invariants.Violation("a request answered 200 without its response", answer.note()));
    }
    boolean refused =
        response.get().has("error")
            || response.get().path("result").path("isError").asBoolean(false);
    if (refused && changed) {
      return Optional.of(
          new Invariants.Violation(
              "a refused JSON-RPC request changed the store", response.get().toString()));
    }
    return Optional.empty();
  }

  private static boolean sameId(JsonNode message, JsonNode id) {
    return message.path("id").toString().equals(id.toString()); // 5 as an int or a long alike
  }

  /** Whether the answer is a tool's result that is no error. */
  static boolean toolSucceeded(RawHttp.Request request, RawHttp.Response answer) {
    Optional<JsonNode> id = requestId(request);
    return id.isPresent()
        && messages(answer).stream()
            .anyMatch(
                m ->
                    sameId(m, id.get())
                        && m.path("result").has("content")
                        && !m.path("result").path("isError").asBoolean(false));
  }
}
