package dev.mailroom.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mutations of a JSON body, on its tree or its text: a value of the wrong type, a field left out or
 * added, numbers at and past every limit, deep nesting, duplicate keys, lone surrogates, invalid
 * UTF-8, huge strings and arrays, and text that is not JSON at all. Each returns what it did, for
 * the failure report. Shared by the REST and the MCP fuzzers.
 */
final class JsonMutations {
  /** Stands for invalid UTF-8 bytes inside a string until the body is bytes. */
  static final String INVALID_UTF8_MARK = "@@invalid-utf8@@";

  static final List<String> NUMBERS =
      List.of(
          "1e999",
          "-1e999",
          "1e-999",
          "1E400",
          "-1",
          "0",
          "-0",
          "1.5",
          "0.0000001",
          "2147483648",
          "-2147483649",
          "9223372036854775808",
          "-9223372036854775809",
          "1" + "0".repeat(399),
          "-" + "9".repeat(400),
          "9".repeat(1001),
          "0." + "1".repeat(900),
          "1e2147483648");

  static final List<String> NOT_JSON =
      List.of(
          "",
          " ",
          "hello",
          "null",
          "true",
          "1",
          "\"x\"",
          "[]",
          "{}",
          "{",
          "}",
          "[",
          "{\"a\":}",
          "{'mode':'direct'}",
          "{mode:1}",
          "{\"a\":NaN}",
          "{\"a\":1,}",
          "/*c*/{}",
          "{\"a\":1}x",
          "{\"a\":1}{\"a\":1}",
          "<?xml version=\"1.0\"?><a/>",
          "a=b&c=d",
          "\u0000",
          "\"\\ud800\"");

  static final List<String> STRINGS =
      List.of(
          "\"a\\ud800b\"",
          "\"\\udc00\"",
          "\"\\ud800\\ud800\"",
          "\"\\udbff\"",
          "\"a\\u0000b\"",
          "\"\\u001f\"",
          "\"\\u202e\\ufeff\"",
          "\"\uD83D\uDE00\"",
          "\"\"",
          "\" \"",
          "\"\\\\\"",
          "\"%00\"",
          "\"../../etc/passwd\"",
          "\"*\"",
          "\"**\"",
          "\"a.*\"",
          "\"gpt*\"",
          "\"..\"",
          "\"a..b\"",
          "\".a\"",
          "\"a.\"",
          "\"admin\"",
          "\"\\n\"");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonMutations() {}

  /** A place in the tree: a property of an object or an element of an array. */
  private record Place(JsonNode container, String key, int index) {
    void set(JsonNode value) {
      if (container instanceof ObjectNode o) {
        o.set(key, value);
      } else {
        ((ArrayNode) container).set(index, value);
      }
    }

    JsonNode get() {
      return container instanceof ObjectNode o ? o.get(key) : container.get(index);
    }

    String name() {
      return container instanceof ObjectNode ? key : "[" + index + "]";
    }
  }

  /** Applies one mutation to the draft's body, if it has one it can change; answers what it did. */
  static String mutate(Draft d, RandomGenerator r) {
    if (d.json == null || r.nextInt(6) == 0) {
      return whole(d, r);
    }
    List<Place> places = new ArrayList<>();
    collect(d.json, places, 0);
    if (places.isEmpty()) {
      return whole(d, r);
    }
    Place p = places.get(r.nextInt(places.size()));
    return switch (r.nextInt(11)) {
      case 0 -> {
        JsonNode v = otherType(p.get(), r);
        p.set(v);
        yield p.name() + " := " + v;
      }
      case 1 -> {
        if (p.container() instanceof ObjectNode o) {
          o.remove(p.key());
        } else {
          ((ArrayNode) p.container()).remove(p.index());
        }
        yield "without " + p.name();
      }
      case 2 -> {
        if (p.container() instanceof ObjectNode o) {
          o.put("unexpected_" + r.nextInt(100), 1);
          yield "an unknown field";
        }
        ((ArrayNode) p.container()).add(1);
        yield "one more element";
      }
      case 3 -> {
        // a number where a number goes passes the type check and reaches the range checks
        List<Place> numbers = places.stream().filter(x -> x.get().isNumber()).toList();
        yield raw(d, numbers.isEmpty() ? p : pick(numbers, r), pick(NUMBERS, r));
      }
      case 4 -> raw(d, p, deep(pick(List.of(64, 499, 500, 501, 1000, 5000, 100_000), r), r));
      case 5 -> raw(d, p, pick(STRINGS, r));
      case 6 -> raw(d, p, "\"a" + INVALID_UTF8_MARK + "b\"");
      case 7 -> {
        int n = pick(List.of(257, 1025, 70_000, 1_100_000), r);
        yield raw(d, p, "\"" + "x".repeat(n) + "\"", p.name() + " := a string of " + n);
      }
      case 8 -> {
        int n = pick(List.of(33, 1001, 100_000), r);
        yield raw(d, p, "[" + "\"a\",".repeat(n) + "\"a\"]", p.name() + " := an array of " + n);
      }
      case 9 -> raw(d, p, "null");
      default -> {
        String text = new String(d.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (!text.startsWith("{\"")) {
          yield whole(d, r);
        }
        String key = text.substring(1, text.indexOf('"', 2) + 1);
        d.rawBody =
            ("{"
                    + key
                    + ":"
                    + pick(List.of("1", "\"dup\"", "null", "{}"), r)
                    + ","
                    + text.substring(1))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        yield "duplicate key " + key;
      }
    };
  }

  private static String whole(Draft d, RandomGenerator r) {
    if (r.nextInt(3) == 0) {
      String big = deep(pick(List.of(499, 500, 501, 2000), r), r);
      d.rawBody = big.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return "the body nested " + big.length() / 2 + " levels";
    }
    String text = pick(NOT_JSON, r);
    d.rawBody = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return "the body " + Printable.bytes(d.rawBody, 60);
  }

  private static String raw(Draft d, Place p, String json) {
    return raw(
        d,
        p,
        json,
        p.name() + " := " + (json.length() > 60 ? json.substring(0, 60) + "..." : json));
  }

  private static String raw(Draft d, Place p, String json, String description) {
    p.set(NODES.stringNode(d.raw(json)));
    return description;
  }

  /** Nested arrays or objects, {@code depth} levels. */
  static String deep(int depth, RandomGenerator r) {
    return r.nextBoolean()
        ? "[".repeat(depth) + "]".repeat(depth)
        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  private static JsonNode otherType(JsonNode current, RandomGenerator r) {
    List<JsonNode> others =
        new ArrayList<>(
            List.of(
                NODES.stringNode("x"),
                NODES.numberNode(1),
                NODES.booleanNode(true),
                NODES.nullNode(),
                NODES.arrayNode(),
                NODES.objectNode(),
                NODES.arrayNode().add(1).add("a"),
                NODES.objectNode().put("a", 1)));
    others.removeIf(o -> o.getNodeType() == current.getNodeType());
    return others.get(r.nextInt(others.size()));
  }

  private static void collect(JsonNode node, List<Place> places, int depth) {
    if (depth > 6) {
      return;
    }
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        places.add(new Place(o, e.getKey(), -1));
        collect(e.getValue(), places, depth + 1);
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        places.add(new Place(a, "", i));
        collect(a.get(i), places, depth + 1);
      }
    }
  }

  static <T> T pick(List<T> choices, RandomGenerator r) {
    return choices.get(r.nextInt(choices.size()));
  }
}
