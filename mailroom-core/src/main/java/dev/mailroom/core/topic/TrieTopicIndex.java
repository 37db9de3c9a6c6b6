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
  private final Node<T> root = new Node<>();
  private final Dictionary dictionary = new Dictionary();
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
      List<Node<T>> path = new ArrayList<>(segments.length + 1);
      Node<T> node = root;
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
  private static <T> Set<T> walk(Node<T> root, int[] ids) {
    Node<T>[] states = new Node[8];
    Node<T>[] next = new Node[8];
    Node<T>[] active = new Node[4];
    @Nullable Set<Node<T>> activeSet = null;
    int stateCount = 1;
    int activeCount = 0;
    states[0] = root;
    for (int id : ids) {
      int nextCount = 0;
      int activeBefore = activeCount;
      for (int k = 0, total = stateCount + activeBefore; k < total; k++) {
        Node<T> node = k < stateCount ? states[k] : active[k - stateCount];
        if (id != 0 && node.literalCount != 0) {
          Node<T> literal = node.literal(id);
          if (literal != null) {
            if (nextCount == next.length) {
              next = Arrays.copyOf(next, nextCount * 2);
            }
            next[nextCount++] = literal;
          }
        }
        Node<T> one = node.one;
        if (one != null) {
          if (nextCount == next.length) {
            next = Arrays.copyOf(next, nextCount * 2);
          }
          next[nextCount++] = one;
        }
        Node<T> many = node.many;
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
      Node<T>[] swap = states;
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

  /**
   * Literal segments interned to ids {@code >= 1}, each counted once per trie edge that uses it; an
   * id is freed (and reused) when its last edge goes. An open-addressing table with linear probing
   * and backward-shift deletion, looked up by a region of a name so that matching splits nothing.
   * Changed under the write lock only.
   */
  private static final class Dictionary {
    private String[] keys = new String[16];
    private int[] hashes = new int[16];
    private int[] ids = new int[16];
    private int[] refs = new int[16];
    private int size;
    private int nextId = 1;
    private int[] free = new int[8];
    private int freeCount;

    /** The id of {@code s[start, end)}, or {@code 0} if no edge uses that segment. */
    int find(String s, int start, int end) {
      int h = 0;
      for (int i = start; i < end; i++) {
        h = 31 * h + s.charAt(i);
      }
      int length = end - start;
      int mask = keys.length - 1;
      for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
        String key = keys[i];
        if (key == null) {
          return 0;
        }
        if (hashes[i] == h && key.length() == length && key.regionMatches(0, s, start, length)) {
          return ids[i];
        }
      }
    }

    int find(String segment) {
      return find(segment, 0, segment.length());
    }

    /** Counts one more edge for {@code segment}; returns its id. */
    int acquire(String segment) {
      int slot = slot(segment);
      if (keys[slot] != null) {
        refs[slot]++;
        return ids[slot];
      }
      int id = freeCount > 0 ? free[--freeCount] : nextId++;
      keys[slot] = segment;
      hashes[slot] = segment.hashCode();
      ids[slot] = id;
      refs[slot] = 1;
      if (++size * 2 > keys.length) {
        grow();
      }
      return id;
    }

    /** Counts one edge less for {@code segment}, which must have been acquired. */
    void release(String segment) {
      int slot = slot(segment);
      if (--refs[slot] > 0) {
        return;
      }
      if (freeCount == free.length) {
        free = Arrays.copyOf(free, freeCount * 2);
      }
      free[freeCount++] = ids[slot];
      size--;
      int mask = keys.length - 1;
      int hole = slot;
      for (int i = (hole + 1) & mask; keys[i] != null; i = (i + 1) & mask) {
        int home = spread(hashes[i]) & mask;
        // Move the entry back into the hole unless its home lies cyclically in (hole, i].
        if (((i - home) & mask) >= ((i - hole) & mask)) {
          keys[hole] = keys[i];
          hashes[hole] = hashes[i];
          ids[hole] = ids[i];
          refs[hole] = refs[i];
          hole = i;
        }
      }
      keys[hole] = null;
    }

    private int slot(String segment) {
      int h = segment.hashCode();
      int mask = keys.length - 1;
      int i = spread(h) & mask;
      while (keys[i] != null && !(hashes[i] == h && keys[i].equals(segment))) {
        i = (i + 1) & mask;
      }
      return i;
    }

    private void grow() {
      String[] oldKeys = keys;
      int[] oldHashes = hashes;
      int[] oldIds = ids;
      int[] oldRefs = refs;
      int capacity = oldKeys.length * 2;
      keys = new String[capacity];
      hashes = new int[capacity];
      ids = new int[capacity];
      refs = new int[capacity];
      int mask = capacity - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != null) {
          int i = spread(oldHashes[j]) & mask;
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          hashes[i] = oldHashes[j];
          ids[i] = oldIds[j];
          refs[i] = oldRefs[j];
        }
      }
    }
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  private static final class Node<T> {
    /** Literal children: an open-addressing table keyed by segment id ({@code 0} = empty slot). */
    int @Nullable [] literalIds;

    @Nullable Node<T>[] literalNodes;
    int literalCount;
    @Nullable Node<T> one;
    @Nullable Node<T> many;
    @Nullable Set<T> values;

    @Nullable Node<T> literal(int id) {
      int[] keys = literalIds;
      if (keys == null) {
        return null;
      }
      int mask = keys.length - 1;
      for (int i = spread(id) & mask; ; i = (i + 1) & mask) {
        int key = keys[i];
        if (key == id) {
          return literalNodes[i];
        }
        if (key == 0) {
          return null;
        }
      }
    }

    @Nullable Node<T> child(String segment, Dictionary dictionary) {
      return switch (segment) {
        case SubscriptionPattern.ONE -> one;
        case SubscriptionPattern.MANY -> many;
        default -> {
          int id = dictionary.find(segment);
          yield id == 0 ? null : literal(id);
        }
      };
    }

    Node<T> childOrCreate(String segment, Dictionary dictionary) {
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
          int id = dictionary.find(segment);
          Node<T> child = id == 0 ? null : literal(id);
          if (child == null) {
            child = new Node<>();
            putLiteral(dictionary.acquire(segment), child);
          }
          return child;
        }
      }
    }

    void removeChild(String segment, Dictionary dictionary) {
      switch (segment) {
        case SubscriptionPattern.ONE -> one = null;
        case SubscriptionPattern.MANY -> many = null;
        default -> {
          int id = dictionary.find(segment);
          if (id != 0 && removeLiteral(id)) {
            dictionary.release(segment);
          }
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void putLiteral(int id, Node<T> child) {
      if (literalIds == null) {
        literalIds = new int[4];
        literalNodes = new Node[4];
      } else if ((literalCount + 1) * 2 > literalIds.length) {
        int[] oldIds = literalIds;
        Node<T>[] oldNodes = literalNodes;
        literalIds = new int[oldIds.length * 2];
        literalNodes = new Node[oldIds.length * 2];
        literalCount = 0;
        for (int j = 0; j < oldIds.length; j++) {
          if (oldIds[j] != 0) {
            putLiteral(oldIds[j], oldNodes[j]);
          }
        }
      }
      int mask = literalIds.length - 1;
      int i = spread(id) & mask;
      while (literalIds[i] != 0) {
        i = (i + 1) & mask;
      }
      literalIds[i] = id;
      literalNodes[i] = child;
      literalCount++;
    }

    private boolean removeLiteral(int id) {
      int[] keys = literalIds;
      if (keys == null) {
        return false;
      }
      int mask = keys.length - 1;
      int hole = spread(id) & mask;
      while (keys[hole] != id) {
        if (keys[hole] == 0) {
          return false;
        }
        hole = (hole + 1) & mask;
      }
      if (--literalCount == 0) {
        literalIds = null;
        literalNodes = null;
        return true;
      }
      for (int i = (hole + 1) & mask; keys[i] != 0; i = (i + 1) & mask) {
        int home = spread(keys[i]) & mask;
        if (((i - home) & mask) >= ((i - hole) & mask)) {
          keys[hole] = keys[i];
          literalNodes[hole] = literalNodes[i];
          hole = i;
        }
      }
      keys[hole] = 0;
      literalNodes[hole] = null;
      return true;
    }

    boolean isEmpty() {
      return values == null && literalCount == 0 && one == null && many == null;
    }
  }
}
