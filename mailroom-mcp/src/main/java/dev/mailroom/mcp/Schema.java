package dev.mailroom.mcp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the JSON schema of a tool's arguments: an object whose properties each carry a
 * description, with no other properties allowed (a misspelt argument is refused, not ignored). Not
 * thread-safe.
 */
final class Schema {
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final List<String> required = new ArrayList<>();

  private Schema() {}

  static Schema object() {
    return new Schema();
  }

  Schema string(String name, String description) {
    return property(name, Map.of("type", "string", "description", description));
  }

  Schema choice(String name, String description, List<String> values) {
    return property(name, Map.of("type", "string", "description", description, "enum", values));
  }

  Schema integer(String name, String description, long min, long max) {
    return property(
        name,
        Map.of("type", "integer", "description", description, "minimum", min, "maximum", max));
  }

  Schema bool(String name, String description) {
    return property(name, Map.of("type", "boolean", "description", description));
  }

  Schema strings(String name, String description, int maxItems) {
    return array(name, description, Map.of("type", "string"), maxItems);
  }

  /** An array of 1 to {@code maxItems} objects, each of the {@code item} schema. */
  Schema objects(String name, String description, Schema item, int maxItems) {
    return array(name, description, item.build(), maxItems);
  }

  private Schema array(String name, String description, Object items, int maxItems) {
    return property(
        name,
        Map.of(
            "type",
            "array",
            "description",
            description,
            "items",
            items,
            "minItems",
            1,
            "maxItems",
            maxItems));
  }

  Schema json(String name, String description) {
    return property(name, Map.of("type", "object", "description", description));
  }

  Schema required(String... names) {
    required.addAll(List.of(names));
    return this;
  }

  /** The schema as the MCP SDK takes it: a JSON object as maps and lists. */
  Map<String, Object> build() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
    if (!required.isEmpty()) {
      schema.put("required", List.copyOf(required));
    }
    schema.put("additionalProperties", false);
    return Collections.unmodifiableMap(schema);
  }

  private Schema property(String name, Map<String, Object> schema) {
    properties.put(name, schema);
    return this;
  }
}
