package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MessageFilterTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final MessageId ID = MessageId.of(T, 10);

  private static Message message(
      MessageId id, String sender, Priority priority, ContentType type, String... tags) {
    return new Message(
        id,
        AgentId.of(sender),
        SendMode.DIRECT,
        Optional.of(MailboxName.of("box")),
        type,
        type == ContentType.TEXT_CODE ? Optional.of("go") : Optional.empty(),
        Payload.ofText("x"),
        priority,
        Arrays.stream(tags).map(Tag::of).toList(),
        "{}",
        id.timestamp().plus(Duration.ofDays(1)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        1);
  }

  private static final Message M =
      message(ID, "alice", Priority.HIGH, ContentType.TEXT_PLAIN, "red", "blue");

  private static MessageFilter filter(
      Optional<Instant> since,
      Optional<Instant> until,
      Optional<MessageId> after,
      Optional<MessageId> before) {
    return new MessageFilter(
        since,
        until,
        after,
        before,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        Optional.empty(),
        Optional.empty());
  }

  private static MessageFilter attributes(
      Optional<String> sender,
      Optional<Priority> min,
      Optional<ContentType> type,
      Set<String> tags,
      Optional<Boolean> unread) {
    return new MessageFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        sender.map(AgentId::of),
        min,
        type,
        tags.stream().map(Tag::of).collect(Collectors.toSet()),
        unread,
        Optional.empty());
  }

  @Test
  void noneLetsEverythingThrough() {
    assertThat(MessageFilter.NONE.matches(M, false)).isTrue();
    assertThat(MessageFilter.NONE.matches(M, true)).isTrue();
    assertThat(MessageFilter.NONE.lowestIdValue()).isZero();
    assertThat(MessageFilter.NONE.highestIdValue()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void sinceAndUntilAreInclusiveToTheMillisecond() {
    Optional<Instant> at = Optional.of(T);
    Optional<Instant> after = Optional.of(T.plusMillis(1));
    Optional<Instant> before = Optional.of(T.minusMillis(1));
    Optional<Instant> none = Optional.empty();
    Optional<MessageId> noId = Optional.empty();

    assertThat(filter(at, none, noId, noId).matches(M, false)).isTrue();
    assertThat(filter(after, none, noId, noId).matches(M, false)).isFalse();
    assertThat(filter(none, at, noId, noId).matches(M, false)).isTrue();
    assertThat(filter(none, before, noId, noId).matches(M, false)).isFalse();
    assertThat(filter(at, at, noId, noId).matches(M, false)).isTrue();
  }

  @Test
  void idBoundsAreExclusive() {
    Optional<Instant> none = Optional.empty();
    Optional<MessageId> same = Optional.of(ID);
    Optional<MessageId> lower = Optional.of(MessageId.of(ID.value() - 1));
    Optional<MessageId> higher = Optional.of(MessageId.of(ID.value() + 1));
    Optional<MessageId> noId = Optional.empty();

    assertThat(filter(none, none, same, noId).matches(M, false)).isFalse();
    assertThat(filter(none, none, lower, noId).matches(M, false)).isTrue();
    assertThat(filter(none, none, noId, same).matches(M, false)).isFalse();
    assertThat(filter(none, none, noId, higher).matches(M, false)).isTrue();
    assertThat(filter(none, none, lower, higher).matches(M, false)).isTrue();
  }

  @Test
  void senderMustMatch() {
    assertThat(
            attributes(
                    Optional.of("alice"),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    Optional.empty())
                .matches(M, false))
        .isTrue();
    assertThat(
            attributes(
                    Optional.of("bob"),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of(),
                    Optional.empty())
                .matches(M, false))
        .isFalse();
  }

  @Test
  void minPriorityAdmitsThatRankAndAbove() {
    for (Priority min : Priority.values()) {
      boolean expected = min.compareTo(Priority.HIGH) <= 0;
      assertThat(
              attributes(
                      Optional.empty(),
                      Optional.of(min),
                      Optional.empty(),
                      Set.of(),
                      Optional.empty())
                  .matches(M, false))
          .as("min %s", min)
          .isEqualTo(expected);
    }
  }

  @Test
  void contentTypeMustMatch() {
    assertThat(
            attributes(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(ContentType.TEXT_PLAIN),
                    Set.of(),
                    Optional.empty())
                .matches(M, false))
        .isTrue();
    assertThat(
            attributes(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(ContentType.TEXT_MARKDOWN),
                    Set.of(),
                    Optional.empty())
                .matches(M, false))
        .isFalse();
  }

  @Test
  void everyTagMustBeCarried() {
    assertThat(
            attributes(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of("red"),
                    Optional.empty())
                .matches(M, false))
        .isTrue();
    assertThat(
            attributes(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of("red", "blue"),
                    Optional.empty())
                .matches(M, false))
        .isTrue();
    assertThat(
            attributes(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Set.of("red", "green"),
                    Optional.empty())
                .matches(M, false))
        .isFalse();
  }

  @Test
  void unreadFilterComparesWithTheReadersMark() {
    MessageFilter unread =
        attributes(
            Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.of(true));
    MessageFilter read =
        attributes(
            Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.of(false));

    assertThat(unread.matches(M, false)).isTrue();
    assertThat(unread.matches(M, true)).isFalse();
    assertThat(read.matches(M, true)).isTrue();
    assertThat(read.matches(M, false)).isFalse();
  }

  @Test
  void conditionsCombine() {
    MessageFilter f =
        attributes(
            Optional.of("alice"),
            Optional.of(Priority.NORMAL),
            Optional.of(ContentType.TEXT_PLAIN),
            Set.of("blue"),
            Optional.of(true));

    assertThat(f.matches(M, false)).isTrue();
    assertThat(f.matches(M, true)).isFalse();
    assertThat(f.matches(message(ID, "alice", Priority.LOW, ContentType.TEXT_PLAIN, "blue"), false))
        .isFalse();
  }

  @Test
  void idRangeFollowsTimeBounds() {
    MessageFilter f =
        filter(Optional.of(T), Optional.of(T.plusSeconds(1)), Optional.empty(), Optional.empty());

    assertThat(f.lowestIdValue()).isEqualTo(MessageId.lowestAt(T).value());
    assertThat(f.highestIdValue()).isEqualTo(MessageId.highestAt(T.plusSeconds(1)).value());
  }

  @Test
  void idRangeTakesTheTighterOfTimeAndIdBounds() {
    MessageId after = MessageId.of(T.plusMillis(5), 0);
    MessageId before = MessageId.of(T.plusMillis(7), 0);
    MessageFilter tightIds =
        filter(
            Optional.of(T), Optional.of(T.plusSeconds(1)), Optional.of(after), Optional.of(before));
    MessageFilter tightTimes =
        filter(
            Optional.of(T.plusMillis(6)),
            Optional.of(T.plusMillis(6)),
            Optional.of(after),
            Optional.of(before));

    assertThat(tightIds.lowestIdValue()).isEqualTo(after.value() + 1);
    assertThat(tightIds.highestIdValue()).isEqualTo(before.value() - 1);
    assertThat(tightTimes.lowestIdValue()).isEqualTo(MessageId.lowestAt(T.plusMillis(6)).value());
    assertThat(tightTimes.highestIdValue()).isEqualTo(MessageId.highestAt(T.plusMillis(6)).value());
  }

  @Test
  void untilBeforeTheEpochMatchesNothing() {
    MessageFilter f =
        filter(
            Optional.empty(),
            Optional.of(Instant.parse("1969-12-31T23:59:59Z")),
            Optional.empty(),
            Optional.empty());

    assertThat(f.highestIdValue()).isEqualTo(-1);
    assertThat(
            f.matches(message(MessageId.of(0), "a", Priority.LOW, ContentType.TEXT_PLAIN), false))
        .isFalse();
  }

  @Test
  void beforeTheFirstIdMatchesNothing() {
    MessageFilter f =
        filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(MessageId.of(0)));

    assertThat(f.highestIdValue()).isLessThan(f.lowestIdValue());
  }

  @Test
  void afterTheLargestIdMatchesNothing() {
    MessageFilter f =
        filter(
            Optional.empty(),
            Optional.empty(),
            Optional.of(MessageId.of(Long.MAX_VALUE)),
            Optional.empty());

    assertThat(f.highestIdValue()).isLessThan(f.lowestIdValue());
    assertThat(f.matches(M, false)).isFalse();
  }

  @Test
  void farFutureAndFarPastTimeBoundsClampInsteadOfOverflowing() {
    MessageFilter wide =
        filter(
            Optional.of(Instant.MIN), Optional.of(Instant.MAX), Optional.empty(), Optional.empty());
    MessageFilter future =
        filter(
            Optional.of(Instant.parse("+100000-01-01T00:00:00Z")),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    assertThat(wide.lowestIdValue()).isZero();
    assertThat(wide.highestIdValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(wide.matches(M, false)).isTrue();
    assertThat(future.matches(M, false)).isFalse();
  }

  @Test
  void tagsAreCopied() {
    Set<Tag> tags = new HashSet<>(List.of(Tag.of("a")));
    MessageFilter f =
        new MessageFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            tags,
            Optional.empty(),
            Optional.empty());

    tags.add(Tag.of("b"));

    assertThat(f.tags()).containsExactly(Tag.of("a"));
  }
}
