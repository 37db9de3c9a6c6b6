package dev.mailroom.core.topic;

import dev.mailroom.core.MailboxName;
import java.util.Set;

/**
 * Subscriptions keyed by {@link SubscriptionPattern}: given a published name, finds every value
 * subscribed under a pattern that matches it.
 *
 * <p>Thread-safe: any number of threads may match while others add and remove. Each call is atomic;
 * a match sees the subscriptions as they were at one instant between the changes. Matching is the
 * fast path (a results cache answers repeated names without locking); changes are serialized and
 * clear the cache.
 *
 * <p>No argument or result is null. Values are compared with {@code equals}; a value subscribed
 * under several patterns that match one name appears once in the result.
 *
 * @param <T> the subscription value, e.g. a subscription id
 */
public interface TopicIndex<T> {
  /** How many distinct names {@link #create()} remembers results for. */
  int DEFAULT_CACHE_SIZE = 4096;

  /** An empty index with a results cache of {@value #DEFAULT_CACHE_SIZE} names. */
  static <T> TopicIndex<T> create() {
    return create(DEFAULT_CACHE_SIZE);
  }

  /**
   * An empty index remembering the results of at most {@code cacheSize} names ({@code 0} turns the
   * cache off).
   *
   * @throws IllegalArgumentException if {@code cacheSize} is negative
   */
  static <T> TopicIndex<T> create(int cacheSize) {
    return new TrieTopicIndex<>(cacheSize);
  }

  /** Subscribes {@code value} under {@code pattern}; false if it already was. */
  boolean add(SubscriptionPattern pattern, T value);

  /** Unsubscribes {@code value} from {@code pattern}; false if it was not subscribed. */
  boolean remove(SubscriptionPattern pattern, T value);

  /**
   * Every value subscribed under a pattern matching {@code name}: an immutable set, maybe empty.
   */
  Set<T> match(MailboxName name);

  /** The number of (pattern, value) subscriptions. */
  int size();
}
