package dev.mailroom.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The routes of an OpenAPI 3.1 description: every path and method with its parameters and request
 * body schema. Schemas are kept as written (a {@code $ref} stays a {@code $ref}) so that a value
 * generator can tell an {@code AgentId} from any other string; {@link #resolve} follows references.
 */
final class OpenApiModel {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private final JsonNode root;
  private final List<Operation> operations;

  /**
   * A parameter of an operation.
   *
   * @param in {@code path}, {@code query} or {@code header}
   * @param schema the schema as written, possibly a {@code $ref}
   */
  record Parameter(String name, String in, JsonNode schema, boolean required) {}

  /**
   * One method on one path.
   *
   * @param path the template, such as {@code /v1/messages/{id}}
   * @param body the JSON request body's schema, when the operation takes one
   * @param authenticated false for the routes open to anyone ({@code security: []})
   */
  record Operation(
      String method,
      String path,
      List<Parameter> parameters,
      Optional<JsonNode> body,
      boolean bodyRequired,
      boolean authenticated) {
    List<Parameter> in(String where) {
      return parameters.stream().filter(p -> p.in().equals(where)).toList();
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private OpenApiModel(JsonNode root) {
    this.root = root;
    this.operations = List.copyOf(readOperations());
  }

  /**
   * Reads a description.
   *
   * @throws tools.jackson.core.JacksonException if the text is not YAML
   */
  static OpenApiModel parse(String yaml) {
    return new OpenApiModel(YAMLMapper.builder().build().readTree(yaml));
  }

  List<Operation> operations() {
    return operations;
  }

  /** Every path template. */
  List<String> paths() {
    return root.path("paths").propertyNames().stream().toList();
  }

  /**
   * Keys of the answers' Response Objects that OpenAPI 3.1 does not define, as {@code "<path>
   * <method> <status>: <key>"}; a YAML slip (an unquoted comma in a flow mapping) shows as one.
   */
  List<String> unknownResponseKeys() {
    Set<String> known = Set.of("description", "headers", "content", "links", "$ref");
    List<String> odd = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> m : path.getValue().properties()) {
        for (Map.Entry<String, JsonNode> answer : m.getValue().path("responses").properties()) {
          for (String key : answer.getValue().propertyNames()) {
            if (!known.contains(key)) {
              odd.add(path.getKey() + " " + m.getKey() + " " + answer.getKey() + ": " + key);
            }
          }
        }
      }
    }
    return odd;
  }

  /** The node a {@code $ref} points to, followed until it is not a reference. */
  JsonNode resolve(JsonNode node) {
    JsonNode n = node;
    for (int hops = 0; n.has("$ref") && hops < 32; hops++) {
      n = root.at(n.get("$ref").asString().substring(1));
    }
    return n;
  }

  /** The name a schema refers to ({@code AgentId} for {@code #/components/schemas/AgentId}). */
  static Optional<String> refName(JsonNode schema) {
    String ref = schema.path("$ref").asString("");
    return ref.isEmpty() ? Optional.empty() : Optional.of(ref.substring(ref.lastIndexOf('/') + 1));
  }

  private List<Operation> readOperations() {
    List<Operation> ops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
      JsonNode item = path.getValue();
      for (Map.Entry<String, JsonNode> m : item.properties()) {
        if (!METHODS.contains(m.getKey())) {
          continue;
        }
        JsonNode op = m.getValue();
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode p : item.path("parameters")) {
          parameters.add(parameter(p));
        }
        for (JsonNode p : op.path("parameters")) {
          parameters.add(parameter(p));
        }
        JsonNode body = op.path("requestBody");
        JsonNode json = body.path("content").path("application/json");
        boolean open = op.has("security") && op.get("security").isEmpty();
        ops.add(
            new Operation(
                m.getKey().toUpperCase(Locale.ROOT),
                path.getKey(),
                List.copyOf(parameters),
                json.has("schema") ? Optional.of(json.get("schema")) : Optional.empty(),
                body.path("required").asBoolean(false),
                !open));
      }
    }
    return ops;
  }

  private Parameter parameter(JsonNode written) {
    JsonNode p = resolve(written);
    return new Parameter(
        p.path("name").asString(),
        p.path("in").asString(),
        p.path("schema"),
        p.path("required").asBoolean(false));
  }
}
