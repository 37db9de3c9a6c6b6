package dev.mailroom.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    private BadArgument(String message) {
      super(message);
    }
  }

  private <T> Optional<T> typed(String name, Class<T> type, String problem) {
    Object v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!type.isInstance(v)) {
      throw new BadArgument(name, problem);
    }
    return Optional.of(type.cast(v));
  }

  Optional<String> string(String name) {
    Optional<String> s = typed(name, String.class, "must be a string");
    if (s.isPresent() && s.get().isBlank()) {
      throw new BadArgument(name, "must not be blank");
    }
    return s;
  }

  /** Whether the argument was given (null counts as not given). */
  boolean has(String name) {
    return values.get(name) != null;
  }

  /** A string as given, empty or blank included. */
  Optional<String> text(String name) {
    return typed(name, String.class, "must be a string");
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
    Optional<Number> number = typed(name, Number.class, "must be a whole number");
    if (number.isEmpty()) {
      return Optional.empty();
    }
    double n = number.get().doubleValue();
    if (n != Math.rint(n)) {
      throw new BadArgument(name, "must be a whole number");
    }
    if (n < min || n > max) {
      throw new BadArgument(
          name, "must be between " + min + " and " + max + ", not " + number.get());
    }
    return Optional.of((int) n);
  }

  Optional<Boolean> bool(String name) {
    return typed(name, Boolean.class, "must be true or false");
  }

  /** A boolean that defaults to false. */
  boolean flag(String name) {
    return bool(name).orElse(false);
  }

  /** A list of non-blank strings; empty when absent. */
  List<String> strings(String name) {
    List<?> list = typed(name, List.class, "must be an array of strings").orElse(List.of());
    List<String> out = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new BadArgument(name, "must be an array of non-blank strings");
      }
      out.add(s);
    }
    return out;
  }

  /**
   * An array of 1 to {@code max} JSON objects, each as the arguments of one item (whose refusals
   * name it: {@code messages[2]: argument 'to' ...}).
   */
  List<Args> objects(String name, int max) {
    if (values.get(name) == null) {
      throw new BadArgument(name, "is required");
    }
    return optionalObjects(name, max);
  }

  /** {@link #objects}, or none when the argument is absent. */
  List<Args> optionalObjects(String name, int max) {
    if (values.get(name) == null) {
      return List.of();
    }
    List<?> list = typed(name, List.class, "must be an array of objects").orElse(List.of());
    if (list.isEmpty() || list.size() > max) {
      throw new BadArgument(name, "must hold 1 to " + max + " objects, not " + list.size());
    }
    List<Args> items = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> item)) {
        throw new BadArgument(name + "[" + i + "]", "must be an object");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      item.forEach((k, v) -> values.put(String.valueOf(k), v));
      items.add(new Args(values));
    }
    return items;
  }

  /** A refusal of one item of an array, named by it. */
  static BadArgument inItem(String item, BadArgument e) {
    return new BadArgument(item + ": " + e.getMessage());
  }

  /** A JSON object, as the protocol's mapper read it. */
  Optional<Map<?, ?>> object(String name) {
    return typed(name, Map.class, "must be a JSON object").map(m -> (Map<?, ?>) m);
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
      throw new BadArgument("give exactly one of the arguments '" + a + "' and '" + b + "'");
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
