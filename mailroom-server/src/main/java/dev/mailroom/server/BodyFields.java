package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed, checked access to the fields of a small JSON request body. Every problem is added to the
 * {@link FieldErrors} under the field's wire name (prefixed for nested objects), so one answer
 * names them all. An absent field and an explicit {@code null} both read as absent.
 */
final class BodyFields {
  private final ObjectNode body;
  private final FieldErrors errors;
  private final String prefix;

  BodyFields(ObjectNode body, FieldErrors errors, String prefix) {
    this.body = body;
    this.errors = errors;
    this.prefix = prefix;
  }

  static BodyFields of(ObjectNode body, FieldErrors errors) {
    return new BodyFields(body, errors, "");
  }

  /** Refuses every field not in {@code known}, and one without a name. */
  BodyFields allow(Set<String> known) {
    for (String name : new TreeSet<>(body.propertyNames())) {
      if (name.isEmpty()) {
        // {"": 1}: no name to put in the field error; name the object that holds it
        errors.add(
            prefix.isEmpty() ? JsonBodies.FIELD : prefix.substring(0, prefix.length() - 1),
            "has a field without a name");
      } else if (!known.contains(name)) {
        errors.add(prefix + name, "is not a known field");
      }
    }
    return this;
  }

  private @Nullable JsonNode node(String name) {
    JsonNode n = body.get(name);
    return n == null || n.isNull() ? null : n;
  }

  Optional<String> string(String name) {
    JsonNode n = node(name);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isString()) {
      errors.add(prefix + name, "must be a string");
      return Optional.empty();
    }
    return Optional.of(n.asString());
  }

  Optional<String> requiredString(String name) {
    if (node(name) == null) {
      errors.add(prefix + name, "is required");
      return Optional.empty();
    }
    return string(name);
  }

  Optional<Long> integer(String name, long min, long max) {
    JsonNode n = node(name);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      errors.add(prefix + name, "must be a whole number");
      return Optional.empty();
    }
    long v = n.asLong();
    if (v < min || v > max) {
      errors.add(prefix + name, "must be between " + min + " and " + max);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  Optional<Double> number(String name, double minExclusive, double max) {
    JsonNode n = node(name);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isNumber()) {
      errors.add(prefix + name, "must be a number");
      return Optional.empty();
    }
    // A number beyond double's range (1e999, a 400-digit integer) reads as an infinity here, and
    // is refused as out of range below; the node's own conversions would throw instead.
    double v = n.numberValue().doubleValue();
    if (!Double.isFinite(v) || !(v > minExclusive) || v > max) {
      errors.add(prefix + name, "must be more than " + minExclusive + " and at most " + max);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  Optional<Boolean> bool(String name) {
    JsonNode n = node(name);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isBoolean()) {
      errors.add(prefix + name, "must be true or false");
      return Optional.empty();
    }
    return Optional.of(n.asBoolean());
  }

  /** A nested object's fields, or empty if absent (an error if not an object). */
  Optional<BodyFields> object(String name) {
    JsonNode n = node(name);
    if (n == null) {
      return Optional.empty();
    }
    if (!(n instanceof ObjectNode o)) {
      errors.add(prefix + name, "must be a JSON object");
      return Optional.empty();
    }
    return Optional.of(new BodyFields(o, errors, prefix + name + "."));
  }

  /** An array of strings; empty if absent. */
  java.util.List<String> strings(String name) {
    JsonNode n = node(name);
    if (n == null) {
      return java.util.List.of();
    }
    if (!n.isArray()) {
      errors.add(prefix + name, "must be an array of strings");
      return java.util.List.of();
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode e = n.get(i);
      if (e.isString()) {
        out.add(e.asString());
      } else {
        errors.add(prefix + name + "[" + i + "]", "must be a string");
      }
    }
    return out;
  }

  FieldErrors errors() {
    return errors;
  }

  String fieldName(String name) {
    return prefix + name;
  }
}
