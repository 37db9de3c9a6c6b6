package dev.mailroom.fuzz;

import dev.mailroom.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A request being built and mutated, before it becomes bytes: its path parameters, query items and
 * body are kept apart so that a mutation can reach one of them. The body is a JSON tree while it is
 * one; a mutation may put raw JSON text in place of a value (a placeholder string stands for it
 * until {@link #body()}), or replace the body's bytes outright. Not thread-safe.
 */
final class Draft {
  private static final String PLACEHOLDER = "\u0000raw-";

  String method;
  final String template;
  final Map<String, String> pathValues = new LinkedHashMap<>();

  /** The path as sent, when a mutation changed more than a parameter's value. */
  @Nullable String rawPath;

  /** Query items as sent ({@code name=value}, percent-encoded, or anything a mutation made). */
  final List<String> query = new ArrayList<>();

  final List<RawHttp.Header> headers = new ArrayList<>();
  @Nullable JsonNode json;
  @Nullable byte[] rawBody;
  private final Map<String, String> rawValues = new LinkedHashMap<>();

  /** How {@link RequestMutator#finish} frames the body ({@link RequestMutator#FRAMINGS}), or -1. */
  int framing = -1;

  /** Who sent it, for the failure report. */
  String caller = "nobody";

  /** What the mutations did, in order, for the failure report. */
  final List<String> mutations = new ArrayList<>();

  /** Names an answer's 400 may name: parameters, headers, body fields. */
  final Set<String> names = new LinkedHashSet<>();

  Draft(String method, String template) {
    this.method = method;
    this.template = template;
  }

  /** A string to put in the JSON tree; {@link #body()} writes {@code rawJson} in its place. */
  String raw(String rawJson) {
    String key = PLACEHOLDER + rawValues.size();
    rawValues.put(key, rawJson);
    return key;
  }

  /** The body's bytes: the raw ones if set, else the JSON tree with raw values in place. */
  byte[] body() {
    if (rawBody != null) {
      return rawBody;
    }
    if (json == null) {
      return new byte[0];
    }
    String text = Json.mapper().writeValueAsString(json);
    for (Map.Entry<String, String> raw : rawValues.entrySet()) {
      String quoted = Json.mapper().writeValueAsString(raw.getKey());
      text = text.replace(quoted, raw.getValue());
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  String path() {
    if (rawPath != null) {
      return rawPath;
    }
    String p = template;
    for (Map.Entry<String, String> v : pathValues.entrySet()) {
      p = p.replace("{" + v.getKey() + "}", v.getValue());
    }
    return p;
  }

  String target() {
    return query.isEmpty() ? path() : path() + "?" + String.join("&", query);
  }

  void setHeader(String name, String value) {
    headers.removeIf(h -> h.name().equalsIgnoreCase(name));
    headers.add(new RawHttp.Header(name, value));
  }

  void removeHeader(String name) {
    headers.removeIf(h -> h.name().equalsIgnoreCase(name));
  }

  RawHttp.Request request() {
    return new RawHttp.Request(method, target(), headers, body());
  }

  @Override
  public String toString() {
    return method
        + " "
        + template
        + " as "
        + caller
        + (mutations.isEmpty() ? ", valid" : ", mutated: " + mutations);
  }
}
