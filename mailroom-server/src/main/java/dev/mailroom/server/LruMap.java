package dev.mailroom.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A map of at most {@code maxSize} entries that drops its least recently used entry to make room.
 * Thread-safe: one lock guards it, held only for the map operation itself (never while a value is
 * used).
 */
final class LruMap<K, V> {
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<K, V> map;

  LruMap(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be at least 1");
    }
    this.map =
        new LinkedHashMap<>(Math.min(maxSize, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > maxSize;
          }
        };
  }

  /** The value of {@code key}, made by {@code factory} (under the lock) when there is none. */
  V computeIfAbsent(K key, Function<? super K, ? extends V> factory) {
    lock.lock();
    try {
      return map.computeIfAbsent(key, factory);
    } finally {
      lock.unlock();
    }
  }

  Optional<V> get(K key) {
    lock.lock();
    try {
      return Optional.ofNullable(map.get(key));
    } finally {
      lock.unlock();
    }
  }

  void put(K key, V value) {
    lock.lock();
    try {
      map.put(key, value);
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return map.size();
    } finally {
      lock.unlock();
    }
  }
}
