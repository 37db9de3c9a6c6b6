package dev.mailroom.server.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON helpers for the tests: writing request bodies and reading answers leniently. */
final class Json {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  static JsonNode parse(String text) {
    return MAPPER.readTree(text);
  }

  /** A mutable, insertion-ordered map, so that tests can build a body and then spoil one field. */
  static Map<String, @Nullable Object> object(@Nullable Object... keysAndValues) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** The text of a string field; null when the field is absent or JSON null. */
  static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    return value.isString() ? value.stringValue() : value.toString();
  }

  /** The elements of an array field (empty when absent). */
  static List<JsonNode> array(JsonNode node, String field) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode value = node.get(field);
    if (value != null && value.isArray()) {
      value.forEach(out::add);
    }
    return out;
  }
}
