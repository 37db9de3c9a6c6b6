package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The spool contract: every rule of {@link Spool}, written once. An implementation runs it by
 * subclassing: {@link #open} opens the test's spool, the same one (its data as the last close left
 * it) however often a test calls it.
 */
public abstract class SpoolContract {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final List<Spool> opened = new ArrayList<>();

  /** Opens the test's spool with these limits: empty the first time, as last closed after that. */
  protected abstract Spool open(Spool.Limits limits);

  private Spool spool() {
    return spool(Spool.Limits.DEFAULTS);
  }

  private Spool spool(Spool.Limits limits) {
    Spool s = open(limits);
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(Spool::close);
  }

  private static Spool.Entry add(Spool s, long id, AgentId sender, String body) {
    return s.append(send(id, sender, Optional.empty(), body));
  }

  private static Spool.Send send(long id, AgentId sender, Optional<String> key, String body) {
    return new Spool.Send(
        MessageId.of(id), sender, key, T0.plusMillis(id), body.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Long> ids(List<Spool.Entry> entries) {
    return entries.stream().map(e -> e.id().value()).toList();
  }

  @Test
  void entriesComeBackInTheOrderTheyWereAppended() {
    Spool s = spool();
    add(s, 30, ALICE, "c");
    add(s, 10, BOB, "a");
    add(s, 20, ALICE, "b");

    List<Spool.Entry> all = s.oldest(10);

    assertThat(ids(all)).containsExactly(30L, 10L, 20L);
    assertThat(all).extracting(Spool.Entry::position).isSorted().doesNotHaveDuplicates();
    Spool.Entry first = all.getFirst();
    assertThat(first.sender()).isEqualTo(ALICE);
    assertThat(first.acceptedAt()).isEqualTo(T0.plusMillis(30));
    assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("c");
    assertThat(first.idempotencyKey()).isEmpty();
  }

  @Test
  void oldestGivesAtMostWhatIsAsked() {
    Spool s = spool();
    for (int i = 1; i <= 5; i++) {
      add(s, i, ALICE, "x");
    }

    assertThat(ids(s.oldest(2))).containsExactly(1L, 2L);
    assertThat(s.oldest(10)).hasSize(5);
  }

  @Test
  void whatWasAppendedSurvivesAReopenAndWhatWasRemovedDoesNotComeBack() {
    Spool s = spool();
    Spool.Entry one = add(s, 1, ALICE, "one");
    add(s, 2, ALICE, "two");
    add(s, 3, BOB, "three");
    s.remove(List.of(one));
    s.close();

    Spool again = spool();

    assertThat(ids(again.oldest(10))).containsExactly(2L, 3L);
    assertThat(again.stats().entries()).isEqualTo(2);
    assertThat(again.stats().bytes()).isEqualTo("twothree".length());
    Spool.Entry four = add(again, 4, ALICE, "four");
    assertThat(four.position()).isGreaterThan(again.oldest(10).get(1).position());
  }

  @Test
  void removingIgnoresWhatIsNotThere() {
    Spool s = spool();
    Spool.Entry one = add(s, 1, ALICE, "one");
    s.remove(List.of(one));

    s.remove(List.of(one));

    assertThat(s.oldest(10)).isEmpty();
    assertThat(s.stats()).isEqualTo(new Spool.Stats(0, 0, Optional.empty()));
  }

  @Test
  void aSendIsFoundByItsSenderAndKey() {
    Spool s = spool();
    s.append(send(7, ALICE, Optional.of("k1"), "x"));
    s.append(send(8, BOB, Optional.of("k1"), "x"));

    assertThat(s.find(ALICE, "k1")).contains(MessageId.of(7));
    assertThat(s.find(BOB, "k1")).contains(MessageId.of(8));
    assertThat(s.find(ALICE, "k2")).isEmpty();
    assertThat(s.oldest(1).getFirst().idempotencyKey()).contains("k1");
  }

  @Test
  void aRemovedSendIsNoLongerFoundByItsKey() {
    Spool s = spool();
    Spool.Entry e = s.append(send(7, ALICE, Optional.of("k1"), "x"));

    s.remove(List.of(e));

    assertThat(s.find(ALICE, "k1")).isEmpty();
  }

  @Test
  void statsFollowAppendsAndRemoves() {
    Spool s = spool();
    assertThat(s.stats().isEmpty()).isTrue();
    Spool.Entry a = add(s, 1, ALICE, "abc");
    add(s, 2, ALICE, "de");

    assertThat(s.stats()).isEqualTo(new Spool.Stats(2, 5, Optional.of(T0.plusMillis(1))));

    s.remove(List.of(a));

    assertThat(s.stats()).isEqualTo(new Spool.Stats(1, 2, Optional.of(T0.plusMillis(2))));
  }

  @Test
  void aFullSpoolRefusesAnAppendAndChangesNothing() {
    Spool s = spool(new Spool.Limits(2, 1_000));
    add(s, 1, ALICE, "a");
    add(s, 2, ALICE, "b");

    assertThatThrownBy(() -> add(s, 3, ALICE, "c")).isInstanceOf(Spool.FullException.class);

    assertThat(ids(s.oldest(10))).containsExactly(1L, 2L);
    assertThat(s.stats().entries()).isEqualTo(2);
  }

  @Test
  void theByteLimitCountsTheBodies() {
    Spool s = spool(new Spool.Limits(100, 10));
    add(s, 1, ALICE, "123456");

    assertThatThrownBy(() -> add(s, 2, ALICE, "123456")).isInstanceOf(Spool.FullException.class);
    add(s, 3, ALICE, "1234");

    assertThat(ids(s.oldest(10))).containsExactly(1L, 3L);
    assertThat(s.stats().bytes()).isEqualTo(10);
  }

  @Test
  void removingMakesRoomAgain() {
    Spool s = spool(new Spool.Limits(1, 1_000));
    Spool.Entry a = add(s, 1, ALICE, "a");
    assertThatThrownBy(() -> add(s, 2, ALICE, "b")).isInstanceOf(Spool.FullException.class);

    s.remove(List.of(a));
    add(s, 3, ALICE, "c");

    assertThat(ids(s.oldest(10))).containsExactly(3L);
  }

  @Test
  void aBatchIsAppendedInOrderOrNotAtAll() {
    Spool s = spool(new Spool.Limits(3, 1_000));
    List<Spool.Entry> two =
        s.append(
            List.of(send(1, ALICE, Optional.empty(), "a"), send(2, BOB, Optional.empty(), "b")));

    assertThat(ids(two)).containsExactly(1L, 2L);
    assertThat(two.get(0).position()).isLessThan(two.get(1).position());
    assertThatThrownBy(
            () ->
                s.append(
                    List.of(
                        send(3, ALICE, Optional.empty(), "c"),
                        send(4, ALICE, Optional.empty(), "d"))))
        .isInstanceOf(Spool.FullException.class);
    assertThat(ids(s.oldest(10))).containsExactly(1L, 2L);
    assertThat(s.stats().entries()).isEqualTo(2);
  }

  @Test
  void concurrentAppendsAreAllKeptEachWithAPositionOfItsOwn() throws InterruptedException {
    Spool s = spool();
    int threads = 8;
    int each = 100;
    ConcurrentLinkedQueue<Spool.Entry> returned = new ConcurrentLinkedQueue<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      started.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      returned.add(add(s, base + i + 1, ALICE, "m"));
                    }
                  }));
    }
    for (Thread t : started) {
      t.join();
    }

    List<Spool.Entry> all = s.oldest(threads * each + 1);

    assertThat(all).hasSize(threads * each);
    Set<Long> positions = new HashSet<>();
    returned.forEach(e -> positions.add(e.position()));
    assertThat(positions).hasSize(threads * each);
    assertThat(all)
        .extracting(Spool.Entry::position)
        .containsExactlyInAnyOrderElementsOf(positions);
    // One thread's appends keep their order.
    for (int t = 0; t < threads; t++) {
      long lo = t * each + 1L;
      long hi = lo + each - 1;
      assertThat(ids(all).stream().filter(id -> id >= lo && id <= hi).toList()).isSorted();
    }
  }

  // ---- the records lane

  private static List<String> texts(List<Spool.Records.Entry> entries) {
    return entries.stream().map(e -> new String(e.body(), StandardCharsets.UTF_8)).toList();
  }

  private static List<byte[]> bodies(String... texts) {
    List<byte[]> out = new ArrayList<>();
    for (String t : texts) {
      out.add(t.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void recordsComeBackInOrderSurviveAReopenAndStayRemoved() {
    Spool s = spool();
    s.records().append(bodies("a", "b"));
    s.records().append(bodies("c"));
    assertThat(texts(s.records().oldest(2))).containsExactly("a", "b");
    s.records().remove(s.records().oldest(1));
    s.close();

    Spool again = spool();
    assertThat(texts(again.records().oldest(10))).containsExactly("b", "c");
    assertThat(again.records().size()).isEqualTo(2);
  }

  @Test
  void recordsAndSendsAreCountedApart() {
    Spool s = spool(new Spool.Limits(2, 1_000));
    add(s, 1, ALICE, "m");
    add(s, 2, ALICE, "m");
    s.records().append(bodies("a", "b"));

    assertThat(s.stats().entries()).isEqualTo(2);
    assertThat(s.records().size()).isEqualTo(2);
    assertThat(ids(s.oldest(10))).containsExactly(1L, 2L);
  }

  @Test
  void fullRecordsRefuseAnAppendWholeAndRemovingMakesRoom() {
    Spool s = spool(new Spool.Limits(2, 1_000));
    s.records().append(bodies("a"));

    assertThatThrownBy(() -> s.records().append(bodies("b", "c")))
        .isInstanceOf(Spool.FullException.class);
    assertThat(texts(s.records().oldest(10))).containsExactly("a");

    s.records().remove(s.records().oldest(1));
    s.records().append(bodies("b", "c"));
    assertThat(texts(s.records().oldest(10))).containsExactly("b", "c");
  }
}
