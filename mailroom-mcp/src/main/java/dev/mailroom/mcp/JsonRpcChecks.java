package dev.mailroom.mcp;

import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.JsonLimits;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one JSON-RPC message (posted to {@code /mcp}, or a line of the stdio transport) and checks
 * it as far as the MCP SDK relies on it, so that the SDK only sees messages it can answer: strict
 * JSON in UTF-8 (no duplicate member, bounded depth and numbers), one message object (no batch),
 * {@code "jsonrpc":"2.0"}, an id that is a string or a whole number, a method name, params that are
 * an object, and, for the methods Mailroom serves, params of the shape the method takes. Responses
 * are refused: Mailroom's MCP server sends clients no requests, so it expects no answers. Stateless
 * and thread-safe.
 */
final class JsonRpcChecks {
  /**
   * The deepest nesting read: what clients read, so that a payload at the largest depth a server
   * may take fits in a tool's arguments (the server itself then applies its own limit).
   */
  static final int MAX_DEPTH = JsonLimits.READER_MAX_DEPTH;

  /** The longest number read (an id is at most a {@code long}; a payload's number can be long). */
  static final int MAX_NUMBER_LENGTH = JsonLimits.READER_MAX_NUMBER_LENGTH;

  /** The largest JSON-RPC message read, as the SDK's own limit (its stdio transport's default). */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  static final int MAX_ID_LENGTH = 256;
  static final int MAX_METHOD_LENGTH = 128;

  private static final JsonMapper STRICT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** A required member of a method's params, and its JSON type. */
  private record Required(String name, Kind kind) {}

  private enum Kind {
    STRING,
    OBJECT
  }

  /** What the methods Mailroom serves take: required members and the SDK's type for the params. */
  private record Shape(List<Required> required, Class<?> type) {}

  private static final Map<String, Shape> SHAPES =
      Map.of(
          McpSchema.METHOD_INITIALIZE,
          new Shape(
              List.of(
                  new Required("protocolVersion", Kind.STRING),
                  new Required("capabilities", Kind.OBJECT),
                  new Required("clientInfo", Kind.OBJECT)),
              McpSchema.InitializeRequest.class),
          McpSchema.METHOD_TOOLS_LIST,
          new Shape(List.of(), McpSchema.PaginatedRequest.class),
          McpSchema.METHOD_TOOLS_CALL,
          new Shape(List.of(new Required("name", Kind.STRING)), McpSchema.CallToolRequest.class),
          McpSchema.METHOD_RESOURCES_LIST,
          new Shape(List.of(), McpSchema.PaginatedRequest.class),
          McpSchema.METHOD_RESOURCES_TEMPLATES_LIST,
          new Shape(List.of(), McpSchema.PaginatedRequest.class),
          McpSchema.METHOD_RESOURCES_READ,
          new Shape(List.of(new Required("uri", Kind.STRING)), McpSchema.ReadResourceRequest.class),
          McpSchema.METHOD_RESOURCES_SUBSCRIBE,
          new Shape(List.of(new Required("uri", Kind.STRING)), McpSchema.SubscribeRequest.class),
          McpSchema.METHOD_RESOURCES_UNSUBSCRIBE,
          new Shape(List.of(new Required("uri", Kind.STRING)), McpSchema.UnsubscribeRequest.class));

  /** What a posted body turned out to be. */
  sealed interface Reading {}

  /** A message the SDK may handle. */
  record Accepted(McpSchema.JSONRPCMessage message) implements Reading {
    boolean initializes() {
      return message instanceof McpSchema.JSONRPCRequest r
          && McpSchema.METHOD_INITIALIZE.equals(r.method());
    }

    /**
     * Whether the message is a notification Mailroom does not act on, accepted and dropped rather
     * than handed to the SDK: only {@code notifications/initialized} matters to the session. (The
     * SDK answers {@code notifications/roots/list_changed} by asking the client for its roots, and
     * fails when the client has none to give; Mailroom uses no roots.)
     */
    boolean ignored() {
      return message instanceof McpSchema.JSONRPCNotification n
          && !McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(n.method());
    }
  }

  /**
   * A message refused. With an {@code id}, it is a request whose id was read, answered with a
   * JSON-RPC error to that id; without, the whole HTTP request is refused with {@code status} (over
   * stdio, answered with a JSON-RPC error to a null id).
   *
   * @param field the member (or header) at fault, such as {@code params.arguments}
   */
  record Refused(int status, int code, Optional<Object> id, String field, String message)
      implements Reading {
    static Refused request(int code, String field, String message) {
      return new Refused(400, code, Optional.empty(), field, message);
    }
  }

  private final McpJsonMapper sdk;
  private final String whole;

  /**
   * @param whole what a refusal names when the fault is the message as a whole: {@code body} over
   *     HTTP, {@code line} over stdio
   */
  JsonRpcChecks(McpJsonMapper sdk, String whole) {
    this.sdk = sdk;
    this.whole = whole;
  }

