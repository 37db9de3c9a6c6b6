package dev.mailroom.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailboxName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
  void aNegativeCacheSizeIsRefused() {
    assertThatThrownBy(() -> TopicIndex.create(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
