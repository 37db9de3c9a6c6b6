package dev.mailroom.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.MailboxName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The trie index and {@link SubscriptionPattern#matches} agree with a plain reference: each pattern
 * translated to a regular expression over segments. Names and patterns come from a small alphabet
 * so that matches are common; random add and remove sequences, with matches in between, exercise
 * the results cache.
 */
class TopicIndexProperties {

  /** The reference: {@code *} is one segment, {@code **} one or more, literals themselves. */
  static Pattern regex(SubscriptionPattern pattern) {
    return Pattern.compile(
        pattern.segments().stream()
            .map(
                s ->
                    switch (s) {
                      case "*" -> "[^.]+";
                      case "**" -> "[^.]+(?:\\.[^.]+)*";
                      default -> Pattern.quote(s);
                    })
            .collect(Collectors.joining("\\.")));
  }

  static boolean referenceMatches(SubscriptionPattern pattern, MailboxName name) {
    return regex(pattern).matcher(name.value()).matches();
  }

  @Provide
  Arbitrary<MailboxName> names() {
    return Arbitraries.of("a", "b", "c")
        .list()
        .ofMinSize(1)
        .ofMaxSize(7)
        .map(segments -> MailboxName.of(String.join(".", segments)));
  }

  @Provide
  Arbitrary<SubscriptionPattern> patterns() {
    return patternArbitrary();
  }

  /** Patterns with at least two {@code **} segments, among literals and {@code *}. */
  @Provide
  Arbitrary<SubscriptionPattern> manyDoubleStars() {
    return Combinators.combine(
            Arbitraries.of("a", "b", "*").list().ofMinSize(0).ofMaxSize(5),
            Arbitraries.integers().between(2, 4),
            Arbitraries.randoms())
        .as(
            (others, stars, random) -> {
              List<String> segments = new ArrayList<>(others);
              for (int i = 0; i < stars; i++) {
                segments.add(random.nextInt(segments.size() + 1), "**");
              }
              return SubscriptionPattern.of(String.join(".", segments));
            });
  }

  private static Arbitrary<SubscriptionPattern> patternArbitrary() {
    return Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of("a", "b", "c")),
            Tuple.of(1, Arbitraries.just("*")),
            Tuple.of(2, Arbitraries.just("**")))
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(segments -> SubscriptionPattern.of(String.join(".", segments)));
  }

  /** One step of a random history: subscribe, unsubscribe, or look a name up. */
  sealed interface Step {}

  record Add(SubscriptionPattern pattern, int value) implements Step {}

  record Remove(int which) implements Step {}

  record Match(MailboxName name) implements Step {}

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> add =
        Combinators.combine(patternArbitrary(), Arbitraries.integers().between(0, 4)).as(Add::new);
    Arbitrary<Step> remove = Arbitraries.integers().between(0, 1000).map(Remove::new);
    Arbitrary<Step> match = names().map(Match::new);
    return Arbitraries.frequencyOf(Tuple.of(4, add), Tuple.of(2, remove), Tuple.of(5, match))
        .list()
        .ofMinSize(1)
        .ofMaxSize(60);
  }

  @Property(tries = 3000)
  void patternMatchesAgreeWithTheRegexReference(
      @ForAll("patterns") SubscriptionPattern pattern, @ForAll("names") MailboxName name) {
    assertThat(pattern.matches(name)).isEqualTo(referenceMatches(pattern, name));
  }

  @Property(tries = 2000)
  void severalDoubleStarsAgreeWithTheReference(
      @ForAll("manyDoubleStars") SubscriptionPattern pattern, @ForAll("names") MailboxName name) {
    TopicIndex<String> index = TopicIndex.create();
    index.add(pattern, "v");
    boolean expected = referenceMatches(pattern, name);
    assertThat(pattern.matches(name)).isEqualTo(expected);
    assertThat(index.match(name)).isEqualTo(expected ? Set.of("v") : Set.of());
  }

  @Property(tries = 500)
  void indexAgreesWithTheReferenceThroughAddsAndRemoves(
      @ForAll("histories") List<Step> history, @ForAll boolean smallCache) {
    TopicIndex<Integer> index = TopicIndex.create(smallCache ? 2 : TopicIndex.DEFAULT_CACHE_SIZE);
    List<Add> live = new ArrayList<>();
    for (Step step : history) {
      switch (step) {
        case Add a -> {
          boolean fresh = !live.contains(a);
          assertThat(index.add(a.pattern(), a.value())).isEqualTo(fresh);
          if (fresh) {
            live.add(a);
          }
        }
        case Remove r -> {
          if (!live.isEmpty()) {
            Add gone = live.remove(r.which() % live.size());
            assertThat(index.remove(gone.pattern(), gone.value())).isTrue();
          }
        }
        case Match m -> assertThat(index.match(m.name())).isEqualTo(expected(live, m.name()));
      }
      assertThat(index.size()).isEqualTo(live.size());
    }
  }

  private static Set<Integer> expected(List<Add> live, MailboxName name) {
    Set<Integer> values = new HashSet<>();
    for (Add a : live) {
      if (referenceMatches(a.pattern(), name)) {
        values.add(a.value());
      }
    }
    return values;
  }
}