  /** Reads and checks one message. */
  Reading read(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      return Refused.request(ErrorCodes.PARSE_ERROR, whole, "is not valid UTF-8");
    }
    JsonNode tree;
    try {
      tree = STRICT.readTree(text);
    } catch (StreamConstraintsException e) {
      return Refused.request(
          ErrorCodes.PARSE_ERROR,
          whole,
          "is nested deeper than "
              + MAX_DEPTH
              + " levels or holds a number longer than "
              + MAX_NUMBER_LENGTH
              + " digits");
    } catch (JacksonException e) {
      return Refused.request(ErrorCodes.PARSE_ERROR, whole, "is not valid JSON: " + brief(e));
    }
    if (tree == null || tree.isMissingNode()) {
      return Refused.request(
          ErrorCodes.PARSE_ERROR, whole, "is empty; expected a JSON-RPC message");
    }
    if (tree.isArray()) {
      return Refused.request(
          ErrorCodes.INVALID_REQUEST,
          whole,
          "is a batch; send one JSON-RPC message per request (MCP 2025-06-18 removed batches)");
    }
    if (!(tree instanceof ObjectNode message)) {
      return Refused.request(
          ErrorCodes.INVALID_REQUEST, whole, "must be a JSON-RPC message object");
    }
    return check(message, text);
  }

  private Reading check(ObjectNode m, String text) {
    JsonNode version = m.get("jsonrpc");
    if (version == null || !version.isString() || !"2.0".equals(version.asString())) {
      return Refused.request(ErrorCodes.INVALID_REQUEST, "jsonrpc", "must be \"2.0\"");
    }
    JsonNode method = m.get("method");
    if (method == null) {
      String why =
          m.has("result") || m.has("error")
              ? "is required: Mailroom's MCP server sends clients no requests, so it expects no"
                  + " responses"
              : "is required";
      return Refused.request(ErrorCodes.INVALID_REQUEST, "method", why);
    }
    if (!method.isString() || method.asString().isEmpty()) {
      return Refused.request(ErrorCodes.INVALID_REQUEST, "method", "must be a non-empty string");
    }
    if (method.asString().length() > MAX_METHOD_LENGTH) {
      return Refused.request(
          ErrorCodes.INVALID_REQUEST,
          "method",
          "must be at most " + MAX_METHOD_LENGTH + " characters");
    }
    Optional<Object> id = Optional.empty();
    if (m.has("id")) {
      Optional<String> bad = badId(m.get("id"));
      if (bad.isPresent()) {
        return Refused.request(ErrorCodes.INVALID_REQUEST, "id", bad.get());
      }
      id = Optional.of(m.get("id").isString() ? m.get("id").asString() : m.get("id").asLong());
    }
    JsonNode params = m.get("params");
    if (params != null && !params.isObject()) {
      return refusedParams(id, "params", "must be a JSON object");
    }
    Shape shape = id.isPresent() ? SHAPES.get(method.asString()) : null;
    if (shape != null) {
      for (Required r : shape.required()) {
        JsonNode v = params == null ? null : params.get(r.name());
        boolean ok = v != null && (r.kind() == Kind.STRING ? v.isString() : v.isObject());
        if (!ok) {
          return refusedParams(
              id,
              "params." + r.name(),
              "is required, as a " + (r.kind() == Kind.STRING ? "string" : "JSON object"));
        }
      }
    }
    McpSchema.JSONRPCMessage parsed;
    try {
      parsed = McpSchema.deserializeJsonRpcMessage(sdk, text);
    } catch (IOException | RuntimeException e) {
      return new Refused(
          400,
          ErrorCodes.INVALID_REQUEST,
          Optional.empty(),
          whole,
          "is not a JSON-RPC message the MCP server can read");
    }
    if (shape != null && parsed instanceof McpSchema.JSONRPCRequest r) {
      try {
        sdk.convertValue(r.params() == null ? Map.of() : r.params(), shape.type());
      } catch (RuntimeException e) {
        return refusedParams(
            id, "params", "do not have the form " + method.asString() + " takes: " + form(shape));
      }
    }
    return new Accepted(parsed);
  }

  private static Optional<String> badId(JsonNode id) {
    if (id.isString()) {
      return id.asString().length() > MAX_ID_LENGTH
          ? Optional.of("must be at most " + MAX_ID_LENGTH + " characters")
          : Optional.empty();
    }
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return Optional.empty();
    }
    return Optional.of("must be a string or a whole number of at most 18 digits");
  }

  /**
   * Bad params: answered to the request's id when it has one (a JSON-RPC error, which is what a
   * client waits for), else the message is refused as a whole.
   */
  private static Refused refusedParams(Optional<Object> id, String field, String message) {
    return new Refused(id.isPresent() ? 200 : 400, ErrorCodes.INVALID_PARAMS, id, field, message);
  }

  private static String form(Shape shape) {
    if (shape.required().isEmpty()) {
      return "an object (with an optional cursor)";
    }
    return "an object with "
        + String.join(", ", shape.required().stream().map(Required::name).toList());
  }

  /** A parse failure in a few plain words, with where it happened. */
  /**
   * What is wrong with the text, in the words every refusal of malformed JSON uses ({@link
   * Json#describe}: never the parser's own message, which names its classes), and where.
   */
  private static String brief(JacksonException e) {
    String message = Json.describe(e);
    var at = e.getLocation();
    return at != null && at.getLineNr() > 0
        ? message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"
        : message;
  }
}
