package dev.mailroom.core.topic;

import java.util.Arrays;

/**
 * Literal segments interned to ids {@code >= 1}, each counted once per trie edge that uses it; an
 * id is freed (and reused) when its last edge goes. An open-addressing table with linear probing
 * and backward-shift deletion, looked up by a region of a name so that matching splits nothing.
 * Changed under the write lock only.
 */
final class SegmentDictionary {
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

  /** Spreads a hash over a table's low bits. */
  static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
