package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailroomException;
import dev.mailroom.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The properties every refusal of a parser must have, shared by the {@code *FuzzTest} targets: the
 * request is refused with {@link MailroomException.InvalidRequest} naming at least one field, and
 * no message names a Java class, a package or a library's internals. A word the input itself
 * carried may be quoted back (a refused name is shown to its sender); only a word the input did not
 * contain counts as a leak.
 */
final class FuzzChecks {
  /** Words that only a Java class, a stack trace or a library message would put in an answer. */
  static final List<String> INTERNALS =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "tools.jackson",
          "com.fasterxml",
          "dev.mailroom",
          "io.javalin",
          "org.eclipse",
          "Exception",
          "StreamReadConstraints",
          "StreamWriteConstraints",
          "getMax",
          "JsonNode",
          "ObjectNode",
          "\tat ");

  /** A field's message is short: it may quote the input, but only an abbreviated piece of it. */
  static final int MAX_MESSAGE = 400;

  private FuzzChecks() {}

  /**
   * Asserts that {@code e} names at least one field, each field in {@code fields} (or any field
   * when it accepts everything), and that no message leaks internals that {@code input} did not
   * carry.
   */
  static void refusal(
      MailroomException.InvalidRequest e, String input, Predicate<String> knownField) {
    assertThat(e.errors()).as("field errors of %s", e.getMessage()).isNotEmpty();
    for (FieldError error : e.errors()) {
      assertThat(error.field()).isNotEmpty();
      assertThat(knownField.test(error.field()))
          .as("field %s of %s is a field of the request", error.field(), e.errors())
          .isTrue();
      cleanMessage(error.message(), input);
    }
    // The whole message prefixes each field's message with the field's name, which is the input's
    // own and not abbreviated (it identifies the field): only the rest counts toward the bound.
    int names = e.errors().stream().mapToInt(error -> error.field().length()).sum();
    cleanMessage(e.getMessage(), input, MAX_MESSAGE * e.errors().size() + names);
  }

  /** Asserts that {@code message} is present, short and names no internals. */
  static void cleanMessage(String message, String input) {
    cleanMessage(message, input, MAX_MESSAGE);
  }

  private static void cleanMessage(String message, String input, int maxLength) {
    assertThat(message).isNotBlank();
    assertThat(message.length()).as("length of %s", message).isLessThanOrEqualTo(maxLength);
    for (String word : INTERNALS) {
      if (!input.contains(word) && outsideCuts(message, word)) {
        throw new AssertionError("message leaks '" + word + "': " + message);
      }
    }
  }

  /**
   * Whether {@code word} occurs in {@code message} other than across a {@code ...}, where a long
   * quoted value was cut short ({@code "java" + "..."} is not a package name).
   */
  private static boolean outsideCuts(String message, String word) {
    for (int i = message.indexOf(word); i >= 0; i = message.indexOf(word, i + 1)) {
      int cut = message.indexOf("...", Math.max(0, i - 2));
      if (cut < 0 || cut >= i + word.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a refusal of a JSON body may quote: the body as sent, and its names and strings with their
   * escapes decoded (a name sent as {@code "\\u006Aava."} comes back as {@code java.}).
   */
  static String quotable(byte[] body) {
    StringBuilder text = new StringBuilder(new String(body, StandardCharsets.UTF_8));
    try {
      addStrings(Json.mapper().readTree(body), text);
    } catch (JacksonException | NumberFormatException e) {
      // not JSON (or a number the parser cannot hold): quoted as it is
    }
    return text.toString();
  }

  private static void addStrings(JsonNode node, StringBuilder text) {
    if (node.isString()) {
      text.append('\n').append(node.stringValue());
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        text.append('\n').append(e.getKey());
        addStrings(e.getValue(), text);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node.values()) {
        addStrings(element, text);
      }
    }
  }

  /**
   * The fields a refusal of a JSON body may name: the body itself, the {@code known} fields, those
   * with one of the {@code prefixes}, and whatever fields the body has (an unknown one is named; a
   * syntax error inside a field's value names that field, so a body that does not parse may name
   * any field it spells out).
   */
  static Predicate<String> bodyFields(byte[] body, Set<String> known, String... prefixes) {
    Set<String> names = new HashSet<>(known);
    names.add(JsonBodies.FIELD);
    String sent = new String(body, StandardCharsets.UTF_8);
    try {
      Json.mapper().readTree(body).propertyNames().forEach(names::add);
    } catch (JacksonException | NumberFormatException e) {
      return fields(names, prefixes).or(field -> spelledOut(sent, field));
    }
    return fields(names, prefixes);
  }

  /** Whether {@code body} spells out the name {@code field} as one of its JSON strings. */
  private static boolean spelledOut(String body, String field) {
    Matcher m = JSON_STRING.matcher(body);
    while (m.find()) {
      try {
        if (field.equals(Json.mapper().readValue(m.group(), String.class))) {
          return true;
        }
      } catch (JacksonException e) {
        // not a whole string literal (a cut or bad escape): it names nothing
      }
    }
    return false;
  }

  /** A JSON string literal, escapes included. */
  private static final Pattern JSON_STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  /** A predicate accepting the fields in {@code names} and those with one of their prefixes. */
  static Predicate<String> fields(Set<String> names, String... prefixes) {
    return field -> {
      if (names.contains(field)) {
        return true;
      }
      for (String prefix : prefixes) {
        if (field.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    };
  }
}
