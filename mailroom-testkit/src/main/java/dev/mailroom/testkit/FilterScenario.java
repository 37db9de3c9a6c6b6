package dev.mailroom.testkit;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * A random history of sends, read marks and clock moves, followed by random paged listings: the
 * input of {@link StorageFilterProperties}. Everything is in small index terms (agent 2, the 7th
 * accepted message, 40 ms after the start) so that one scenario can be replayed on two stores whose
 * ids need not coincide.
 */
record FilterScenario(List<Step> steps, int finalAdvanceMillis, List<Listing> listings) {

  /** Agents {@code a0..a3}; every one has a personal mailbox. */
  static final int AGENTS = 4;

  /** Destinations: agents' inboxes, then the shared mailbox, the topic, and a broadcast. */
  static final int SHARED = AGENTS;

  static final int TOPIC = AGENTS + 1;
  static final int BROADCAST = AGENTS + 2;

  /** Mailboxes a listing may name: the destinations but broadcast, plus one that never exists. */
  static final int UNKNOWN_MAILBOX = AGENTS + 2;

  static final List<String> TAG_POOL = List.of("red", "green", "blue", "x:y");

  /** One thing that happens before the listings; each moves the clock on afterwards. */
  sealed interface Step {
    int advanceMillis();
  }

  /**
   * A send.
   *
   * @param ttlMillis the message's time to live; short ones expire during the scenario
   * @param key an idempotency key from a tiny pool, so repeats happen
   */
  record Send(
      int sender,
      int destination,
      Priority priority,
      ContentType contentType,
      Set<String> tags,
      long ttlMillis,
      Optional<String> key,
      int advanceMillis)
      implements Step {}

  /**
   * A read mark by one agent on an earlier accepted message (index taken modulo their count).
   *
   * @param read true to mark read, false to mark unread
   */
  record Mark(int message, int reader, boolean read, int advanceMillis) implements Step {}

  /**
   * An id bound: the id of an accepted message (index modulo their count), or the lowest or highest
   * id of a moment.
   */
  record IdBound(boolean ofMessage, int message, int offsetMillis, boolean highest) {}

  record Filter(
      Optional<Integer> sinceMillis,
      Optional<Integer> untilMillis,
      Optional<IdBound> afterId,
      Optional<IdBound> beforeId,
      Optional<Integer> sender,
      Optional<Priority> minPriority,
      Optional<ContentType> contentType,
      Set<String> tags,
      Optional<Boolean> unread) {}

  /** A listing paged through to its end. */
  record Listing(int mailbox, int reader, Filter filter, Order order, int pageSize) {}

  static Arbitrary<FilterScenario> scenarios() {
    Arbitrary<Step> step = Arbitraries.frequencyOf(Tuple.of(3, send()), Tuple.of(2, mark()));
    return Combinators.combine(
            step.list()
                .ofMinSize(0)
                .ofMaxSize(100)
                .withSizeDistribution(RandomDistribution.uniform()),
            Arbitraries.integers().between(0, 300),
            listing().list().ofMinSize(1).ofMaxSize(6))
        .as(FilterScenario::new);
  }

  private static Arbitrary<Integer> advance() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(0)),
        Tuple.of(3, Arbitraries.just(1)),
        Tuple.of(2, Arbitraries.integers().between(2, 6)));
  }

  private static Arbitrary<Step> send() {
    Arbitrary<Long> ttl =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(86_400_000L)),
            Tuple.of(1, Arbitraries.longs().between(1, 300)));
    return Combinators.combine(
            Arbitraries.integers().between(0, AGENTS - 1),
            Arbitraries.integers().between(0, BROADCAST),
            Arbitraries.of(Priority.class),
            Arbitraries.of(
                ContentType.TEXT_PLAIN,
                ContentType.TEXT_MARKDOWN,
                ContentType.TEXT_CODE,
                ContentType.APPLICATION_JSON,
                ContentType.OCTET_STREAM),
            Arbitraries.subsetOf(TAG_POOL),
            ttl,
            Arbitraries.of("k1", "k2", "k3").optional(0.1),
            advance())
        .as(Send::new);
  }

  private static Arbitrary<Step> mark() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 1_000),
            Arbitraries.integers().between(0, AGENTS - 1),
            Arbitraries.of(true, true, true, false),
            advance())
        .as(Mark::new);
  }

  private static Arbitrary<Integer> moment() {
    return Arbitraries.integers().between(-5, 120);
  }

  private static Arbitrary<IdBound> idBound() {
    return Combinators.combine(
            Arbitraries.of(true, true, false),
            Arbitraries.integers().between(0, 1_000),
            moment(),
            Arbitraries.of(true, false))
        .as(IdBound::new);
  }

  private static Arbitrary<Filter> filter() {
    double p = 0.15;
    var bounds =
        Combinators.combine(
            moment().optional(p),
            moment().optional(p),
            idBound().optional(p),
            idBound().optional(p));
    var attributes =
        Combinators.combine(
            Arbitraries.integers().between(0, AGENTS - 1).optional(p),
            Arbitraries.of(Priority.class).optional(p),
            Arbitraries.of(ContentType.TEXT_PLAIN, ContentType.APPLICATION_JSON).optional(p),
            Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Set.<String>of())),
                Tuple.of(1, Arbitraries.subsetOf(TAG_POOL).ofMinSize(1).ofMaxSize(3))),
            Arbitraries.of(true, false).optional(p));
    return Combinators.combine(bounds.as(Tuple::of), attributes.as(Tuple::of))
        .as(
            (b, a) ->
                new Filter(
                    b.get1(), b.get2(), b.get3(), b.get4(), a.get1(), a.get2(), a.get3(), a.get4(),
                    a.get5()));
  }

  private static Arbitrary<Listing> listing() {
    return Combinators.combine(
            Arbitraries.integers().between(0, UNKNOWN_MAILBOX),
            Arbitraries.integers().between(0, AGENTS - 1),
            filter(),
            Arbitraries.of(Order.class),
            Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(1, 12)),
                Tuple.of(1, Arbitraries.just(1_000))))
        .as(Listing::new);
  }
}
