package dev.mailroom.server.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Query parameters in order, repeatable ({@code tag=a&tag=b}), immutable. */
record Query(List<Map.Entry<String, String>> params) {

  static final Query NONE = new Query(List.of());

  Query {
    params = List.copyOf(params);
  }

  static Query of(String name, Object value) {
    return NONE.and(name, value);
  }

  Query and(String name, Object value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(params);
    more.add(Map.entry(name, String.valueOf(value)));
    return new Query(more);
  }

  Query and(Query other) {
    List<Map.Entry<String, String>> more = new ArrayList<>(params);
    more.addAll(other.params);
    return new Query(more);
  }

  /** {@code ?a=1&b=2}, or the empty string. */
  String encoded() {
    if (params.isEmpty()) {
      return "";
    }
    return params.stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&", "?", ""));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return encoded();
  }
}
