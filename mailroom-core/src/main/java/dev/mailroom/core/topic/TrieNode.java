package dev.mailroom.core.topic;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One node of a {@link TrieTopicIndex}: literal children by segment id, a {@code *} child, a {@code
 * **} child and the values subscribed here. Read under the index's read lock, changed under its
 * write lock.
 */
final class TrieNode<T> {
  /** Literal children: an open-addressing table keyed by segment id ({@code 0} = empty slot). */
  int @Nullable [] literalIds;

  @Nullable TrieNode<T>[] literalNodes;
  int literalCount;
  @Nullable TrieNode<T> one;
  @Nullable TrieNode<T> many;
  @Nullable Set<T> values;

  @Nullable TrieNode<T> literal(int id) {
    int[] keys = literalIds;
    if (keys == null) {
      return null;
    }
    int mask = keys.length - 1;
    for (int i = SegmentDictionary.spread(id) & mask; ; i = (i + 1) & mask) {
      int key = keys[i];
      if (key == id) {
        return literalNodes[i];
      }
      if (key == 0) {
        return null;
      }
    }
  }

  @Nullable TrieNode<T> child(String segment, SegmentDictionary dictionary) {
    return switch (segment) {
      case SubscriptionPattern.ONE -> one;
      case SubscriptionPattern.MANY -> many;
      default -> {
        int id = dictionary.find(segment);
        yield id == 0 ? null : literal(id);
      }
    };
  }

  TrieNode<T> childOrCreate(String segment, SegmentDictionary dictionary) {
    switch (segment) {
      case SubscriptionPattern.ONE -> {
        if (one == null) {
          one = new TrieNode<>();
        }
        return one;
      }
      case SubscriptionPattern.MANY -> {
        if (many == null) {
          many = new TrieNode<>();
        }
        return many;
      }
      default -> {
        int id = dictionary.find(segment);
        TrieNode<T> child = id == 0 ? null : literal(id);
        if (child == null) {
          child = new TrieNode<>();
          putLiteral(dictionary.acquire(segment), child);
        }
        return child;
      }
    }
  }

  void removeChild(String segment, SegmentDictionary dictionary) {
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
  private void putLiteral(int id, TrieNode<T> child) {
    if (literalIds == null) {
      literalIds = new int[4];
      literalNodes = new TrieNode[4];
    } else if ((literalCount + 1) * 2 > literalIds.length) {
      int[] oldIds = literalIds;
      TrieNode<T>[] oldNodes = literalNodes;
      literalIds = new int[oldIds.length * 2];
      literalNodes = new TrieNode[oldIds.length * 2];
      literalCount = 0;
      for (int j = 0; j < oldIds.length; j++) {
        if (oldIds[j] != 0) {
          putLiteral(oldIds[j], oldNodes[j]);
        }
      }
    }
    int mask = literalIds.length - 1;
    int i = SegmentDictionary.spread(id) & mask;
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
    int hole = SegmentDictionary.spread(id) & mask;
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
      int home = SegmentDictionary.spread(keys[i]) & mask;
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
