package dev.mailroom.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query parameters of a request, in the order they were set; a name may repeat ({@code tag}).
 * Immutable and thread-safe.
 */
record QueryString(List<Map.Entry<String, String>> entries) {
  static final QueryString EMPTY = new QueryString(List.of());

  QueryString {
    entries = List.copyOf(entries);
  }

  /** These parameters with {@code name} set to {@code value} alone (in place, or added last). */
  QueryString with(String name, String value) {
    List<Map.Entry<String, String>> next = new ArrayList<>();
    boolean replaced = false;
    for (Map.Entry<String, String> e : entries) {
      if (!e.getKey().equals(name)) {
        next.add(e);
      } else if (!replaced) {
        next.add(Map.entry(name, value));
        replaced = true;
      }
    }
    if (!replaced) {
      next.add(Map.entry(name, value));
    }
    return new QueryString(next);
  }

  /** These parameters and one more value of {@code name}, unless it is there already. */
  QueryString plus(String name, String value) {
    Map.Entry<String, String> e = Map.entry(name, value);
    if (entries.contains(e)) {
      return this;
    }
    List<Map.Entry<String, String>> next = new ArrayList<>(entries);
    next.add(e);
    return new QueryString(next);
  }

  /** The value of a single-valued parameter. */
  Optional<String> get(String name) {
    return entries.stream()
        .filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
