package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.alert.AlertRule;
import dev.mailroom.core.alert.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the alert rules a node starts with ({@code mailroom.alerts.rules-file}): a JSON array of
 * objects with {@code name}, {@code signal}, {@code fire_at} and {@code resolve_at}, the same
 * fields the admin API takes. The file replaces the default rules; an empty array means none.
 */
final class AlertRulesFile {
  private static final Set<String> FIELDS = Set.of("name", "signal", "fire_at", "resolve_at");
  private static final long MAX_BYTES = 1024 * 1024;

  private AlertRulesFile() {}

  /**
   * The rules in the file.
   *
   * @throws IllegalArgumentException naming the file and the rule, if it cannot be read or a rule
   *     is invalid
   */
  static List<AlertRule> read(Path file) {
    JsonNode root;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(file + " is larger than 1 MiB");
      }
      root = JsonMapper.builder().build().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (!root.isArray()) {
      throw new IllegalArgumentException(
          file
              + " must hold a JSON array of rules ({\"name\",\"signal\",\"fire_at\",\"resolve_at\"})");
    }
    List<AlertRule> rules = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      rules.add(rule(file, i, root.get(i)));
    }
    return rules;
  }

  private static AlertRule rule(Path file, int i, JsonNode node) {
    String where = file + ", rule " + i + ": ";
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + "must be an object");
    }
    for (String field : node.propertyNames()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            where + "unknown field " + field + "; the fields are " + String.join(", ", FIELDS));
      }
    }
    String signal = text(node, "signal", where);
    try {
      return new AlertRule(
          text(node, "name", where),
          Signal.parse(signal)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + "signal must be one of " + Signal.names())),
          number(node, "fire_at", where),
          number(node, "resolve_at", where));
    } catch (MailroomException.InvalidRequest e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isString()) {
      throw new IllegalArgumentException(where + field + " is required, as a string");
    }
    return v.stringValue();
  }

  private static double number(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(where + field + " is required, as a number");
    }
    return v.numberValue().doubleValue();
  }
}
