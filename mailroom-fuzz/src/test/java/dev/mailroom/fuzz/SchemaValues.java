package dev.mailroom.fuzz;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Valid JSON values for JSON schemas (the subset OpenAPI 3.1 and MCP tool descriptions use): a
 * named schema draws a known value from {@link Samples} most of the time; enums, patterns, ranges,
 * formats, required and optional properties are respected. Numbers stay near their minimum and
 * names in {@link #SLOW} are kept at one, so that a valid request never waits long (a long poll of
 * 60 s would stall the fuzzer). Not thread-safe.
 */
final class SchemaValues {
  /** Parameters and properties that make the server wait that many seconds. */
  static final Map<String, Long> SLOW = Map.of("wait_seconds", 1L, "timeout_seconds", 1L);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final UnaryOperator<JsonNode> resolver;
  private final Samples samples;

  /**
   * @param resolver follows a {@code $ref} to its schema
   * @param samples known values by slot
   */
  SchemaValues(UnaryOperator<JsonNode> resolver, Samples samples) {
    this.resolver = resolver;
    this.samples = samples;
  }

  /** A valid value of {@code schema} for a property or parameter called {@code name}. */
  JsonNode value(String name, JsonNode schema, RandomGenerator r) {
    return value(name, schema, r, 0);
  }

  /** A known value of the slot {@code name} if there is one, else as {@link #value}. */
  JsonNode known(String name, JsonNode schema, RandomGenerator r) {
    Optional<String> known = samples.pick(name, r);
    return known.isPresent() ? NODES.stringNode(known.get()) : value(name, schema, r);
  }

  private JsonNode value(String name, JsonNode written, RandomGenerator r, int depth) {
    JsonNode s = resolver.apply(written);
    String type = s.path("type").asString("");
    boolean scalar = !type.equals("array") && !type.equals("object") && !s.has("properties");
    // The slot a caller names for a whole parameter wins over its schema's name: a dead letter's
    // id is a MessageId, but only the ids of dead letters find anything on the dead-letter routes;
    // an agent to retire or delete is an AgentId, but retiring or deleting a caller would lock it
    // out for good.
    Optional<String> slot =
        depth == 0
                && (name.equals(ValidRequests.DEAD_LETTER)
                    || name.equals(ValidRequests.RETIREE)
                    || name.equals(ValidRequests.DELETEE))
            ? Optional.of(name)
            : OpenApiModel.refName(written).or(() -> Optional.of(name));
    Optional<String> known = slot.filter(x -> scalar).flatMap(x -> samples.pick(x, r));
    if (known.isPresent() && r.nextInt(5) != 0) {
      return NODES.stringNode(known.get());
    }
    if (s.has("const")) {
      return s.get("const");
    }
    if (s.has("enum")) {
      return s.get("enum").get(r.nextInt(s.get("enum").size()));
    }
    for (String combinator : List.of("oneOf", "anyOf")) {
      if (s.has(combinator)) {
        List<JsonNode> branches = new ArrayList<>();
        s.get(combinator).forEach(branches::add);
        // a null branch now and then: most of the time the value is the interesting one
        branches.removeIf(b -> b.path("type").asString("").equals("null") && r.nextInt(4) != 0);
        JsonNode branch =
            branches.isEmpty() ? NODES.nullNode() : branches.get(r.nextInt(branches.size()));
        return branch.isNull() ? branch : value(name, branch, r, depth + 1);
      }
    }
    if (s.has("allOf")) {
      return value(name, s.get("allOf").get(0), r, depth + 1);
    }
    return switch (type(s, r)) {
      case "object" -> object(s, r, depth);
      case "array" -> array(name, s, r, depth);
      case "integer" -> NODES.numberNode(integer(name, s, r));
      case "number" -> NODES.numberNode(number(s, r));
      case "boolean" -> NODES.booleanNode(r.nextBoolean());
      case "null" -> NODES.nullNode();
      default -> NODES.stringNode(string(s, r));
    };
  }

  private static String type(JsonNode s, RandomGenerator r) {
    JsonNode t = s.path("type");
    if (t.isArray()) {
      List<String> types = new ArrayList<>();
      t.forEach(x -> types.add(x.asString()));
      types.remove("null");
      return types.isEmpty() ? "null" : types.get(r.nextInt(types.size()));
    }
    if (t.isString()) {
      return t.asString();
    }
    return s.has("properties") ? "object" : "string";
  }

  private ObjectNode object(JsonNode s, RandomGenerator r, int depth) {
    ObjectNode o = NODES.objectNode();
    List<String> required = new ArrayList<>();
    s.path("required").forEach(x -> required.add(x.asString()));
    for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
      // a wait left out waits its default (20 s for an MCP wait): say how long, always
      boolean slow = SLOW.containsKey(p.getKey());
      if (required.contains(p.getKey()) || slow || (depth < 4 && r.nextInt(3) == 0)) {
        o.set(p.getKey(), value(p.getKey(), p.getValue(), r, depth + 1));
      }
    }
    if (!s.has("properties") && depth < 4 && !s.path("additionalProperties").isBoolean()) {
      for (int i = r.nextInt(3); i > 0; i--) { // a free-form object, such as metadata
        String key = "k" + r.nextInt(100);
        if (r.nextBoolean()) {
          o.put(key, r.nextInt(1000));
        } else {
          o.put(key, "v" + r.nextInt(1000));
        }
      }
    }
    return o;
  }

  private ArrayNode array(String name, JsonNode s, RandomGenerator r, int depth) {
    ArrayNode a = NODES.arrayNode();
    int min = s.path("minItems").asInt(0);
    int max = Math.min(s.path("maxItems").asInt(Integer.MAX_VALUE), min + 3);
    for (int n = min + r.nextInt(max - min + 1); n > 0; n--) {
      a.add(value(name, s.path("items"), r, depth + 1));
    }
    return a;
  }

  private static long integer(String name, JsonNode s, RandomGenerator r) {
    long min = s.path("minimum").asLong(0);
    long max =
        Math.min(
            s.path("maximum").asLong(min + 1_000_000), SLOW.getOrDefault(name, Long.MAX_VALUE));
    return switch (r.nextInt(4)) {
      case 0 -> min;
      case 1 -> Math.max(min, max);
      default -> min + (long) (r.nextDouble() * Math.min(1000, Math.max(0, max - min)));
    };
  }

  private static double number(JsonNode s, RandomGenerator r) {
    double min = s.path("exclusiveMinimum").asDouble(s.path("minimum").asDouble(0));
    double max = s.path("maximum").asDouble(min + 1000);
    double v = Math.round((min + 0.001 + r.nextDouble() * Math.min(60, max - min)) * 1000) / 1000.0;
    return Math.min(v, max);
  }

  private static String string(JsonNode s, RandomGenerator r) {
    if (s.path("format").asString("").equals("date-time")) {
      Duration back = Duration.ofMinutes(r.nextInt(60 * 24 * 30));
      return Instant.now().minus(back).truncatedTo(ChronoUnit.MILLIS).toString();
    }
    int maxLength = s.path("maxLength").asInt(64);
    int minLength = s.path("minLength").asInt(1);
    if (s.has("pattern")) {
      for (int tries = 0; tries < 8; tries++) {
        String v = RegexSampler.sample(s.get("pattern").asString(), r);
        if (v.length() >= minLength && v.length() <= maxLength) {
          return v;
        }
      }
    }
    int length = minLength + r.nextInt(Math.max(1, Math.min(maxLength, 24) - minLength + 1));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }
}
