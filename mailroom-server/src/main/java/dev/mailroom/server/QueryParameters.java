package dev.mailroom.server;

import dev.mailroom.core.FieldErrors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checked access to a request's query parameters: every problem is added to the {@link FieldErrors}
 * under the parameter's name, so one answer names them all.
 */
record QueryParameters(Map<String, List<String>> query, FieldErrors errors) {
  /** The field of an error about the query as a whole. */
  static final String QUERY = "query";

  /** Refuses every parameter not in {@code known}, and one without a name. */
  QueryParameters allow(Set<String> known) {
    for (String name : new TreeSet<>(query.keySet())) {
      if (name.isEmpty()) {
        // "?=x": there is no name to put in the field error
        errors.add(QUERY, "has a parameter without a name");
      } else if (!known.contains(name)) {
        errors.add(name, "is not a known query parameter");
      }
    }
    return this;
  }

  /** A parameter given at most once, parsed; empty if absent or invalid (the error is recorded). */
  <T> Optional<T> single(String name, Function<String, T> parser) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      errors.add(name, "must be given at most once");
      return Optional.empty();
    }
    return errors.capture(name, () -> parser.apply(values.getFirst()));
  }

  /**
   * The page size of a listing: {@code limit}, 1 to the largest page; the default page size when
   * absent.
   */
  int limit(HttpLimits http) {
    return single("limit", s -> (int) ListingParser.number(s, 1, http.maxPageSize()))
        .orElse(http.defaultPageSize());
  }

  /** {@link #single}, recording an error when the parameter is absent. */
  <T> Optional<T> required(String name, Function<String, T> parser) {
    if (!query.containsKey(name)) {
      errors.add(name, "is required");
      return Optional.empty();
    }
    return single(name, parser);
  }
}
