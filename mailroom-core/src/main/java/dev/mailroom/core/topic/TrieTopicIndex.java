package dev.mailroom.core.topic;

import dev.mailroom.core.MailboxName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * A trie over pattern segments, after the NATS server's sublist: each node has literal children, a
 * {@code *} child and a {@code **} child, and the values of the patterns that end there. A match
 * walks the name's segments once per branch it can take; a {@code **} child is tried with every run
 * of one or more remaining segments.
 *
 * <p>Threading: the trie is guarded by a read-write lock (matches walk it under the read lock,
 * changes take the write lock). Results are kept in a bounded {@link ConcurrentHashMap} keyed by
 * name, read without any lock. A result is stored while its computing thread still holds the read
 * lock, and every change clears the cache under the write lock, so the cache never holds a result
 * older than the last change. When the cache outgrows its bound, arbitrary entries are dropped.
 */
final class TrieTopicIndex<T> implements TopicIndex<T> {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Node<T> root = new Node<>();
  private final Map<String, Set<T>> cache = new ConcurrentHashMap<>();
  private final int cacheSize;
  private int size;

  TrieTopicIndex(int cacheSize) {
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must be >= 0, was " + cacheSize);
    }
    this.cacheSize = cacheSize;
  }

  @Override
  public boolean add(SubscriptionPattern pattern, T value) {
    String[] segments = split(pattern.value());
    lock.writeLock().lock();
    try {
      Node<T> node = root;
      for (String segment : segments) {
        node = node.childOrCreate(segment);
      }
      if (node.values == null) {
        node.values = new HashSet<>(2);
      }
      boolean added = node.values.add(value);
      if (added) {
        size++;
        clearCache();
      }
      return added;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public boolean remove(SubscriptionPattern pattern, T value) {
    String[] segments = split(pattern.value());
    lock.writeLock().lock();
    try {
      List<Node<T>> path = new ArrayList<>(segments.length + 1);
      Node<T> node = root;
      path.add(node);
      for (String segment : segments) {
        node = node.child(segment);
        if (node == null) {
          return false;
        }
        path.add(node);
      }
      if (node.values == null || !node.values.remove(value)) {
        return false;
      }
      if (node.values.isEmpty()) {
        node.values = null;
      }
      // Prune the nodes left empty, from the leaf up, so removed patterns leave nothing behind.
      for (int i = segments.length; i > 0 && path.get(i).isEmpty(); i--) {
        path.get(i - 1).removeChild(segments[i - 1]);
      }
      size--;
      clearCache();
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Set<T> match(MailboxName name) {
    String key = name.value();
    Set<T> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    String[] segments = split(key);
    lock.readLock().lock();
    try {
      List<Set<T>> hits = new ArrayList<>(4);
      collect(root, segments, 0, hits);
      Set<T> result = union(hits);
      remember(key, result);
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static <T> void collect(Node<T> node, String[] segments, int i, List<Set<T>> hits) {
    if (i == segments.length) {
      if (node.values != null) {
        hits.add(node.values);
      }
      return;
    }
    if (node.literals != null) {
      Node<T> literal = node.literals.get(segments[i]);
      if (literal != null) {
        collect(literal, segments, i + 1, hits);
      }
    }
    if (node.one != null) {
      collect(node.one, segments, i + 1, hits);
    }
    if (node.many != null) {
      for (int next = i + 1; next <= segments.length; next++) {
        collect(node.many, segments, next, hits);
      }
    }
  }

  private static <T> Set<T> union(List<Set<T>> hits) {
    if (hits.isEmpty()) {
      return Set.of();
    }
    if (hits.size() == 1) {
      return Set.copyOf(hits.get(0));
    }
    Set<T> all = new HashSet<>();
    for (Set<T> hit : hits) {
      all.addAll(hit);
    }
    return Collections.unmodifiableSet(all);
  }

  private void remember(String key, Set<T> result) {
    if (cacheSize == 0) {
      return;
    }
    cache.put(key, result);
    if (cache.size() > cacheSize) {
      // Drop about a quarter at once so that a stream of new names does not prune on every miss.
      int excess = cache.size() - cacheSize * 3 / 4;
      Iterator<String> it = cache.keySet().iterator();
      while (excess-- > 0 && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
  }

  private void clearCache() {
    if (!cache.isEmpty()) {
      cache.clear();
    }
  }

  private static String[] split(String value) {
    int count = 1;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '.') {
        count++;
      }
    }
    String[] segments = new String[count];
    int start = 0;
    for (int s = 0; s < count; s++) {
      int dot = value.indexOf('.', start);
      int end = dot < 0 ? value.length() : dot;
      segments[s] = value.substring(start, end);
      start = end + 1;
    }
    return segments;
  }

  private static final class Node<T> {
    @Nullable Map<String, Node<T>> literals;
    @Nullable Node<T> one;
    @Nullable Node<T> many;
    @Nullable Set<T> values;

    @Nullable Node<T> child(String segment) {
      return switch (segment) {
        case SubscriptionPattern.ONE -> one;
        case SubscriptionPattern.MANY -> many;
        default -> literals == null ? null : literals.get(segment);
      };
    }

    Node<T> childOrCreate(String segment) {
      switch (segment) {
        case SubscriptionPattern.ONE -> {
          if (one == null) {
            one = new Node<>();
          }
          return one;
        }
        case SubscriptionPattern.MANY -> {
          if (many == null) {
            many = new Node<>();
          }
          return many;
        }
        default -> {
          if (literals == null) {
            literals = new HashMap<>(4);
          }
          return literals.computeIfAbsent(segment, s -> new Node<>());
        }
      }
    }

    void removeChild(String segment) {
      switch (segment) {
        case SubscriptionPattern.ONE -> one = null;
        case SubscriptionPattern.MANY -> many = null;
        default -> {
          if (literals != null) {
            literals.remove(segment);
            if (literals.isEmpty()) {
              literals = null;
            }
          }
        }
      }
    }

    boolean isEmpty() {
      return values == null && literals == null && one == null && many == null;
    }
  }
}
