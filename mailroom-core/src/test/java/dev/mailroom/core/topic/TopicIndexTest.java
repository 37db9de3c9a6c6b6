package dev.mailroom.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailboxName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TopicIndexTest {
  private final TopicIndex<String> index = TopicIndex.create();

  private void subscribe(String pattern, String value) {
    index.add(SubscriptionPattern.of(pattern), value);
  }

  private Set<String> match(String name) {
    return index.match(MailboxName.of(name));
  }

  @Test
  void findsTheSubscribersOfTheSpecExamples() {
    subscribe("ai.models.*", "one");
    subscribe("ai.**", "many");
    subscribe("a.**.z", "middle");
    subscribe("ai.models.gpt4", "exact");

    assertThat(match("ai.models.gpt4")).containsExactlyInAnyOrder("one", "many", "exact");
    assertThat(match("ai.models.gpt4.turbo")).containsExactly("many");
    assertThat(match("ai.models")).containsExactly("many");
    assertThat(match("ai")).isEmpty();
    assertThat(match("a.b.z")).containsExactly("middle");
    assertThat(match("a.b.c.z")).containsExactly("middle");
    assertThat(match("a.z")).isEmpty();
  }

  @Test
  void loneWildcardsMatchEveryNameOrEverySingleSegmentName() {
    subscribe("**", "all");
    subscribe("*", "top");

    assertThat(match("x")).containsExactlyInAnyOrder("all", "top");
    assertThat(match("x.y.z")).containsExactly("all");
  }

  @Test
  void severalDoubleStarsInOnePatternMatch() {
    subscribe("a.**.b.**.c", "v");

    assertThat(match("a.x.b.y.c")).containsExactly("v");
    assertThat(match("a.x.x.b.b.y.y.c")).containsExactly("v");
    assertThat(match("a.b.c")).isEmpty();
    assertThat(match("a.x.b.c")).isEmpty();
  }

  @Test
  void aValueReachedByTwoPatternsAppearsOnce() {
    subscribe("ai.*", "v");
    subscribe("ai.**", "v");

    assertThat(match("ai.x")).containsExactly("v");
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void addingTwiceAndRemovingWhatIsNotThereReportFalse() {
    assertThat(index.add(SubscriptionPattern.of("a.*"), "v")).isTrue();
    assertThat(index.add(SubscriptionPattern.of("a.*"), "v")).isFalse();
    assertThat(index.remove(SubscriptionPattern.of("a.*"), "w")).isFalse();
    assertThat(index.remove(SubscriptionPattern.of("a.b"), "v")).isFalse();
    assertThat(index.remove(SubscriptionPattern.of("a.*.c"), "v")).isFalse();
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void cachedResultsFollowAddsAndRemoves() {
    subscribe("ai.*", "first");
    assertThat(match("ai.x")).containsExactly("first");

    subscribe("ai.**", "second");
    assertThat(match("ai.x")).containsExactlyInAnyOrder("first", "second");

    index.remove(SubscriptionPattern.of("ai.*"), "first");
    assertThat(match("ai.x")).containsExactly("second");

    index.remove(SubscriptionPattern.of("ai.**"), "second");
    assertThat(match("ai.x")).isEmpty();
    assertThat(index.size()).isZero();
  }

  @Test
  void removingAPatternKeepsItsLongerAndShorterNeighbours() {
    subscribe("a", "short");
    subscribe("a.b", "mid");
    subscribe("a.b.c", "long");

    index.remove(SubscriptionPattern.of("a.b"), "mid");

    assertThat(match("a")).containsExactly("short");
    assertThat(match("a.b")).isEmpty();
    assertThat(match("a.b.c")).containsExactly("long");
  }

  @Test
  void aSmallCacheStaysCorrectWhenManyNamesPassThrough() {
    TopicIndex<Integer> small = TopicIndex.create(4);
    small.add(SubscriptionPattern.of("n.*"), 1);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 50; i++) {
        assertThat(small.match(MailboxName.of("n.k" + i))).containsExactly(1);
        assertThat(small.match(MailboxName.of("m.k" + i))).isEmpty();
      }
    }
  }

  @Test
  void resultsCannotBeModified() {
    subscribe("a", "v");
    assertThatThrownBy(() -> match("a").add("w")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> match("b").add("w")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void readersSeeOneStateOrTheOtherWhileAWriterTogglesASubscription() throws Exception {
    subscribe("t.*", "base");
    SubscriptionPattern toggled = SubscriptionPattern.of("t.**");
    Set<Set<String>> allowed = Set.of(Set.of("base"), Set.of("base", "extra"));
    ExecutorService readers = Executors.newFixedThreadPool(2);
    try {
      AtomicBoolean done = new AtomicBoolean();
      List<Future<Set<Set<String>>>> seen = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        seen.add(
            readers.submit(
                () -> {
                  Set<Set<String>> results = new HashSet<>();
                  while (!done.get()) {
                    results.add(match("t.x"));
                  }
                  return results;
                }));
      }
      for (int i = 0; i < 20_000; i++) {
        index.add(toggled, "extra");
        index.remove(toggled, "extra");
      }
      done.set(true);
      for (Future<Set<Set<String>>> f : seen) {
        assertThat(allowed).containsAll(f.get());
      }
    } finally {
      readers.shutdownNow();
    }
    assertThat(match("t.x")).containsExactly("base");
  }

  @Test
  void sixteenDoubleStarsAgainstSixteenSegmentsMatchOnlyWhenEverySegmentIsUsed() {
    String sixteenStars = String.join(".", Collections.nCopies(16, "**"));
    subscribe(sixteenStars, "all16");
    subscribe(String.join(".", Collections.nCopies(15, "**")) + ".z", "endsInZ");
    subscribe(String.join(".", Collections.nCopies(15, "**")) + ".y", "endsInY");

    String sixteen = String.join(".", Collections.nCopies(16, "z"));
    String fifteen = String.join(".", Collections.nCopies(15, "z"));
    String sixteenLastY = String.join(".", Collections.nCopies(15, "z")) + ".y";

    assertThat(match(sixteen)).containsExactlyInAnyOrder("all16", "endsInZ");
    assertThat(match(fifteen)).isEmpty();
    assertThat(match(sixteenLastY)).containsExactlyInAnyOrder("all16", "endsInY");
    assertThat(match("z.z")).isEmpty();
  }

  @Test
  void manyOverlappingDoubleStarPatternsAgreeWithThePlainMatcher() {
    TopicIndex<Integer> overlapping = TopicIndex.create(0);
    List<SubscriptionPattern> patterns = new ArrayList<>();
    // Every pattern of 1 to 6 segments over {**, *, a}: 1,092 patterns, most of them overlapping.
    List<String> current = List.of("");
    for (int depth = 1; depth <= 6; depth++) {
      List<String> longer = new ArrayList<>();
      for (String prefix : current) {
        for (String segment : List.of("**", "*", "a")) {
          longer.add(prefix.isEmpty() ? segment : prefix + "." + segment);
        }
      }
      for (String p : longer) {
        patterns.add(SubscriptionPattern.of(p));
      }
      current = longer;
    }
    for (int i = 0; i < patterns.size(); i++) {
      overlapping.add(patterns.get(i), i);
    }
    Random random = new Random(7);
    for (int n = 1; n <= 16; n++) {
      for (int trial = 0; trial < 4; trial++) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < n; s++) {
          b.append(s == 0 ? "" : ".").append(random.nextInt(3) == 0 ? "b" : "a");
        }
        MailboxName name = MailboxName.of(b.toString());
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
          if (patterns.get(i).matches(name)) {
            expected.add(i);
          }
        }
        assertThat(overlapping.match(name)).as(name.value()).isEqualTo(expected);
      }
    }
  }

  @Test
  void manyDistinctLiteralsComingAndGoingAgreeWithThePlainMatcher() {
    TopicIndex<Integer> churned = TopicIndex.create(16);
    Random random = new Random(11);
    List<SubscriptionPattern> live = new ArrayList<>();
    List<Integer> values = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int roll = random.nextInt(10);
      if (roll < 5 || live.isEmpty()) {
        SubscriptionPattern p = SubscriptionPattern.of(randomPattern(random));
        int value = random.nextInt(3);
        if (churned.add(p, value)) {
          live.add(p);
          values.add(value);
        }
      } else if (roll < 8) {
        int which = random.nextInt(live.size());
        assertThat(churned.remove(live.remove(which), values.remove(which))).isTrue();
      } else {
        MailboxName name =
            MailboxName.of(randomPattern(random).replace("**", "x").replace("*", "y"));
        Set<Integer> expected = new HashSet<>();
        for (int i = 0; i < live.size(); i++) {
          if (live.get(i).matches(name)) {
            expected.add(values.get(i));
          }
        }
        assertThat(churned.match(name)).as(name.value()).isEqualTo(expected);
      }
      assertThat(churned.size()).isEqualTo(live.size());
    }
    for (int i = live.size() - 1; i >= 0; i--) {
      assertThat(churned.remove(live.get(i), values.get(i))).isTrue();
    }
    assertThat(churned.size()).isZero();
    assertThat(churned.match(MailboxName.of("l1.l2"))).isEmpty();
    churned.add(SubscriptionPattern.of("l1.*"), 9);
    assertThat(churned.match(MailboxName.of("l1.l2"))).containsExactly(9);
  }

  private static String randomPattern(Random random) {
    int depth = 1 + random.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      int roll = random.nextInt(20);
      b.append(i == 0 ? "" : ".")
          .append(roll == 0 ? "**" : roll == 1 ? "*" : "l" + random.nextInt(roll < 10 ? 4 : 300));
    }
    return b.toString();
  }

  @Test
  void aNegativeCacheSizeIsRefused() {
    assertThatThrownBy(() -> TopicIndex.create(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
