package dev.mailroom.core.topic;

import dev.mailroom.core.MailboxName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * <p>Threading: the trie and its segment dictionary are guarded by a read-write lock (matches walk
 * them and read the dictionary under the read lock, changes take the write lock; walking never
 * writes to a node). Results are kept in a bounded {@link ConcurrentHashMap} keyed by name, read
 * without any lock. A result is stored while its computing thread still holds the read lock, and
 * every change clears the cache under the write lock, so the cache never holds a result older than
 * the last change. When the cache outgrows its bound, arbitrary entries are dropped.
 */
final class TrieTopicIndex<T> implements TopicIndex<T> {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TrieNode<T> root = new TrieNode<>();
  private final SegmentDictionary dictionary = new SegmentDictionary();
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
      TrieNode<T> node = root;
      for (String segment : segments) {
        node = node.childOrCreate(segment, dictionary);
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
      List<TrieNode<T>> path = new ArrayList<>(segments.length + 1);
      TrieNode<T> node = root;
      path.add(node);
      for (String segment : segments) {
        node = node.child(segment, dictionary);
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
        path.get(i - 1).removeChild(segments[i - 1], dictionary);
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
    int count = 1;
    for (int i = key.indexOf('.'); i >= 0; i = key.indexOf('.', i + 1)) {
      count++;
    }
    int[] ids = new int[count];
    lock.readLock().lock();
    try {
      int start = 0;
      for (int s = 0; s < count; s++) {
        int dot = key.indexOf('.', start);
        int end = dot < 0 ? key.length() : dot;
        ids[s] = dictionary.find(key, start, end);
        start = end + 1;
      }
      Set<T> result = walk(root, ids);
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

  /**
   * Runs the trie as an NFA over the segment ids ({@code 0} for a segment no literal in the trie
   * has). {@code states} holds the nodes reached through literal and {@code *} edges at the current
   * position, each once (a node has one parent, and its parent is held once at the position
   * before). {@code active} holds the {@code **} nodes entered so far: each is a state at every
   * position after the one it was entered at, and is added there once.
   */
  @SuppressWarnings("unchecked")
  private static <T> Set<T> walk(TrieNode<T> root, int[] ids) {
    TrieNode<T>[] states = new TrieNode[8];
    TrieNode<T>[] next = new TrieNode[8];
    TrieNode<T>[] active = new TrieNode[4];
    @Nullable Set<TrieNode<T>> activeSet = null;
    int stateCount = 1;
    int activeCount = 0;
    states[0] = root;
    for (int id : ids) {
      int nextCount = 0;
      int activeBefore = activeCount;
      for (int k = 0, total = stateCount + activeBefore; k < total; k++) {
        TrieNode<T> node = k < stateCount ? states[k] : active[k - stateCount];
        if (id != 0 && node.literalCount != 0) {
          TrieNode<T> literal = node.literal(id);
          if (literal != null) {
            if (nextCount == next.length) {
              next = Arrays.copyOf(next, nextCount * 2);
            }
            next[nextCount++] = literal;
          }
        }
        TrieNode<T> one = node.one;
        if (one != null) {
          if (nextCount == next.length) {
            next = Arrays.copyOf(next, nextCount * 2);
          }
          next[nextCount++] = one;
        }
        TrieNode<T> many = node.many;
        if (many != null) {
          boolean known;
          if (activeSet != null) {
            known = !activeSet.add(many);
          } else {
            known = false;
            for (int a = 0; a < activeCount; a++) {
              if (active[a] == many) {
                known = true;
                break;
              }
            }
          }
          if (!known) {
            if (activeCount == active.length) {
              active = Arrays.copyOf(active, activeCount * 2);
            }
            active[activeCount++] = many;
            if (activeSet == null && activeCount > 32) {
              activeSet = Collections.newSetFromMap(new IdentityHashMap<>());
              for (int a = 0; a < activeCount; a++) {
                activeSet.add(active[a]);
              }
            }
          }
        }
      }
      TrieNode<T>[] swap = states;
      states = next;
      next = swap;
      stateCount = nextCount;
      if (stateCount == 0 && activeCount == 0) {
        return Set.of();
      }
    }
    // Size the union for every value found, so that it never rehashes.
    @Nullable Set<T> first = null;
    int hits = 0;
    int total = 0;
    for (int k = 0, end = stateCount + activeCount; k < end; k++) {
      Set<T> values = (k < stateCount ? states[k] : active[k - stateCount]).values;
      if (values != null) {
        first = values;
        hits++;
        total += values.size();
      }
    }
    if (first == null) {
      return Set.of();
    }
    if (hits == 1) {
      return Set.copyOf(first);
    }
    Set<T> all = HashSet.newHashSet(total);
    for (int k = 0, end = stateCount + activeCount; k < end; k++) {
      Set<T> values = (k < stateCount ? states[k] : active[k - stateCount]).values;
      if (values != null) {
        all.addAll(values);
      }
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
}
