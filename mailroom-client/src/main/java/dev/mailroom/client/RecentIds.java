package dev.mailroom.client;

import java.util.LinkedHashSet;

/** The most recent ids added, up to a capacity: adding one more forgets the oldest. Thread-safe. */
final class RecentIds {
  private final int capacity;
  private final LinkedHashSet<String> ids = new LinkedHashSet<>();

  RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /** Remembers an id; answers false if it was remembered already. */
  synchronized boolean add(String id) {
    if (!ids.add(id)) {
      return false;
    }
    if (ids.size() > capacity) {
      ids.removeFirst();
    }
    return true;
  }

  synchronized boolean contains(String id) {
    return ids.contains(id);
  }

  synchronized int size() {
    return ids.size();
  }
}
