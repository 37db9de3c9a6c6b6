package dev.mailroom.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tool call's arguments, read by name and type. Every read that fails throws {@link BadArgument},
 * naming the argument, which the tool answers as an error result. Not thread-safe.
 */
final class Args {
  private final Map<String, Object> values;

  Args(@Nullable Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  /** A wrong argument: missing, of the wrong type or out of range. */
  static final class BadArgument extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadArgument(String name, String problem) {
      super("argument '" + name + "' " + problem);
    }
  }

  Optional<String> string(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw new BadArgument(name, "must be a string");
    }
    if (s.isBlank()) {
      throw new BadArgument(name, "must not be blank");
    }
    return Optional.of(s);
  }

  String requiredString(String name) {
    return string(name).orElseThrow(() -> new BadArgument(name, "is required"));
  }

  /** A string of an enum's values, given in lower case (a wire name). */
  <E extends Enum<E>> Optional<E> choice(String name, Class<E> type) {
    return string(name)
        .map(
            s -> {
              try {
                return Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw new BadArgument(
                    name, "must be one of " + wireNames(type) + ", not '" + s + "'");
              }
            });
  }

  Optional<Integer> integer(String name, int min, int max) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new BadArgument(name, "must be a whole number");
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      throw new BadArgument(name, "must be between " + min + " and " + max + ", not " + v);
    }
    return Optional.of(n.intValue());
  }

  Optional<Boolean> bool(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Boolean b)) {
      throw new BadArgument(name, "must be true or false");
    }
    return Optional.of(b);
  }

  /** A boolean that defaults to false. */
  boolean flag(String name) {
    return bool(name).orElse(false);
  }

  /** A list of non-blank strings; empty when absent. */
  List<String> strings(String name) {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new BadArgument(name, "must be an array of strings");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new BadArgument(name, "must be an array of non-blank strings");
      }
      out.add(s);
    }
    return out;
  }

  /** A JSON object, as the protocol's mapper read it. */
  Optional<Map<?, ?>> object(String name) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw new BadArgument(name, "must be a JSON object");
    }
    return Optional.of(map);
  }

  /** Which of these arguments were given. */
  List<String> given(List<String> names) {
    return names.stream().filter(n -> values.get(n) != null).toList();
  }

  /** Exactly one of two arguments. */
  void requireOneOf(String a, String b) {
    boolean hasA = values.get(a) != null;
    boolean hasB = values.get(b) != null;
    if (hasA == hasB) {
      throw new BadArgument(a, "or '" + b + "' is required, but not both");
    }
  }

  private static <E extends Enum<E>> String wireNames(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }
}
