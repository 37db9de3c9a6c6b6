package dev.mailroom.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Values known to exist on the server, by slot: a schema's name ({@code AgentId}, {@code
 * MessageId}, {@code MailboxName}) or, for a parameter whose schema has no name, {@code
 * <path>#<parameter>} or the query parameter's name. Valid requests draw from them so that they
 * reach existing things rather than stop at 404. Each slot keeps its first {@link #PINNED} values
 * (the fixtures) and the latest ones learnt from answers, at most {@link #MAX_PER_SLOT}. Not
 * thread-safe.
 */
final class Samples {
  static final int PINNED = 8;
  static final int MAX_PER_SLOT = 40;

  private final Map<String, List<String>> slots = new HashMap<>();

  /** Adds a value to a slot, forgetting the oldest unpinned value when the slot is full. */
  void add(String slot, String value) {
    List<String> values = slots.computeIfAbsent(slot, s -> new ArrayList<>());
    if (values.contains(value)) {
      return;
    }
    if (values.size() >= MAX_PER_SLOT) {
      values.remove(PINNED);
    }
    values.add(value);
  }

  /** A known value of the slot, if it has any. */
  Optional<String> pick(String slot, RandomGenerator random) {
    List<String> values = slots.getOrDefault(slot, List.of());
    return values.isEmpty()
        ? Optional.empty()
        : Optional.of(values.get(random.nextInt(values.size())));
  }

  List<String> all(String slot) {
    return List.copyOf(slots.getOrDefault(slot, List.of()));
  }

  @Override
  public String toString() {
    return slots.toString();
  }
}
