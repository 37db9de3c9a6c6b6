package dev.mailroom.server;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Checks on parsed JSON values that the parser does not make. They walk the tree with a queue of
 * their own, not the call stack, so a deep value cannot run a request thread out of stack.
 */
final class JsonValues {
  private JsonValues() {}

  /**
   * What is wrong with the text of a value: a string or property name that holds half of a UTF-16
   * surrogate pair ({@code "\ud800"} escaped in JSON), which no UTF-8 store can keep. Empty when
   * every string is well-formed.
   */
  static Optional<String> malformedText(JsonNode value) {
    ArrayDeque<JsonNode> todo = new ArrayDeque<>();
    todo.push(value);
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (n.isString()) {
        Optional<String> problem = malformedText(n.stringValue());
        if (problem.isPresent()) {
          return problem;
        }
      } else if (n.isObject()) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          Optional<String> problem = malformedText(e.getKey());
          if (problem.isPresent()) {
            return problem;
          }
          todo.push(e.getValue());
        }
      } else if (n.isArray()) {
        for (JsonNode item : n) {
          todo.push(item);
        }
      }
    }
    return Optional.empty();
  }

  /** What is wrong with a string: a lone surrogate. Empty when it is well-formed UTF-16. */
  static Optional<String> malformedText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            String.format(
                "has a lone surrogate (\\u%04x) in a string; text must be valid Unicode", (int) c));
      }
    }
    return Optional.empty();
  }
}
